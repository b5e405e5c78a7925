package dev.authgate.oidc;

import static dev.authgate.oidc.OidcFlowTest.exchange;
import static dev.authgate.oidc.OidcFlowTest.request;
import static dev.authgate.oidc.OidcFlowTest.sessions;
import static dev.authgate.oidc.OidcProfile.OTHER;
import static dev.authgate.oidc.OidcProfile.OTHER_SECRET;
import static dev.authgate.oidc.OidcProfile.SPA;
import static dev.authgate.oidc.OidcProfile.SPA_REDIRECT;
import static dev.authgate.oidc.OidcProfile.STAFF_APP;
import static dev.authgate.oidc.OidcProfile.STAFF_REDIRECT;
import static dev.authgate.oidc.OidcProfile.STAFF_SECRET;
import static dev.authgate.oidc.OidcProfile.WEB;
import static dev.authgate.oidc.OidcProfile.WEB_REDIRECT;
import static dev.authgate.oidc.OidcProfile.WEB_SECRET;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

import com.nimbusds.jwt.SignedJWT;

import dev.authgate.oidc.OidcBrowser.Pkce;
import dev.authgate.oidc.OidcFlowTest.User;
import dev.authgate.support.Api;
import dev.authgate.support.TestDatabase;

/** What the provider refuses, and how: an error page, an error redirect, or the token endpoint's error. */
@QuarkusTest
@TestProfile(OidcProfile.class)
class OidcNegativeTest {

    private static final String MAIN_ISSUER_PATH = "/oidc/main";

    /** A signed-in browser's code for this request (the page's form followed). */
    private static String code(User user, Map<String, String> params) {
        Response back = new OidcBrowser().signIn(OidcBrowser.authorize("main", params), user.email(), Api.PASSWORD);
        back.then().statusCode(303);
        return OidcBrowser.query(back.header("Location")).get("code");
    }

    private static String webCode(User user) {
        return code(user, request(WEB, WEB_REDIRECT, "openid", "s", null));
    }

    private static byte[] sha256(String s) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static void oauthError(Response r, int status, String error) {
        r.then().statusCode(status).header("Cache-Control", "no-store").body("error", equalTo(error))
                .body("error_description", org.hamcrest.Matchers.notNullValue());
    }

    /** An error redirect to the client: the error, the state, the issuer. */
    private static Map<String, String> redirectedError(Response r, String redirectUri, String error, String state) {
        r.then().statusCode(303);
        String location = r.header("Location");
        assertTrue(location.startsWith(redirectUri + "?"), location);
        Map<String, String> q = OidcBrowser.query(location);
        assertEquals(error, q.get("error"), location);
        assertEquals(state, q.get("state"));
        assertEquals(OidcDiscoveryTest.issuer("main"), q.get("iss"));
        assertNull(q.get("code"));
        return q;
    }

    /** An error page: never a redirect anywhere. */
    private static void errorPage(Response r, String says) {
        r.then().statusCode(400).header("Location", nullValue()).contentType(containsString("text/html"))
                .header("Content-Security-Policy", containsString("default-src 'none'"))
                .body(containsString(says));
    }

    // ---------------------------------------------------------------- the client and its redirect URI

    @Test
    void aRedirectUriThatIsNotExactlyRegisteredIsAnErrorPageNeverARedirect() {
        List<String> variants = List.of(
                "https://app.example/call", // prefix
                "https://app.example/callback/extra", // extra path
                "https://app.example/callback/../callback",
                "https://app.example:8443/callback", // other port
                "https://app.example:443/callback", // the same port, spelled
                "https://app.example/callback#fragment", // fragment
                "https://app.example/callback?x=1", // extra query
                "http://app.example/callback", // other scheme
                "https://APP.example/callback",
                "https://app.example.evil.example/callback",
                "https://app.example/callback ",
                OidcProfile.OTHER_REDIRECT); // another client's
        for (String uri : variants) {
            errorPage(new OidcBrowser().get(OidcBrowser.authorize("main", request(WEB, uri, "openid", "s", null))),
                    "redirect_uri");
        }
        Map<String, String> missing = request(WEB, WEB_REDIRECT, "openid", "s", null);
        missing.remove("redirect_uri");
        errorPage(new OidcBrowser().get(OidcBrowser.authorize("main", missing)), "redirect_uri");
        // repeated: which one would be meant?
        errorPage(new OidcBrowser().get(OidcBrowser.authorize("main", request(WEB, WEB_REDIRECT, "openid", "s", null))
                + "&redirect_uri=" + OidcBrowser.enc(WEB_REDIRECT)), "repeated");
    }

    @Test
    void anUnknownClientOrAnotherGroupsClientIsAnErrorPage() {
        errorPage(new OidcBrowser().get(OidcBrowser.authorize("main", request("nobody", WEB_REDIRECT, "openid", "s",
                null))), "Unknown client_id");
        errorPage(new OidcBrowser().get(OidcBrowser.authorize("main", request(STAFF_APP, STAFF_REDIRECT, "openid", "s",
                null))), "Unknown client_id");
        Map<String, String> noClient = request(WEB, WEB_REDIRECT, "openid", "s", null);
        noClient.remove("client_id");
        errorPage(new OidcBrowser().get(OidcBrowser.authorize("main", noClient)), "Unknown client_id");
    }

    // ---------------------------------------------------------------- errors redirected to the client

    @Test
    void malformedRequestsGoBackToTheClientWithStateAndIss() {
        Map<String, Map.Entry<String, String>> cases = new java.util.LinkedHashMap<>();
        cases.put("response_type=token", Map.entry("response_type", "token"));
        cases.put("scope without openid", Map.entry("scope", "email"));
        cases.put("a scope not allowed", Map.entry("scope", "openid admin"));
        cases.put("prompt none with login", Map.entry("prompt", "none login"));
        cases.put("prompt unknown", Map.entry("prompt", "sometimes"));
        cases.put("max_age", Map.entry("max_age", "-1"));
        cases.put("response_mode", Map.entry("response_mode", "fragment"));
        Map<String, String> expected = Map.of("response_type=token", "unsupported_response_type",
                "scope without openid", "invalid_scope", "a scope not allowed", "invalid_scope");
        cases.forEach((name, change) -> {
            Map<String, String> params = request(WEB, WEB_REDIRECT, "openid", "st-" + name.length(), null);
            params.put(change.getKey(), change.getValue());
            redirectedError(new OidcBrowser().get(OidcBrowser.authorize("main", params)), WEB_REDIRECT,
                    expected.getOrDefault(name, "invalid_request"), "st-" + name.length());
        });
        Map<String, String> noType = request(WEB, WEB_REDIRECT, "openid", "st", null);
        noType.remove("response_type");
        redirectedError(new OidcBrowser().get(OidcBrowser.authorize("main", noType)), WEB_REDIRECT, "invalid_request",
                "st");
        Map<String, String> withRequest = request(WEB, WEB_REDIRECT, "openid", "st", null);
        withRequest.put("request", "eyJhbGciOiJub25lIn0.e30.");
        redirectedError(new OidcBrowser().get(OidcBrowser.authorize("main", withRequest)), WEB_REDIRECT,
                "request_not_supported", "st");
        // offline_access is allowed for web, not for spa
        Map<String, String> offline = request(SPA, SPA_REDIRECT, "openid offline_access", "st", null);
        Pkce pkce = Pkce.create();
        offline.put("code_challenge", pkce.challenge());
        offline.put("code_challenge_method", "S256");
        redirectedErrorAt(new OidcBrowser().get(OidcBrowser.authorize("main", offline)), SPA_REDIRECT,
                "invalid_scope");
        // a repeated parameter other than client_id and redirect_uri
        redirectedError(new OidcBrowser().get(OidcBrowser.authorize("main", request(WEB, WEB_REDIRECT, "openid", "st",
                null)) + "&scope=openid"), WEB_REDIRECT, "invalid_request", "st");
    }

    private static void redirectedErrorAt(Response r, String redirectUri, String error) {
        r.then().statusCode(303);
        assertEquals(error, OidcBrowser.query(r.header("Location")).get("error"), r.header("Location"));
        assertTrue(r.header("Location").startsWith(redirectUri + "?"));
    }

    @Test
    void pkcePlainOrNoPkceForAPublicClientIsRefused() {
        Pkce pkce = Pkce.create();
        Map<String, String> plain = request(SPA, SPA_REDIRECT, "openid", "p1", null);
        plain.put("code_challenge", pkce.verifier());
        plain.put("code_challenge_method", "plain");
        Map<String, String> q = redirectedErrorAtState(new OidcBrowser().get(OidcBrowser.authorize("main", plain)),
                "p1");
        assertTrue(q.get("error_description").contains("plain is refused"), q.toString());

        Map<String, String> noMethod = request(SPA, SPA_REDIRECT, "openid", "p2", null);
        noMethod.put("code_challenge", pkce.challenge()); // RFC 7636 reads a missing method as plain
        redirectedErrorAtState(new OidcBrowser().get(OidcBrowser.authorize("main", noMethod)), "p2");

        Map<String, String> none = request(SPA, SPA_REDIRECT, "openid", "p3", null);
        Map<String, String> q3 = redirectedErrorAtState(new OidcBrowser().get(OidcBrowser.authorize("main", none)),
                "p3");
        assertTrue(q3.get("error_description").contains("PKCE is required"), q3.toString());

        Map<String, String> shortChallenge = request(SPA, SPA_REDIRECT, "openid", "p4", null);
        shortChallenge.put("code_challenge", "abc");
        shortChallenge.put("code_challenge_method", "S256");
        redirectedErrorAtState(new OidcBrowser().get(OidcBrowser.authorize("main", shortChallenge)), "p4");
    }

    private static Map<String, String> redirectedErrorAtState(Response r, String state) {
        return redirectedError(r, SPA_REDIRECT, "invalid_request", state);
    }

    @Test
    void promptNoneWithoutASignInIsLoginRequired() {
        Map<String, String> params = request(WEB, WEB_REDIRECT, "openid", "quiet", null);
        params.put("prompt", "none");
        redirectedError(new OidcBrowser().get(OidcBrowser.authorize("main", params)), WEB_REDIRECT, "login_required",
                "quiet");
    }

    @Test
    void theRequestMayComeAsAFormPost() {
        String query = OidcBrowser.authorize("main", request(WEB, WEB_REDIRECT, "openid", "posted", null));
        Response page = new OidcBrowser().request().contentType("application/x-www-form-urlencoded")
                .body(query.substring(query.indexOf('?') + 1)).post("/oidc/main/authorize");
        page.then().statusCode(200).body(containsString("name=\"password\""));
        Map<String, String> params = request(WEB, WEB_REDIRECT, "openid", "quiet", null);
        params.put("prompt", "none");
        String none = OidcBrowser.authorize("main", params);
        redirectedError(new OidcBrowser().request().contentType("application/x-www-form-urlencoded")
                .body(none.substring(none.indexOf('?') + 1)).post("/oidc/main/authorize"), WEB_REDIRECT,
                "login_required", "quiet");
    }

    @Test
    void aSignedInBrowserGetsItsCodeSilentlyWithPromptNoneOrAGenerousMaxAge() {
        User user = User.create();
        OidcBrowser browser = new OidcBrowser();
        browser.signIn(OidcBrowser.authorize("main", request(WEB, WEB_REDIRECT, "openid", "a", null)), user.email(),
                Api.PASSWORD).then().statusCode(303);
        for (var extra : List.of(Map.entry("prompt", "none"), Map.entry("max_age", "3600"))) {
            Map<String, String> params = request(WEB, WEB_REDIRECT, "openid", "silent", null);
            params.put(extra.getKey(), extra.getValue());
            Response r = browser.get(OidcBrowser.authorize("main", params));
            r.then().statusCode(303);
            Map<String, String> q = OidcBrowser.query(r.header("Location"));
            assertEquals("silent", q.get("state"), extra.toString());
            assertTrue(q.get("code") != null && q.get("error") == null, extra + ": " + q);
        }
        // the same browser is not signed in to another group: prompt=none there is login_required
        Map<String, String> staff = request(STAFF_APP, STAFF_REDIRECT, "openid", "st", null);
        staff.put("prompt", "none");
        Response r = browser.get(OidcBrowser.authorize("staff", staff));
        r.then().statusCode(303);
        assertEquals("login_required", OidcBrowser.query(r.header("Location")).get("error"));
    }

    @Test
    void promptLoginShowsTheFormToASignedInBrowser() {
        User user = User.create();
        OidcBrowser browser = new OidcBrowser();
        browser.signIn(OidcBrowser.authorize("main", request(WEB, WEB_REDIRECT, "openid", "a", null)), user.email(),
                Api.PASSWORD).then().statusCode(303);
        Map<String, String> params = request(WEB, WEB_REDIRECT, "openid", "b", null);
        params.put("prompt", "login");
        browser.get(OidcBrowser.authorize("main", params)).then().statusCode(200)
                .body(containsString("name=\"password\""));
    }

    // ---------------------------------------------------------------- the token endpoint

    @Test
    void pkceVerifierMissingOrWrongIsInvalidGrant() {
        User user = User.create();
        Pkce pkce = Pkce.create();
        for (String verifier : new String[] { null, Pkce.create().verifier(), "short" }) {
            Map<String, String> params = request(SPA, SPA_REDIRECT, "openid", "s", null);
            params.put("code_challenge", pkce.challenge());
            params.put("code_challenge_method", "S256");
            String code = code(user, params);
            oauthError(exchange(SPA, null, code, SPA_REDIRECT, verifier), 400, "invalid_grant");
            assertEquals(1, TestDatabase.scalar("select count(*) from oidc_code where issued_jti is null and code_hash"
                    + " = ?", (Object) sha256Unchecked(code)), "used, nothing issued");
        }
        // a confidential client that sent no challenge may not send a verifier (a PKCE downgrade)
        oauthError(exchange(WEB, WEB_SECRET, webCode(user), WEB_REDIRECT, pkce.verifier()), 400, "invalid_grant");
    }

    private static byte[] sha256Unchecked(String s) {
        try {
            return sha256(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aReplayedCodeIsRefusedAndEndsWhatItsFirstUseIssued() throws Exception {
        User user = User.create();
        String code = webCode(user);
        Response first = exchange(WEB, WEB_SECRET, code, WEB_REDIRECT, null);
        first.then().statusCode(200);
        String accessToken = first.path("access_token");
        String jti = SignedJWT.parse(accessToken).getJWTClaimsSet().getJWTID();
        given().header("Authorization", "Bearer " + accessToken).get("/oidc/main/userinfo").then().statusCode(200);

        oauthError(exchange(WEB, WEB_SECRET, code, WEB_REDIRECT, null), 400, "invalid_grant");
        assertEquals(0, sessions(jti), "the first exchange's session is ended");
        given().header("Authorization", "Bearer " + accessToken).get("/oidc/main/userinfo").then().statusCode(401)
                .body("error", equalTo("invalid_token"));
        assertEquals(1, TestDatabase.scalar("select count(*) from oidc_code where replayed and code_hash = ?",
                (Object) sha256(code)));
    }

    @Test
    void aCodeExchangedManyTimesAtOnceLeavesAtMostOneAnswerAndNoLiveToken() throws Exception {
        User user = User.create();
        String code = webCode(user);
        int racers = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(racers);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<Response>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < racers; i++) {
            answers.add(pool.submit(() -> {
                start.await();
                return exchange(WEB, WEB_SECRET, code, WEB_REDIRECT, null);
            }));
        }
        start.countDown();
        List<String> issued = new java.util.ArrayList<>();
        int refused = 0;
        for (var answer : answers) {
            Response r = answer.get(120, java.util.concurrent.TimeUnit.SECONDS);
            if (r.statusCode() == 200) {
                issued.add(r.path("access_token"));
            } else {
                oauthError(r, 400, "invalid_grant");
                refused++;
            }
        }
        pool.shutdown();
        assertTrue(issued.size() <= 1, "one code, at most one answer: " + issued.size());
        assertEquals(racers - issued.size(), refused);
        // every other use was a replay: whatever the winner got is ended (or was never committed)
        for (String accessToken : issued) {
            given().header("Authorization", "Bearer " + accessToken).get("/oidc/main/userinfo").then().statusCode(401);
        }
        assertEquals(0, TestDatabase.scalar("select count(*) from oidc_code c join auth_session s on s.jti = "
                + "c.issued_jti where c.code_hash = ?", (Object) sha256(code)));
    }

    @Test
    void anotherClientsCodeIsRefusedAndBurnt() {
        User user = User.create();
        String code = webCode(user);
        oauthError(exchange(OTHER, OTHER_SECRET, code, WEB_REDIRECT, null), 400, "invalid_grant");
        // a code is tried once: the client it was issued to cannot use it after that either
        oauthError(exchange(WEB, WEB_SECRET, code, WEB_REDIRECT, null), 400, "invalid_grant");
        assertEquals(1, TestDatabase.scalar("select count(*) from oidc_code where issued_jti is null and code_hash = ?",
                (Object) sha256Unchecked(code)), "nothing was issued for it");
    }

    @Test
    void aCodeWithAnotherRedirectUriIsInvalidGrant() {
        User user = User.create();
        oauthError(exchange(WEB, WEB_SECRET, webCode(user), "https://app.example/other", null), 400, "invalid_grant");
    }

    @Test
    void anExpiredCodeIsInvalidGrantAndIssuesNothing() throws Exception {
        User user = User.create();
        String code = webCode(user);
        assertEquals(1, TestDatabase.update("update oidc_code set expires_at = now() - interval '1 second' where "
                + "code_hash = ?", (Object) sha256(code)));
        oauthError(exchange(WEB, WEB_SECRET, code, WEB_REDIRECT, null), 400, "invalid_grant");
        assertEquals(1, TestDatabase.scalar("select count(*) from oidc_code where used_at is null and issued_jti is "
                + "null and code_hash = ?", (Object) sha256(code)));
    }

    @Test
    void anUnknownCodeIsInvalidGrant() {
        oauthError(exchange(WEB, WEB_SECRET, "not-a-code", WEB_REDIRECT, null), 400, "invalid_grant");
    }

    @Test
    void clientAuthenticationFailuresAreInvalidClientWith401() {
        List<io.restassured.specification.RequestSpecification> attempts = List.of(
                given().auth().preemptive().basic(WEB, "wrong-secret-0123456789"),
                given().auth().preemptive().basic("nobody", WEB_SECRET),
                given().header("Authorization", "Basic !!!"),
                // two methods at once
                given().auth().preemptive().basic(WEB, WEB_SECRET).formParam("client_secret", WEB_SECRET),
                // a confidential client without its secret, a public client with one
                given().formParam("client_id", WEB),
                given().formParam("client_id", SPA).formParam("client_secret", "anything-at-all-0123"),
                // no client at all
                given(),
                // another group's client at this issuer
                given().auth().preemptive().basic(STAFF_APP, STAFF_SECRET));
        for (var attempt : attempts) {
            Response r = attempt.contentType("application/x-www-form-urlencoded")
                    .formParam("grant_type", "authorization_code").formParam("code", "x")
                    .formParam("redirect_uri", WEB_REDIRECT).post(MAIN_ISSUER_PATH + "/token");
            oauthError(r, 401, "invalid_client");
            r.then().header("WWW-Authenticate", containsString("Basic"));
        }
    }

    /** Wrong secrets count against the client id: past the limit, 429 even with the right secret; others unaffected. */
    @Test
    void repeatedClientFailuresEndIn429EvenWithTheRightSecret() {
        for (int i = 0; i < OidcProfile.MAX_FAILURES; i++) {
            oauthError(token(given().auth().preemptive().basic(OidcProfile.LOCKED, "wrong-secret-number-" + i)), 401,
                    "invalid_client");
        }
        Response refused = token(given().auth().preemptive().basic(OidcProfile.LOCKED, OidcProfile.LOCKED_SECRET));
        refused.then().statusCode(429).body("code", equalTo("ERROR_CODE_TOO_MANY_REQUESTS"));
        assertTrue(Long.parseLong(refused.header("Retry-After")) >= 1, refused.header("Retry-After"));
        assertEquals(OidcProfile.MAX_FAILURES,
                TestDatabase.scalar("select count(*) from auth_attempt where key = ?", "oidc-client:locked"));
        // another client from the same address still authenticates (its answer: the code is unknown)
        oauthError(token(given().auth().preemptive().basic(WEB, WEB_SECRET)), 400, "invalid_grant");
    }

    private static Response token(io.restassured.specification.RequestSpecification client) {
        return client.contentType("application/x-www-form-urlencoded").formParam("grant_type", "authorization_code")
                .formParam("code", "x").formParam("redirect_uri", WEB_REDIRECT).post(MAIN_ISSUER_PATH + "/token");
    }

    @Test
    void grantTypeMissingOrUnsupported() {
        oauthError(given().auth().preemptive().basic(WEB, WEB_SECRET).contentType("application/x-www-form-urlencoded")
                .formParam("code", "x").post(MAIN_ISSUER_PATH + "/token"), 400, "invalid_request");
        oauthError(given().auth().preemptive().basic(WEB, WEB_SECRET).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "password").post(MAIN_ISSUER_PATH + "/token"), 400,
                "unsupported_grant_type");
        oauthError(given().auth().preemptive().basic(WEB, WEB_SECRET).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "authorization_code").formParam("redirect_uri", WEB_REDIRECT)
                .post(MAIN_ISSUER_PATH + "/token"), 400, "invalid_request");
    }

    // ---------------------------------------------------------------- mixed-up issuers

    @Test
    void issuersDoNotMix() throws Exception {
        User user = User.create();
        // the authorization response names its issuer: main's, not staff's (RFC 9207)
        Response back = new OidcBrowser().signIn(OidcBrowser.authorize("main", request(WEB, WEB_REDIRECT, "openid",
                "s", null)), user.email(), Api.PASSWORD);
        Map<String, String> q = OidcBrowser.query(back.header("Location"));
        assertEquals(OidcDiscoveryTest.issuer("main"), q.get("iss"));
        // main's code taken to staff's token endpoint: web is not a client there
        oauthError(given().auth().preemptive().basic(WEB, WEB_SECRET).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "authorization_code").formParam("code", q.get("code"))
                .formParam("redirect_uri", WEB_REDIRECT).post("/oidc/staff/token"), 401, "invalid_client");

        // an access token of main's is no access token at staff's userinfo, nor is an id_token one anywhere
        Response tokens = exchange(WEB, WEB_SECRET, webCode(user), WEB_REDIRECT, null);
        String accessToken = tokens.path("access_token");
        assertEquals(OidcDiscoveryTest.issuer("main"), SignedJWT.parse(accessToken).getJWTClaimsSet().getIssuer());
        given().header("Authorization", "Bearer " + accessToken).get("/oidc/staff/userinfo").then().statusCode(401)
                .body("error", equalTo("invalid_token"));
        given().header("Authorization", "Bearer " + tokens.path("id_token")).get("/oidc/main/userinfo").then()
                .statusCode(401).body("error", equalTo("invalid_token"));
        // nor is an authToken of the API
        given().header("Authorization", "Bearer " + user.apiToken()).get("/oidc/main/userinfo").then()
                .statusCode(401).body("error", equalTo("invalid_token"));
        given().get("/oidc/main/userinfo").then().statusCode(401).body("error", equalTo("invalid_token"));
    }
}
