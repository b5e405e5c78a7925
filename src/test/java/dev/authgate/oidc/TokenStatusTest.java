package dev.authgate.oidc;

import static dev.authgate.oidc.OidcProfile.OTHER;
import static dev.authgate.oidc.OidcProfile.OTHER_SECRET;
import static dev.authgate.oidc.OidcProfile.SPA;
import static dev.authgate.oidc.OidcProfile.SPA_REDIRECT;
import static dev.authgate.oidc.OidcProfile.WEB;
import static dev.authgate.oidc.OidcProfile.WEB_REDIRECT;
import static dev.authgate.oidc.OidcProfile.WEB_SECRET;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import com.nimbusds.jwt.SignedJWT;

import dev.authgate.support.Api;
import dev.authgate.support.TestDatabase;

/**
 * {@code introspect} (RFC 7662) and {@code revoke} (RFC 7009): for the client a token was issued to, over real
 * HTTP, with the session row as the truth; another client's token is no token; every error of RFC 6749 §5.2.
 */
@QuarkusTest
@TestProfile(OidcProfile.class)
class TokenStatusTest {

    static String jti(String accessToken) throws Exception {
        return SignedJWT.parse(accessToken).getJWTClaimsSet().getJWTID();
    }

    static long audits(String event, long accountId) {
        return TestDatabase.scalar("select count(*) from auth_audit where event = ? and dbtable = 'user' "
                + "and account_id = ? and detail->>'client' is not null", event, accountId);
    }

    @Test
    void theClientIntrospectsItsLiveTokenAndRevokesIt() throws Exception {
        OidcFlowTest.User user = OidcFlowTest.User.create();
        RelyingParty.Tokens tokens = RelyingParty.signIn(WEB, WEB_SECRET, WEB_REDIRECT, user.email());

        RelyingParty.introspect(WEB, WEB_SECRET, tokens.accessToken()).then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("active", equalTo(true)).body("client_id", equalTo(WEB))
                .body("sub", equalTo(Long.toString(user.id()))).body("scope", equalTo("openid email profile"))
                .body("token_type", equalTo("Bearer")).body("iss", equalTo(OidcDiscoveryTest.issuer("main")))
                .body("aud", hasItem(WEB)).body("jti", equalTo(jti(tokens.accessToken())))
                .body("acr", equalTo("aal1")).body("amr", equalTo(List.of("pwd")));
        assertEquals(1, audits("client.introspect", user.id()));

        RelyingParty.revoke(WEB, WEB_SECRET, tokens.accessToken()).then().statusCode(200)
                .header("Cache-Control", "no-store").body(equalTo(""));
        assertEquals(0, OidcFlowTest.sessions(jti(tokens.accessToken())), "the session is gone");
        assertEquals(1, audits("client.revoke", user.id()));
        RelyingParty.introspect(WEB, WEB_SECRET, tokens.accessToken()).then().statusCode(200)
                .body("", aMapWithSize(1)).body("active", equalTo(false));
        given().auth().oauth2(tokens.accessToken()).get("/oidc/main/userinfo").then().statusCode(401);
        // revoking again is no error (RFC 7009 §2.2)
        RelyingParty.revoke(WEB, WEB_SECRET, tokens.accessToken()).then().statusCode(200);
        assertEquals(1, audits("client.revoke", user.id()), "nothing was revoked the second time");
    }

    @Test
    void anotherClientNeitherSeesNorEndsTheToken() throws Exception {
        OidcFlowTest.User user = OidcFlowTest.User.create();
        RelyingParty.Tokens tokens = RelyingParty.signIn(WEB, WEB_SECRET, WEB_REDIRECT, user.email());

        RelyingParty.introspect(OTHER, OTHER_SECRET, tokens.accessToken()).then().statusCode(200)
                .body("", aMapWithSize(1)).body("active", equalTo(false));
        RelyingParty.revoke(OTHER, OTHER_SECRET, tokens.accessToken()).then().statusCode(200);
        assertEquals(1, OidcFlowTest.sessions(jti(tokens.accessToken())), "still live");
        RelyingParty.introspect(WEB, WEB_SECRET, tokens.accessToken()).then().body("active", equalTo(true));
        // a staff-group client is another issuer altogether
        given().auth().preemptive().basic(OidcProfile.STAFF_APP, OidcProfile.STAFF_SECRET)
                .contentType("application/x-www-form-urlencoded").formParam("token", tokens.accessToken())
                .post("/oidc/staff/introspect").then().statusCode(200).body("active", equalTo(false));
    }

    @Test
    void aPublicClientRevokesWithItsIdAloneButCannotIntrospect() throws Exception {
        OidcFlowTest.User user = OidcFlowTest.User.create();
        RelyingParty.Tokens tokens = RelyingParty.signIn(SPA, null, SPA_REDIRECT, user.email());

        given().contentType("application/x-www-form-urlencoded").formParam("client_id", SPA)
                .formParam("token", tokens.accessToken()).post("/oidc/main/introspect").then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Basic")).body("error", equalTo("invalid_client"));
        RelyingParty.revoke(SPA, null, tokens.accessToken()).then().statusCode(200);
        assertEquals(0, OidcFlowTest.sessions(jti(tokens.accessToken())));
    }

    @Test
    void logoutEverywhereEndsTheAccessTokenToo() throws Exception {
        OidcFlowTest.User user = OidcFlowTest.User.create();
        RelyingParty.Tokens tokens = RelyingParty.signIn(WEB, WEB_SECRET, WEB_REDIRECT, user.email());
        Api.bearer(user.apiToken()).contentType("application/json").body(Map.of("scope", "global"))
                .post("/api:main/auth/logout").then().statusCode(200);
        RelyingParty.introspect(WEB, WEB_SECRET, tokens.accessToken()).then().body("active", equalTo(false));
    }

    @Test
    void whatIsNotALiveAccessTokenOfTheClientIsInactive() throws Exception {
        OidcFlowTest.User user = OidcFlowTest.User.create();
        RelyingParty.Tokens tokens = RelyingParty.signIn(WEB, WEB_SECRET, WEB_REDIRECT, user.email());
        String tampered = tokens.accessToken().substring(0, tokens.accessToken().length() - 4) + "AAAA";
        for (String token : List.of("garbage", tampered, tokens.idToken(), user.apiToken(), "a.b.c")) {
            RelyingParty.introspect(WEB, WEB_SECRET, token).then().statusCode(200)
                    .body("", aMapWithSize(1)).body("active", equalTo(false));
            RelyingParty.revoke(WEB, WEB_SECRET, token).then().statusCode(200);
        }
        assertEquals(1, OidcFlowTest.sessions(jti(tokens.accessToken())), "none of them ended the real one");
    }

    @Test
    void clientAuthenticationAndRequestErrorsAreRfc6749s() {
        for (String endpoint : List.of("/oidc/main/introspect", "/oidc/main/revoke")) {
            // a wrong secret, an unknown client, no credentials at all, both Basic and a posted secret
            given().auth().preemptive().basic(WEB, "wrong-secret-0123456789").contentType("application/x-www-form-urlencoded")
                    .formParam("token", "t").post(endpoint).then().statusCode(401)
                    .header("WWW-Authenticate", startsWith("Basic")).header("Cache-Control", "no-store")
                    .body("error", equalTo("invalid_client")).body("error_description", containsString("failed"));
            given().auth().preemptive().basic("nobody", WEB_SECRET).contentType("application/x-www-form-urlencoded")
                    .formParam("token", "t").post(endpoint).then().statusCode(401).body("error", equalTo("invalid_client"));
            given().contentType("application/x-www-form-urlencoded").formParam("token", "t").post(endpoint).then()
                    .statusCode(401).body("error", equalTo("invalid_client"));
            given().auth().preemptive().basic(WEB, WEB_SECRET).contentType("application/x-www-form-urlencoded")
                    .formParam("client_id", WEB).formParam("client_secret", WEB_SECRET).formParam("token", "t")
                    .post(endpoint).then().statusCode(401).body("error", equalTo("invalid_client"));
            // the staff group's client at main's issuer
            given().auth().preemptive().basic(OidcProfile.STAFF_APP, OidcProfile.STAFF_SECRET)
                    .contentType("application/x-www-form-urlencoded").formParam("token", "t").post(endpoint).then()
                    .statusCode(401).body("error", equalTo("invalid_client"));
            // client_secret_post works as well as Basic; a missing token is invalid_request
            given().contentType("application/x-www-form-urlencoded").formParam("client_id", WEB)
                    .formParam("client_secret", WEB_SECRET).post(endpoint).then().statusCode(400)
                    .body("error", equalTo("invalid_request")).body("error_description", equalTo("token is missing."));
            // an unknown group is an unknown route
            given().auth().preemptive().basic(WEB, WEB_SECRET).contentType("application/x-www-form-urlencoded")
                    .formParam("token", "t").post(endpoint.replace("main", "nope")).then().statusCode(404);
        }
    }
}
