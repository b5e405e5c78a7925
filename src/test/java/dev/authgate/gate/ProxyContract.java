package dev.authgate.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    /** The proxy, as authgate.gate.forwarded names it for this test. */
    abstract Forwarded forwarded();

    /** Whether a refusal reaches the client in the error shape (ingress-nginx answers with its own page). */
    boolean errorShape() {
        return true;
    }

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
    void assertRefused(int status, String method, String path, Map<String, String> headers) {
        int before = upstream.count();
        HttpResponse<String> r = send(method, path, headers);
        assertEquals(status, r.statusCode(), method + " " + path + " " + headers + ": " + r.body());
        assertEquals(before, upstream.count(), "the upstream was called");
        if (!errorShape() || method.equals("HEAD")) { // an answer to HEAD has no body
            return;
        }
        try {
            JsonNode body = JSON.readTree(r.body());
            assertEquals(status == 401 ? "ERROR_CODE_UNAUTHORIZED" : "ERROR_CODE_ACCESS_DENIED", body.get("code").asText());
            assertTrue(body.has("message") && body.get("payload").isNull(), r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    /** Passed to the upstream: what it saw. */
    static Upstream.Seen assertPassed(String method, String path, Map<String, String> headers) {
        int before = upstream.count();
        HttpResponse<String> r = send(method, path, headers);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(method.equals("HEAD") ? "" : "upstream", r.body());
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
    void anotherSpellingDoesNotOpenAProtectedRoute() {
        assertRefused(401, "GET", "/api//orders/", Map.of());
        assertRefused(403, "GET", "/public/..%2Fapi/orders", Map.of());
    }

    /**
     * Issue 23, finding 2: the proxies pass the raw URI to the upstream, which may resolve dot segments, ignore case
     * or fold look-alikes; none of these spellings of /api/admin/secret reaches the upstream with a non-admin token.
     */
    @Test
    void theGatesPathIsTheUpstreamsPath() {
        var user = bearer(Callers.user(null, null).token());
        assertRefused(403, "GET", "/api/Admin/secret", user);
        assertRefused(403, "GET", "/API/ADMIN/secret", user);
        assertRefused(403, "GET", "/api/admin/secret/%2e%2e/%2e%2e/x", user);
        assertRefused(403, "GET", "/public/%2e%2e/api/orders", Map.of());
        assertRefused(403, "GET", "/api/admin./x", user);
        assertRefused(403, "GET", "/api/%EF%BD%81dmin/x", user); // full-width a
        assertRefused(403, "GET", "/api/%D0%B0dmin/x", user); // Cyrillic a
        // HEAD is the reports rule's GET; a method override is refused
        assertRefused(403, "HEAD", "/api/reports/q3", user);
        assertPassed("POST", "/api/reports/q3", user);
        Map<String, String> override = new java.util.HashMap<>(user);
        override.put("X-HTTP-Method-Override", "DELETE");
        assertRefused(403, "POST", "/api/orders/9", override);
        String admin = Callers.user("administrator", null).token();
        assertPassed("HEAD", "/api/reports/q3", bearer(admin));
        assertEquals("/api/Admin/secret", assertPassed("GET", "/api/Admin/secret", bearer(admin)).uri());
    }

    /**
     * Issue 23, finding 1: a description of the request in a header this proxy does not set can only be the client's,
     * passed on to the gate with its other headers: refused, with or without a token, whatever it says.
     */
    @Test
    void anotherProxysDescriptionOfTheRequestIsRefused() {
        String user = Callers.user(null, null).token();
        assertRefused(403, "GET", "/api/admin/secret", bearer(user));
        assertPassed("GET", "/api/x", bearer(user));
        for (String header : Forwarded.DESCRIPTIONS) {
            if (forwarded().sends(header)) {
                continue;
            }
            String value = header.endsWith("Method") ? "GET" : header.endsWith("URL") ? "http://app/api/x" : "/api/x";
            Map<String, String> spoofed = new java.util.HashMap<>(bearer(user));
            spoofed.put(header, value);
            assertRefused(403, "GET", "/api/admin/secret", spoofed);
            assertRefused(403, "GET", "/api/y", spoofed); // a path the token may reach, described otherwise
            String publicValue = header.endsWith("Method") ? "GET" : header.endsWith("URL") ? "http://app/public/x" : "/public/x";
            assertRefused(403, "GET", "/api/orders", Map.of(header, publicValue));
        }
    }
}
