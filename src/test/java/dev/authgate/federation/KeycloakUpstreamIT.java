package dev.authgate.federation;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.authgate.federation.CookieJar.enc;
import static dev.authgate.federation.CookieJar.query;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

import dev.authgate.support.Api;
import dev.authgate.support.Chromium;
import dev.authgate.support.Jwe;
import dev.authgate.support.KeycloakServer;
import dev.authgate.support.RealServer;
import dev.authgate.support.TestDatabase;

/**
 * Sign in with another identity provider against a real Keycloak (support/KeycloakServer, realm
 * keycloak/authgate-test-realm.json) and the packaged application: the whole flow over HTTP, following Keycloak's own
 * login form with its cookies; the linking rules with the email verified or not on either side; state replay and a
 * missing cookie; a redirect_uri off the allowlist; linking and unlinking; the app's own PKCE; Keycloak stopped
 * mid-flow (last: it stays stopped).
 */
@QuarkusIntegrationTest
@TestProfile(KeycloakUpstreamIT.Upstream.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Chromium
@RealServer
class KeycloakUpstreamIT {

    public static class Upstream implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KeycloakServer.class));
        }
    }

    static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");

    /** As the callback URL is formed from a loopback request (authgate.public-url unset). */
    static String authgate() {
        return "http://127.0.0.1:" + RestAssured.port;
    }

    /** What a sign-in through Keycloak's login form came to: the callback URL Keycloak sent the browser to. */
    record AtCallback(CookieJar jar, String callbackUrl, HttpResponse<String> start) {
    }

    static String startUrl(String extra) {
        return authgate() + "/api:main/auth/oauth/kc/start?redirect_uri="
                + URLEncoder.encode(KeycloakServer.APP_REDIRECT, StandardCharsets.UTF_8) + extra;
    }

    /** Follows start → Keycloak's login page → its form, as a browser would, up to Keycloak's redirect to the callback. */
    static AtCallback signInAtKeycloak(CookieJar jar, String startUrl, String user, String password) throws Exception {
        HttpResponse<String> start = jar.get(startUrl);
        assertEquals(302, start.statusCode(), start.body());
        String toKeycloak = start.headers().firstValue("location").orElseThrow();
        assertTrue(toKeycloak.startsWith(KeycloakServer.issuer() + "/protocol/openid-connect/auth?"), toKeycloak);
        Map<String, String> q = query(toKeycloak);
        assertEquals("S256", q.get("code_challenge_method"));
        assertNotNull(q.get("code_challenge"));
        assertNotNull(q.get("nonce"));
        assertNotNull(q.get("state"));
        assertEquals("code", q.get("response_type"));
        assertTrue(jar.cookies.containsKey("authgate_federation"), "start binds the state to a cookie");
        String setCookie = start.headers().firstValue("set-cookie").orElseThrow();
        assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax") && setCookie.contains("Secure"),
                setCookie);

        HttpResponse<String> page = jar.get(toKeycloak);
        assertEquals(200, page.statusCode(), page.body());
        Matcher form = FORM_ACTION.matcher(page.body());
        assertTrue(form.find(), "Keycloak's login form: " + page.body());
        String action = form.group(1).replace("&amp;", "&");
        HttpResponse<String> posted = jar.send(HttpRequest.newBuilder(URI.create(action))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + enc(user) + "&password=" + enc(password)
                        + "&credentialId=")));
        assertEquals(302, posted.statusCode(), posted.body());
        String callback = posted.headers().firstValue("location").orElseThrow();
        // the callback is under the host the flow was started on (authgate.public-url is unset here)
        assertTrue(callback.matches("http://(localhost|127\\.0\\.0\\.1):" + RestAssured.port
                + "/api:main/auth/oauth/kc/callback\\?.*"), callback);
        assertEquals(KeycloakServer.issuer(), query(callback).get("iss"), "Keycloak sends RFC 9207's iss");
        return new AtCallback(jar, callback, start);
    }

    /** The whole browser part: start, Keycloak, callback; the app's landing URL. */
    static String signIn(String user, String password, String extra) throws Exception {
        AtCallback at = signInAtKeycloak(new CookieJar(), startUrl(extra), user, password);
        HttpResponse<String> landed = at.jar().get(at.callbackUrl());
        assertEquals(302, landed.statusCode(), landed.body());
        assertFalse(at.jar().cookies.containsKey("authgate_federation"), "the callback clears the flow's cookie");
        return landed.headers().firstValue("location").orElseThrow();
    }

    static String codeOf(String landing) {
        assertTrue(landing.startsWith(KeycloakServer.APP_REDIRECT + "?code="), landing);
        Map<String, String> q = query(landing);
        assertEquals(1, q.size(), "only the one-time code, never a token, in the URL: " + landing);
        return q.get("code");
    }

    static io.restassured.response.Response exchange(String code, String verifier) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("code", code);
        if (verifier != null) {
            body.put("code_verifier", verifier);
        }
        return RestAssured.given().contentType(ContentType.JSON).body(body).post("/api:main/auth/oauth/token");
    }

    static long identities(String subjectEmail) {
        return TestDatabase.scalar("select count(*) from auth_identity where provider = 'kc' and email = ?",
                subjectEmail);
    }

    @Test
    @Order(1)
    void aNewPersonSignsUpThroughKeycloakAndComesBackToTheSameRecord() throws Exception {
        String code = codeOf(signIn("new-verified", "pw-new-verified", ""));
        String token = exchange(code, null).then().statusCode(200).extract().path("authToken");

        long id = TestDatabase.scalar("select id from \"user\" where email = 'new-verified@kc.test'");
        assertEquals("true", TestDatabase.text("select verified::text from \"user\" where id = ?", id),
                "Keycloak said the email is verified");
        assertEquals("New Verified", TestDatabase.text("select name from \"user\" where id = ?", id));
        assertEquals(Federation.NO_PASSWORD, TestDatabase.text("select password_hash from \"user\" where id = ?", id));
        assertEquals(1, identities("new-verified@kc.test"));
        Map<String, Object> claims = Jwe.decrypt(token).claims();
        assertEquals(id, ((Number) claims.get("id")).longValue());
        assertEquals("user", claims.get("dbtable"));
        Api.bearer(token).get("/api:main/auth/me").then().statusCode(200)
                .body("email", equalTo("new-verified@kc.test"));
        // no usable password: a login with any password is refused
        RestAssured.given().contentType(ContentType.JSON)
                .body(Map.of("email", "new-verified@kc.test", "password", Federation.NO_PASSWORD))
                .post("/api:main/auth/login").then().statusCode(403);

        // the code was single use
        exchange(code, null).then().statusCode(400).body("code", equalTo("ERROR_CODE_INPUT_ERROR"))
                .body("payload.param", equalTo("code"));

        // again: the identity opens the same record, nothing new is made
        String again = exchange(codeOf(signIn("new-verified", "pw-new-verified", "")), null)
                .then().statusCode(200).extract().path("authToken");
        assertEquals(id, ((Number) Jwe.decrypt(again).claims().get("id")).longValue());
        assertEquals(1, TestDatabase.scalar("select count(*) from \"user\" where email = 'new-verified@kc.test'"));
        assertEquals(1, identities("new-verified@kc.test"));
    }

    @Test
    @Order(2)
    void aVerifiedRecordIsLinkedWhenKeycloakSaysTheEmailIsVerified() throws Exception {
        Api.signup("both-verified@kc.test");
        TestDatabase.update("update \"user\" set verified = true where email = 'both-verified@kc.test'");
        long id = TestDatabase.scalar("select id from \"user\" where email = 'both-verified@kc.test'");

        String token = exchange(codeOf(signIn("both-verified", "pw-both-verified", "")), null)
                .then().statusCode(200).extract().path("authToken");
        assertEquals(id, ((Number) Jwe.decrypt(token).claims().get("id")).longValue());
        assertEquals(1, identities("both-verified@kc.test"));
        assertTrue(TestDatabase.text("select password_hash from \"user\" where id = ?", id).startsWith("$2"),
                "the record keeps its password");
    }

    @Test
    @Order(3)
    void anUnverifiedRecordIsNotLinkedEvenWhenKeycloakVerified() throws Exception {
        Api.signup("record-unverified@kc.test"); // never verified
        long sessions = TestDatabase.scalar("select count(*) from auth_session");

        exchange(codeOf(signIn("record-unverified", "pw-record-unverified", "")), null)
                .then().statusCode(403).body("code", equalTo("ERROR_CODE_ACCESS_DENIED"))
                .body("message", equalTo(Federation.LINK_FIRST));
        assertEquals(0, identities("record-unverified@kc.test"));
        assertEquals(sessions, TestDatabase.scalar("select count(*) from auth_session"), "no token issued");
        assertEquals("false", TestDatabase.text("select verified::text from \"user\" where email ="
                + " 'record-unverified@kc.test'"));
    }

    @Test
    @Order(4)
    void anEmailKeycloakDidNotVerifyLinksNothingAndMakesNothing() throws Exception {
        Api.signup("provider-unverified@kc.test");
        TestDatabase.update("update \"user\" set verified = true where email = 'provider-unverified@kc.test'");

        String code = codeOf(signIn("provider-unverified", "pw-provider-unverified", ""));
        exchange(code, null).then().statusCode(403).body("code", equalTo("ERROR_CODE_ACCESS_DENIED"))
                .body("message", equalTo(Federation.LINK_FIRST));
        assertEquals(0, identities("provider-unverified@kc.test"));
        assertEquals(1, TestDatabase.scalar("select count(*) from \"user\" where email = 'provider-unverified@kc.test'"));
    }

    @Test
    @Order(5)
    void aReplayedStateAndAMissingCookieAreRefusedInTheErrorShape() throws Exception {
        AtCallback at = signInAtKeycloak(new CookieJar(), startUrl(""), "browser", "pw-browser");
        // the callback without the browser's cookie (login CSRF: someone else's callback link)
        HttpResponse<String> noCookie = CookieJar.HTTP.send(HttpRequest.newBuilder(URI.create(at.callbackUrl())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, noCookie.statusCode());
        assertTrue(noCookie.body().contains("\"code\":\"ERROR_CODE_ACCESS_DENIED\""), noCookie.body());
        assertTrue(noCookie.headers().firstValue("location").isEmpty());
        // that used the state up: the right browser cannot finish it either, and a replay is the same
        HttpResponse<String> replay = at.jar().get(at.callbackUrl());
        assertEquals(400, replay.statusCode());
        assertTrue(replay.body().contains("\"payload\":{\"param\":\"state\"}"), replay.body());
        assertTrue(replay.headers().firstValue("location").isEmpty());

        // a finished flow replayed
        AtCallback done = signInAtKeycloak(new CookieJar(), startUrl(""), "browser", "pw-browser");
        assertEquals(302, done.jar().get(done.callbackUrl()).statusCode());
        HttpResponse<String> again = done.jar().get(done.callbackUrl());
        assertEquals(400, again.statusCode(), again.body());
        assertTrue(again.body().contains("ERROR_CODE_INPUT_ERROR"), again.body());

        // no state at all
        HttpResponse<String> none = new CookieJar().get(authgate() + "/api:main/auth/oauth/kc/callback?code=x");
        assertEquals(400, none.statusCode());
        assertTrue(none.body().contains("Missing param: state"), none.body());
        // the provider said no
        AtCallback denied = signInAtKeycloak(new CookieJar(), startUrl(""), "browser", "pw-browser");
        String state = query(denied.callbackUrl()).get("state");
        HttpResponse<String> refused = denied.jar().get(authgate() + "/api:main/auth/oauth/kc/callback?error=access_denied"
                + "&state=" + enc(state) + "&iss=" + enc(KeycloakServer.issuer()));
        assertEquals(302, refused.statusCode());
        String location = refused.headers().firstValue("location").orElseThrow();
        assertTrue(location.startsWith(KeycloakServer.APP_REDIRECT + "?error=access_denied&error_description="),
                location);
    }

    /** Debian's Chromium (console/Browser) clicks through Keycloak's own login page and lands on the app's page. */
    @Test
    @Order(50)
    void aBrowserClicksThroughKeycloaksLoginPageAndTheAppGetsAToken() throws Exception {
        com.sun.net.httpserver.HttpServer app = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), KeycloakServer.APP_PORT), 0);
        app.createContext("/app/signed-in", exchange -> {
            byte[] page = "<!doctype html><title>Signed in</title><h1 id=landed>Signed in</h1>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        app.start();
        org.openqa.selenium.chrome.ChromeDriver driver = dev.authgate.console.Browser.open(1280, 900);
        try {
            var wait = new org.openqa.selenium.support.ui.WebDriverWait(driver, Duration.ofSeconds(90));
            driver.get(authgate() + "/api:main/auth/oauth/kc/start?redirect_uri="
                    + enc(KeycloakServer.APP_PAGE));
            wait.until(d -> !d.findElements(org.openqa.selenium.By.id("username")).isEmpty());
            assertTrue(driver.getCurrentUrl().startsWith(KeycloakServer.issuer()), driver.getCurrentUrl());
            driver.findElement(org.openqa.selenium.By.id("username")).sendKeys("browser");
            driver.findElement(org.openqa.selenium.By.id("password")).sendKeys("pw-browser");
            driver.findElement(org.openqa.selenium.By.id("kc-login")).click();
            wait.until(d -> d.getCurrentUrl().startsWith(KeycloakServer.APP_PAGE)
                    && !d.findElements(org.openqa.selenium.By.id("landed")).isEmpty());
            String landing = driver.getCurrentUrl();
            Map<String, String> q = query(landing);
            assertEquals(List.of("code"), List.copyOf(q.keySet()), landing);
            String token = exchange(q.get("code"), null).then().statusCode(200).extract().path("authToken");
            long id = TestDatabase.scalar("select id from \"user\" where email = 'browser@kc.test'");
            assertEquals(id, ((Number) Jwe.decrypt(token).claims().get("id")).longValue());
            assertEquals(1, identities("browser@kc.test"));
        } finally {
            driver.quit();
            app.stop(0);
        }
    }

    @Test
    @Order(6)
    void aRedirectUriOffTheAllowlistIsRefusedWithNoRedirect() throws Exception {
        for (String bad : List.of("https://evil.example/cb", KeycloakServer.APP_REDIRECT + "/",
                KeycloakServer.APP_REDIRECT + "?next=https://evil.example", "//evil.example")) {
            HttpResponse<String> answer = new CookieJar().get(authgate() + "/api:main/auth/oauth/kc/start?redirect_uri="
                    + enc(bad));
            assertEquals(400, answer.statusCode(), bad);
            assertTrue(answer.headers().firstValue("location").isEmpty(), bad);
            assertTrue(answer.body().contains("\"payload\":{\"param\":\"redirect_uri\"}"), answer.body());
        }
        assertEquals(0, TestDatabase.scalar("select count(*) from auth_federation_flow where redirect_uri <> ?",
                KeycloakServer.APP_REDIRECT));
        // a provider the group does not offer is no route
        HttpResponse<String> staff = new CookieJar().get(authgate() + "/api:staff/auth/oauth/kc/start?redirect_uri="
                + enc(KeycloakServer.APP_REDIRECT));
        assertEquals(404, staff.statusCode());
    }

    @Test
    @Order(7)
    void theAppsOwnPkceBindsItsCode() throws Exception {
        String verifier = "app-verifier-" + "x".repeat(40);
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        String extra = "&code_challenge=" + challenge + "&code_challenge_method=S256";

        exchange(codeOf(signIn("pkce", "pw-pkce", extra)), null).then().statusCode(400)
                .body("payload.param", equalTo("code_verifier"));
        exchange(codeOf(signIn("pkce", "pw-pkce", extra)), "wrong-" + verifier).then().statusCode(400)
                .body("payload.param", equalTo("code_verifier"));
        assertEquals(0, TestDatabase.scalar("select count(*) from \"user\" where email = 'pkce@kc.test'"));
        assertEquals(0, identities("pkce@kc.test"), "a sign-in with the app's PKCE is no link flow");
        String token = exchange(codeOf(signIn("pkce", "pw-pkce", extra)), verifier).then().statusCode(200)
                .extract().path("authToken");
        assertEquals("user", Jwe.decrypt(token).claims().get("dbtable"));
    }

    @Test
    @Order(8)
    void aSignedInAccountLinksKeycloakAndUnlinksIt() throws Exception {
        String token = Api.signup("linker@example.test");
        long id = TestDatabase.scalar("select id from \"user\" where email = 'linker@example.test'");
        String url = Api.bearer(token).contentType(ContentType.JSON)
                .body(Map.of("redirect_uri", KeycloakServer.APP_REDIRECT))
                .post("/api:main/auth/identities/kc/link").then().statusCode(200).extract().path("url");
        assertTrue(url.matches("http://(localhost|127\\.0\\.0\\.1):" + RestAssured.port
                + "/api:main/auth/oauth/kc/start\\?link=[A-Za-z0-9_-]{43}"), url);

        AtCallback at = signInAtKeycloak(new CookieJar(), url, "linker", "pw-linker");
        HttpResponse<String> landed = at.jar().get(at.callbackUrl());
        assertEquals(302, landed.statusCode(), landed.body());
        assertEquals(KeycloakServer.APP_REDIRECT + "?linked=kc", landed.headers().firstValue("location").orElseThrow());
        assertEquals(id, TestDatabase.scalar("select account_id from auth_identity where email = 'linker-at-kc@kc.test'"));
        // the link URL was single use
        assertEquals(400, new CookieJar().get(url).statusCode());

        long identityId = ((Number) Api.bearer(token).get("/api:main/auth/identities").then().statusCode(200)
                .body("size()", equalTo(1)).body("[0].provider", equalTo("kc"))
                .body("[0].email", equalTo("linker-at-kc@kc.test")).body("[0].email_verified", equalTo(true))
                .extract().path("[0].id")).longValue();

        // signing in with Keycloak now opens this record, whatever the email
        String viaKeycloak = exchange(codeOf(signIn("linker", "pw-linker", "")), null).then().statusCode(200)
                .extract().path("authToken");
        assertEquals(id, ((Number) Jwe.decrypt(viaKeycloak).claims().get("id")).longValue());

        // it has a password, so the identity is not its last way in
        Api.bearer(token).delete("/api:main/auth/identities/" + identityId).then().statusCode(200)
                .body("unlinked", equalTo(true));
        assertEquals(0, identities("linker-at-kc@kc.test"));
        Api.bearer(token).delete("/api:main/auth/identities/" + identityId).then().statusCode(404)
                .body("code", equalTo("ERROR_CODE_NOT_FOUND"));
    }

    @Test
    @Order(9)
    void theLastWayToSignInCannotBeUnlinked() {
        long id = TestDatabase.scalar("select id from \"user\" where email = 'new-verified@kc.test'");
        long identity = TestDatabase.scalar("select id from auth_identity where email = 'new-verified@kc.test'");
        String token = Api.login("main", "both-verified@kc.test", Api.PASSWORD); // another account's token
        Api.bearer(token).delete("/api:main/auth/identities/" + identity).then().statusCode(404);
        String own = exchange(codeOf(signInQuietly()), null).then().statusCode(200).extract().path("authToken");
        assertEquals(id, ((Number) Jwe.decrypt(own).claims().get("id")).longValue());
        Api.bearer(own).delete("/api:main/auth/identities/" + identity).then().statusCode(403)
                .body("code", equalTo("ERROR_CODE_ACCESS_DENIED"))
                .body("message", equalTo("This is the account's last way to sign in: set a password or link another"
                        + " provider first."));
        assertEquals(1, identities("new-verified@kc.test"));
    }

    private static String signInQuietly() {
        try {
            return signIn("new-verified", "pw-new-verified", "");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Keycloak gets a new signing key of higher priority mid-test: its id_tokens now carry a kid Authgate's cached
     * JWKS does not hold, which makes it refetch the keys once (Nimbus, rate-limited) and the sign-in goes through.
     */
    @Test
    @Order(60)
    void aKeyRotatedAtKeycloakIsFetchedOnItsFirstUnknownKid() throws Exception {
        String admin = RestAssured.given().formParam("grant_type", "password").formParam("client_id", "admin-cli")
                .formParam("username", KeycloakServer.ADMIN).formParam("password", KeycloakServer.ADMIN_PASSWORD)
                .post(KeycloakServer.base() + "/realms/master/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
        String realmId = RestAssured.given().auth().oauth2(admin)
                .get(KeycloakServer.base() + "/admin/realms/" + KeycloakServer.REALM).then().statusCode(200)
                .extract().path("id");
        List<String> before = RestAssured.given().get(KeycloakServer.issuer() + "/protocol/openid-connect/certs")
                .then().statusCode(200).extract().path("keys.kid");
        RestAssured.given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("name", "rotated-" + System.nanoTime(), "providerId", "rsa-generated",
                        "providerType", "org.keycloak.keys.KeyProvider", "parentId", realmId,
                        "config", Map.of("priority", List.of("1000"), "keySize", List.of("2048"),
                                "active", List.of("true"), "enabled", List.of("true"), "algorithm", List.of("RS256"))))
                .post(KeycloakServer.base() + "/admin/realms/" + KeycloakServer.REALM + "/components")
                .then().statusCode(201);
        List<String> after = RestAssured.given().get(KeycloakServer.issuer() + "/protocol/openid-connect/certs")
                .then().statusCode(200).extract().path("keys.kid");
        assertTrue(after.stream().anyMatch(k -> !before.contains(k)), "a new key: " + before + " -> " + after);

        String token = exchange(codeOf(signIn("new-verified", "pw-new-verified", "")), null).then().statusCode(200)
                .extract().path("authToken");
        long id = TestDatabase.scalar("select id from \"user\" where email = 'new-verified@kc.test'");
        assertEquals(id, ((Number) Jwe.decrypt(token).claims().get("id")).longValue());
    }

    @Test
    @Order(100)
    void keycloakStoppedMidFlowIsA502InTheErrorShape() throws Exception {
        AtCallback at = signInAtKeycloak(new CookieJar(), startUrl(""), "outage", "pw-outage");
        KeycloakServer.halt();
        HttpResponse<String> answer = at.jar().get(at.callbackUrl());
        assertEquals(502, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("\"code\":\"ERROR_CODE_BAD_GATEWAY\""), answer.body());
        assertTrue(answer.body().contains("The identity provider kc is unavailable"), answer.body());
        assertTrue(answer.headers().firstValue("location").isEmpty());
        assertEquals(0, TestDatabase.scalar("select count(*) from \"user\" where email = 'outage@kc.test'"));
        String metrics = RestAssured.given().get(dev.authgate.support.Management.url("/metrics")).then().statusCode(200)
                .extract().asString();
        assertTrue(metrics.contains("authgate_federation_failures_total{provider=\"kc\",reason=\"unavailable\"}"),
                "the outage is counted");
    }
}
