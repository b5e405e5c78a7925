package dev.authgate.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.RestAssured;

import dev.authgate.support.Jwe;

/**
 * What a client of a real proxy sees, and what reaches the upstream behind it, with the route rules of
 * examples/gate.properties. Each subclass runs it through one proxy, from its file in examples/.
 */
abstract class ProxyContract {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    static Upstream upstream;
    static Proxy proxy;

    interface Starter {
        Proxy start(String authgate, String upstream) throws IOException;
    }

    abstract Starter starter();

    /** Started once per class, after the application (rest-assured's port is set per test). */
    @BeforeEach
    void proxy() throws IOException {
        if (proxy == null) {
            upstream = new Upstream();
            proxy = starter().start("127.0.0.1:" + RestAssured.port, upstream.address());
        }
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
            proxy = null;
        }
        if (upstream != null) {
            upstream.close();
            upstream = null;
        }
    }

    static HttpResponse<String> send(String method, String path, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port + path))
                .timeout(Duration.ofSeconds(20)).method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(b::header);
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("the proxy did not answer: " + e + "\n" + proxy.log(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    /** Refused by the proxy in the error shape, and the upstream never called. */
    static void assertRefused(int status, String method, String path, Map<String, String> headers) {
        int before = upstream.count();
        HttpResponse<String> r = send(method, path, headers);
        assertEquals(status, r.statusCode(), r.body());
        try {
            JsonNode body = JSON.readTree(r.body());
            assertEquals(status == 401 ? "ERROR_CODE_UNAUTHORIZED" : "ERROR_CODE_ACCESS_DENIED", body.get("code").asText());
            assertTrue(body.has("message") && body.get("payload").isNull(), r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
        assertEquals(before, upstream.count(), "the upstream was called");
    }

    /** Passed to the upstream: what it saw. */
    static Upstream.Seen assertPassed(String method, String path, Map<String, String> headers) {
        int before = upstream.count();
        HttpResponse<String> r = send(method, path, headers);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("upstream", r.body());
        assertEquals(before + 1, upstream.count());
        Upstream.Seen seen = upstream.last();
        assertEquals(method, seen.method());
        return seen;
    }

    static void assertNoIdentity(Upstream.Seen seen) {
        for (String h : new String[] { Gate.ID, Gate.TABLE, Gate.ROLE, Gate.EXTRAS, Gate.SESSION, Gate.AAL }) {
            assertNull(seen.header(h), h + " reached the upstream: " + seen.headers());
        }
    }

    @Test
    void publicRouteWithoutTokenReachesTheUpstreamWithoutIdentity() {
        Upstream.Seen seen = assertPassed("GET", "/public/hello?x=1", Map.of());
        assertEquals("/public/hello", seen.uri());
        assertNoIdentity(seen);
    }

    @Test
    void protectedRouteWithoutTokenIs401FromTheProxy() {
        assertRefused(401, "GET", "/api/orders", Map.of());
        assertRefused(401, "POST", "/api/orders", Map.of());
        assertRefused(401, "GET", "/public/hello", bearer("not-a-token")); // rule 4, through the proxy
        assertRefused(403, "GET", "/elsewhere", Map.of());
    }

    @Test
    void aValidTokensIdentityReachesTheUpstream() {
        var caller = Callers.user(null, null);
        Upstream.Seen seen = assertPassed("DELETE", "/api/orders/9", bearer(caller.token()));
        assertEquals(String.valueOf(caller.id()), seen.header(Gate.ID));
        assertEquals("user", seen.header(Gate.TABLE));
        assertNull(seen.header(Gate.ROLE));
        assertEquals(Jwe.decrypt(caller.token()).claims().get("jti"), seen.header(Gate.SESSION));
        assertEquals("e30", seen.header(Gate.EXTRAS)); // base64url of {}
        assertEquals("1", seen.header(Gate.AAL));
        assertEquals("Bearer " + caller.token(), seen.header("Authorization"));
    }

    /** The rule second-factor says aal=2: a token of one factor is 403, one after a second factor passes. */
    @Test
    void anAal2RuleRefusesOneFactorAndPassesTwo() {
        var caller = Callers.user(null, null);
        assertRefused(401, "GET", "/account/security/keys", Map.of());
        assertRefused(403, "GET", "/account/security/keys", bearer(caller.token()));
        String twoFactors = Jwe.rewritten(caller.token(), Map.of("aal", 2, "amr", java.util.List.of("pwd", "otp")));
        Upstream.Seen seen = assertPassed("GET", "/account/security/keys", bearer(twoFactors));
        assertEquals("2", seen.header(Gate.AAL));
        assertEquals(String.valueOf(caller.id()), seen.header(Gate.ID));
        // a client's own X-Authgate-Aal grants nothing and never reaches the upstream as sent
        assertRefused(403, "GET", "/account/security/keys", Map.of("Authorization", "Bearer " + caller.token(),
                Gate.AAL, "2"));
        assertEquals("1", assertPassed("GET", "/api/orders", Map.of("Authorization", "Bearer " + caller.token(),
                Gate.AAL, "2")).header(Gate.AAL));
    }

    @Test
    void theWrongRoleIs403AndTheRightOnePasses() {
        assertRefused(403, "GET", "/api/admin/users", bearer(Callers.user(null, null).token()));
        assertRefused(403, "DELETE", "/api/admin/users/3", bearer(Callers.user("administrator", null).token()));
        Upstream.Seen seen = assertPassed("GET", "/api/admin/users", bearer(Callers.user("administrator", null).token()));
        assertEquals("administrator", seen.header(Gate.ROLE));
    }

    @Test
    void aClientsOwnIdentityHeadersNeverReachTheUpstream() {
        Map<String, String> forged = Map.of(Gate.ID, "1", Gate.TABLE, "staff", Gate.ROLE, "administrator",
                Gate.EXTRAS, "eyJyb2xlIjoib3duZXIifQ", Gate.SESSION, "00000000-0000-0000-0000-000000000000",
                Gate.AAL, "2");
        assertNoIdentity(assertPassed("GET", "/public/hello", forged));

        var caller = Callers.user(null, null);
        Map<String, String> withToken = new java.util.HashMap<>(forged);
        withToken.putAll(bearer(caller.token()));
        Upstream.Seen seen = assertPassed("GET", "/api/orders", withToken);
        assertEquals(String.valueOf(caller.id()), seen.header(Gate.ID));
        assertEquals("user", seen.header(Gate.TABLE));
        assertNull(seen.header(Gate.ROLE));
        assertEquals("e30", seen.header(Gate.EXTRAS));
        assertRefused(403, "GET", "/api/admin/users", withToken); // a forged role grants nothing
    }

    @Test
    void theAlternativeHeaderCarriesTheTokenAndTheUpstreamKeepsItsAuthorization() {
        var caller = Callers.user(null, null);
        Upstream.Seen seen = assertPassed("GET", "/api/orders", Map.of("Authorization", "Basic dXBzdHJlYW06c2VjcmV0",
                "X-Xano-Authorization", caller.token()));
        assertEquals("Basic dXBzdHJlYW06c2VjcmV0", seen.header("Authorization"));
        assertEquals(String.valueOf(caller.id()), seen.header(Gate.ID));
        // the upstream's own Bearer token is not Authgate's: ONLY says so, and the public route stays open
        assertNoIdentity(assertPassed("GET", "/public/hello", Map.of("Authorization", "Bearer upstream-token",
                "X-Xano-Authorization-Only", "true")));
        assertRefused(401, "GET", "/api/orders", Map.of("Authorization", "Bearer upstream-token",
                "X-Xano-Authorization-Only", "true"));
    }

    @Test
    void anotherSpellingOrAForgedDescriptionDoesNotOpenAProtectedRoute() {
        assertRefused(401, "GET", "/public/%2e%2e/api/orders", Map.of());
        assertRefused(401, "GET", "/api//orders/", Map.of());
        assertRefused(403, "GET", "/public/..%2Fapi/orders", Map.of());
        // a client's own description of the request, in the other proxies' headers
        int before = upstream.count();
        var r = send("GET", "/api/orders", Map.of("X-Forwarded-Uri", "/public/hello", "X-Original-URI", "/public/hello",
                "X-Forwarded-Method", "GET", "X-Original-Method", "GET"));
        assertTrue(r.statusCode() == 401 || r.statusCode() == 403, r.statusCode() + " " + r.body());
        assertEquals(before, upstream.count());
        assertNotNull(proxy.log());
    }
}
