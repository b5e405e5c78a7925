package dev.authgate.oidc;

import static dev.authgate.oidc.OidcProfile.SPA;
import static dev.authgate.oidc.OidcProfile.SPA_REDIRECT;
import static dev.authgate.oidc.OidcProfile.WEB;
import static dev.authgate.oidc.OidcProfile.WEB_REDIRECT;
import static dev.authgate.oidc.OidcProfile.WEB_SECRET;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.claims.AccessTokenHash;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;

import dev.authgate.oidc.OidcBrowser.Pkce;
import dev.authgate.support.Api;
import dev.authgate.support.TestDatabase;

/**
 * The authorization code flow as a relying party and a browser live it: the page's form followed, the code
 * exchanged, the id_token validated with Nimbus' relying-party validator against the published jwks, the access
 * token's session a row that logout everywhere ends.
 */
@QuarkusTest
@TestProfile(OidcProfile.class)
class OidcFlowTest {

    static final String SESSION_COOKIE = "__Host-authgate_oidc.main";

    /** A user signed up through the API: email, id, and an API token of theirs. */
    record User(String email, long id, String apiToken) {
        static User create() {
            String email = Api.uniqueEmail();
            String token = Api.signup(email);
            return new User(email, TestDatabase.scalar("select id from \"user\" where email = ?", email), token);
        }
    }

    static Map<String, String> request(String client, String redirectUri, String scope, String state, String nonce) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("response_type", "code");
        p.put("client_id", client);
        p.put("redirect_uri", redirectUri);
        p.put("scope", scope);
        p.put("state", state);
        if (nonce != null) {
            p.put("nonce", nonce);
        }
        return p;
    }

    static Response exchange(String client, String secret, String code, String redirectUri, String verifier) {
        var spec = given().redirects().follow(false).contentType("application/x-www-form-urlencoded");
        if (secret != null) {
            spec = spec.auth().preemptive().basic(client, secret);
        } else {
            spec = spec.formParam("client_id", client);
        }
        spec = spec.formParam("grant_type", "authorization_code").formParam("code", code)
                .formParam("redirect_uri", redirectUri);
        if (verifier != null) {
            spec = spec.formParam("code_verifier", verifier);
        }
        return spec.post("/oidc/main/token");
    }

    static long sessions(String jti) {
        return TestDatabase.scalar("select count(*) from auth_session where jti = ?::uuid", jti);
    }

    @Test
    void aConfidentialClientSignsInThroughThePageAndGetsTokensItCanVerify() throws Exception {
        User user = User.create();
        OidcBrowser browser = new OidcBrowser();
        String state = "state-" + UUID.randomUUID();
        String nonce = "nonce-" + UUID.randomUUID();
        String issuer = OidcDiscoveryTest.issuer("main");

        // the relying party sends the browser to the authorization endpoint: the sign-in page
        Response page = browser.get(OidcBrowser.authorize("main", request(WEB, WEB_REDIRECT, "openid email profile",
                state, nonce)));
        page.then().statusCode(200)
                .header("Content-Security-Policy", containsString("default-src 'none'"))
                .header("Content-Security-Policy", containsString("form-action 'self' https://app.example;"))
                .header("Content-Security-Policy", not(containsString("unsafe-inline")))
                .header("X-Frame-Options", "DENY").header("Cache-Control", "no-store")
                .body(containsString("name=\"email\""), containsString("name=\"password\""),
                        containsString("type=\"submit\""), containsString(WEB), not(containsString("<script>")), // no inline script: the passkey script comes from this origin
                        containsString("<script src=\"/console/assets/passkeys.js\" defer></script>"));
        assertNotNull(browser.cookies.get("__Host-authgate_oidc_csrf"), "the form's CSRF cookie");

        // the browser types the email and password in and submits: back to the client with a code
        Response back = browser.submit(page, Map.of("email", user.email(), "password", Api.PASSWORD));
        back.then().statusCode(303);
        String location = back.header("Location");
        assertTrue(location.startsWith(WEB_REDIRECT + "?"), location);
        Map<String, String> answer = OidcBrowser.query(location);
        assertEquals(state, answer.get("state"));
        assertEquals(issuer, answer.get("iss"), "RFC 9207");
        String code = answer.get("code");
        assertEquals(43, code.length());
        assertNotNull(browser.cookies.get(SESSION_COOKIE), "the browser is signed in to the group");
        assertTrue(back.getHeaders().getValues("Set-Cookie").stream()
                .anyMatch(c -> c.startsWith(SESSION_COOKIE + "=") && c.contains("HttpOnly") && c.contains("Secure")
                        && c.contains("SameSite=Lax") && c.contains("Path=/")));

        // the relying party exchanges the code (client_secret_basic)
        Response tokens = exchange(WEB, WEB_SECRET, code, WEB_REDIRECT, null);
        tokens.then().statusCode(200).header("Cache-Control", "no-store")
                .body("token_type", equalTo("Bearer")).body("expires_in", equalTo(600))
                .body("scope", equalTo("openid email profile")).body("refresh_token", nullValue());
        String accessToken = tokens.path("access_token");
        String idToken = tokens.path("id_token");
        // the audit trail names the app that now holds the account's tokens (never the tokens themselves)
        assertEquals(WEB + " openid email profile", TestDatabase.text("select detail->>'client' || ' ' || "
                + "(detail->>'scope') from auth_audit where event = 'oidc.token' and outcome = 'ok' and dbtable = 'user'"
                + " and account_id = ? order by id desc limit 1", user.id()));
        assertEquals(0L, TestDatabase.scalar("select count(*) from auth_audit where account_id = ? and "
                + "strpos(detail::text, ?) > 0", user.id(), accessToken.substring(accessToken.length() - 20)));

        // the id_token, validated as a relying party does, against the published keys
        JWKSet jwks = JWKSet.parse(given().get("/oidc/main/jwks").asString());
        IDTokenClaimsSet id = new IDTokenValidator(new Issuer(issuer), new ClientID(WEB), JWSAlgorithm.ES256, jwks)
                .validate(SignedJWT.parse(idToken), new Nonce(nonce));
        assertEquals(String.valueOf(user.id()), id.getSubject().getValue());
        assertEquals(user.email(), id.getStringClaim("email"));
        assertEquals(Boolean.FALSE, id.getBooleanClaim("email_verified"));
        assertEquals("Test User", id.getStringClaim("name"));
        assertEquals(List.of("pwd"), id.getStringListClaim("amr"));
        assertEquals("aal1", id.getACR().getValue());
        assertEquals(WEB, id.getAuthorizedParty().getValue());
        assertNotNull(id.getAuthenticationTime());
        assertTrue(Math.abs(id.getAuthenticationTime().getTime() - System.currentTimeMillis()) < 120_000);
        assertEquals(AccessTokenHash.compute(new BearerAccessToken(accessToken), JWSAlgorithm.ES256, null).getValue(),
                id.getAccessTokenHash().getValue());

        // the access token: RFC 9068, signed by a published key, named after its session
        SignedJWT at = SignedJWT.parse(accessToken);
        assertEquals("at+jwt", at.getHeader().getType().getType());
        assertTrue(at.verify(new ECDSAVerifier((ECKey) jwks.getKeyByKeyId(at.getHeader().getKeyID()))));
        JWTClaimsSet claims = at.getJWTClaimsSet();
        assertEquals(issuer, claims.getIssuer());
        assertEquals(String.valueOf(user.id()), claims.getSubject());
        assertEquals(List.of(WEB), claims.getAudience());
        assertEquals(WEB, claims.getStringClaim("client_id"));
        assertEquals("openid email profile", claims.getStringClaim("scope"));
        assertEquals(600_000, claims.getExpirationTime().getTime() - claims.getIssueTime().getTime());
        assertEquals(1, sessions(claims.getJWTID()), "the access token is a session");

        // userinfo answers for it, and the session is among the account's (auth/sessions)
        given().header("Authorization", "Bearer " + accessToken).get("/oidc/main/userinfo").then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("sub", equalTo(String.valueOf(user.id()))).body("email", equalTo(user.email()))
                .body("email_verified", equalTo(false)).body("name", equalTo("Test User"));
        given().header("Authorization", "Bearer " + accessToken).post("/oidc/main/userinfo").then().statusCode(200)
                .body("sub", equalTo(String.valueOf(user.id())));
        Api.bearer(user.apiToken()).get("/api:main/auth/sessions").then().statusCode(200)
                .body("id", hasItem(claims.getJWTID()));

        // signed in already: the next authorization request gets its code without a page
        Response again = browser.get(OidcBrowser.authorize("main", request(WEB, WEB_REDIRECT, "openid", "s2", null)));
        again.then().statusCode(303);
        Map<String, String> second = OidcBrowser.query(again.header("Location"));
        assertEquals("s2", second.get("state"));
        assertNotNull(second.get("code"));
        assertFalse(second.containsKey("error"));

        // logout everywhere (the API's) ends the access token's session and the browser's sign-in
        Api.bearer(user.apiToken()).formParam("scope", "global").post("/api:main/auth/logout").then().statusCode(200);
        assertEquals(0, sessions(claims.getJWTID()));
        given().header("Authorization", "Bearer " + accessToken).get("/oidc/main/userinfo").then().statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""))
                .body("error", equalTo("invalid_token"));
        browser.get(OidcBrowser.authorize("main", request(WEB, WEB_REDIRECT, "openid", "s3", null)))
                .then().statusCode(200).body(containsString("name=\"password\""));
    }

    @Test
    void aPublicClientUsesPkceAndTheScopeDecidesTheClaims() throws Exception {
        User user = User.create();
        Pkce pkce = Pkce.create();
        Map<String, String> params = request(SPA, SPA_REDIRECT, "openid", "st", null);
        params.put("code_challenge", pkce.challenge());
        params.put("code_challenge_method", "S256");
        params.put("login_hint", user.email());
        OidcBrowser browser = new OidcBrowser();
        Response page = browser.get(OidcBrowser.authorize("main", params));
        page.then().statusCode(200).body(containsString("value=\"" + user.email() + "\""));
        Response back = browser.submit(page, Map.of("email", user.email(), "password", Api.PASSWORD));
        back.then().statusCode(303);
        String code = OidcBrowser.query(back.header("Location")).get("code");

        Response tokens = exchange(SPA, null, code, SPA_REDIRECT, pkce.verifier());
        tokens.then().statusCode(200).body("scope", equalTo("openid"));
        JWTClaimsSet id = SignedJWT.parse(tokens.<String>path("id_token")).getJWTClaimsSet();
        assertEquals(List.of(SPA), id.getAudience());
        assertEquals(null, id.getClaim("email"), "scope openid alone releases no email");
        assertEquals(null, id.getClaim("name"));
        assertEquals(null, id.getClaim("nonce"));
        given().header("Authorization", "Bearer " + tokens.path("access_token")).get("/oidc/main/userinfo").then()
                .statusCode(200).body("sub", equalTo(String.valueOf(user.id()))).body("email", nullValue());
    }

    @Test
    void clientSecretPostWorksAsBasicDoes() {
        User user = User.create();
        OidcBrowser browser = new OidcBrowser();
        Response back = browser.signIn(OidcBrowser.authorize("main", request(WEB, WEB_REDIRECT, "openid email", "x",
                null)), user.email(), Api.PASSWORD);
        String code = OidcBrowser.query(back.header("Location")).get("code");
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "authorization_code")
                .formParam("code", code).formParam("redirect_uri", WEB_REDIRECT).formParam("client_id", WEB)
                .formParam("client_secret", WEB_SECRET).post("/oidc/main/token").then().statusCode(200)
                .body("access_token", not(nullValue()));
    }

    @Test
    void aWrongPasswordShowsTheFormAgainAndIssuesNothing() {
        User user = User.create();
        OidcBrowser browser = new OidcBrowser();
        Response page = browser.get(OidcBrowser.authorize("main", request(WEB, WEB_REDIRECT, "openid", "x", null)));
        Response again = browser.submit(page, Map.of("email", user.email(), "password", "wrong password"));
        again.then().statusCode(403).body(containsString("Invalid Credentials."), containsString("name=\"password\""));
        assertFalse(browser.cookies.containsKey(SESSION_COOKIE));
        assertEquals(0, TestDatabase.scalar("select count(*) from oidc_code where account_id = ? and dbtable = 'user'",
                user.id()));
    }

    @Test
    void aFormWithoutItsCsrfTokenOrFromAnotherSiteIsRefused() {
        User user = User.create();
        OidcBrowser browser = new OidcBrowser();
        Response page = browser.get(OidcBrowser.authorize("main", request(WEB, WEB_REDIRECT, "openid", "x", null)));
        browser.submit(page, Map.of("email", user.email(), "password", Api.PASSWORD, "csrf", "forged"))
                .then().statusCode(403).body(containsString("expired"));
        // the right token, but posted from another site
        Response cross = browser.request().header("Sec-Fetch-Site", "cross-site")
                .contentType("application/x-www-form-urlencoded")
                .formParam("csrf", browser.cookies.get("__Host-authgate_oidc_csrf"))
                .formParam("authorization", "response_type=code&client_id=web&redirect_uri="
                        + OidcBrowser.enc(WEB_REDIRECT) + "&scope=openid")
                .formParam("email", user.email()).formParam("password", Api.PASSWORD).post("/oidc/main/login");
        cross.then().statusCode(403);
        assertFalse(browser.cookies.containsKey(SESSION_COOKIE));
        assertEquals(0, TestDatabase.scalar("select count(*) from oidc_code where account_id = ? and dbtable = 'user'",
                user.id()));
    }
}
