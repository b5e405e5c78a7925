package dev.authgate.client;

import static dev.authgate.client.Clients.basic;
import static dev.authgate.client.Clients.freshAddress;
import static dev.authgate.client.Clients.from;
import static dev.authgate.client.Clients.introspect;
import static dev.authgate.client.Clients.revoke;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import dev.authgate.support.Api;
import dev.authgate.support.Jwe;
import dev.authgate.support.PostgresResource;
import dev.authgate.support.TestDatabase;

/** RFC 7662 introspection and RFC 7009 revocation by service clients, over HTTP, on the real database. */
@QuarkusTest
@TestProfile(ClientsProfile.class)
class IntrospectionTest {

    private static final Map<String, Object> INACTIVE = Map.of("active", false);

    private static void inactive(ValidatableResponse r) {
        r.statusCode(200).header("Cache-Control", "no-store").body("$", equalTo(INACTIVE));
    }

    private static void unauthenticated(ValidatableResponse r) {
        r.statusCode(401).header("WWW-Authenticate", startsWith("Basic realm=\"authgate\""))
                .body("code", equalTo("ERROR_CODE_UNAUTHORIZED")).body("message", equalTo("Client authentication failed."))
                .body("$", hasKey("payload"));
    }

    @Test
    void aLiveTokenIsActiveWithItsClaims() {
        String email = Api.uniqueEmail();
        String token = Api.signup(email);
        long id = TestDatabase.scalar("select id from \"user\" where email = ?", email);
        Map<String, Object> claims = Jwe.decrypt(token).claims();

        Map<String, Object> answer = introspect(ClientsProfile.READER, token).statusCode(200)
                .header("Cache-Control", "no-store").contentType(ContentType.JSON).extract().jsonPath().getMap("$");
        assertEquals(true, answer.get("active"));
        assertEquals(Long.toString(id), answer.get("sub"));
        assertEquals(((Number) claims.get("iat")).longValue(), ((Number) answer.get("iat")).longValue());
        assertEquals(((Number) claims.get("exp")).longValue(), ((Number) answer.get("exp")).longValue());
        assertEquals(claims.get("jti"), answer.get("jti"));
        assertEquals("authgate", answer.get("token_type"));
        assertEquals(Map.of("id", (int) id, "dbtable", "user", "extras", Map.of(), "aal", 1, "amr", java.util.List.of("pwd")),
                answer.get("authgate"));
        assertEquals(java.util.Set.of("active", "sub", "exp", "iat", "jti", "token_type", "authgate"), answer.keySet(),
                "no scope without a role, no client_id");
    }

    @Test
    void clientSecretPostWorksLikeBasic() {
        String token = Api.signup(Api.uniqueEmail());
        from(freshAddress()).contentType(ContentType.URLENC).formParam("client_id", ClientsProfile.POSTER)
                .formParam("client_secret", ClientsProfile.secret(ClientsProfile.POSTER)).formParam("token", token)
                .post("/oauth2/introspect").then().statusCode(200).body("active", equalTo(true));
        // ... and a wrong posted secret is refused like a wrong Basic one
        unauthenticated(from(freshAddress()).contentType(ContentType.URLENC).formParam("client_id", ClientsProfile.WRONGED)
                .formParam("client_secret", "not the secret of this client at all, no").formParam("token", token)
                .post("/oauth2/introspect").then());
    }

    @Test
    void basicCredentialsMayBeFormUrlEncodedOrNot() {
        String token = Api.signup(Api.uniqueEmail());
        String secret = ClientsProfile.secret(ClientsProfile.ENCODED);
        introspect(basic(ClientsProfile.ENCODED, secret), token).statusCode(200).body("active", equalTo(true));
        introspect(basic(ClientsProfile.ENCODED, URLEncoder.encode(secret, StandardCharsets.UTF_8)), token)
                .statusCode(200).body("active", equalTo(true));
    }

    @Test
    void wrongSecretUnknownClientNoOrTwoCredentialsAre401WithABasicChallenge() {
        String token = Api.signup(Api.uniqueEmail());
        unauthenticated(introspect(basic(ClientsProfile.WRONGED, "a wrong secret that is long enough to look real"), token));
        unauthenticated(introspect(basic("no-such-client", ClientsProfile.secret(ClientsProfile.READER)), token));
        unauthenticated(introspect(from(freshAddress()), token));
        unauthenticated(introspect(from(freshAddress()).header("Authorization", "Basic !!not-base64!!"), token));
        // Basic and posted credentials together: RFC 6749 §2.3 allows one method per request
        unauthenticated(basic(ClientsProfile.READER).contentType(ContentType.URLENC)
                .formParam("client_id", ClientsProfile.READER).formParam("client_secret", ClientsProfile.secret(ClientsProfile.READER))
                .formParam("token", token).post("/oauth2/introspect").then());
        unauthenticated(from(freshAddress()).contentType(ContentType.URLENC).formParam("client_id", ClientsProfile.READER)
                .formParam("token", token).post("/oauth2/revoke").then());
    }

    @Test
    void aClientWithoutTheScopeIs403() {
        String token = Api.signup(Api.uniqueEmail());
        introspect(ClientsProfile.NO_SCOPE, token).statusCode(403).body("code", equalTo("ERROR_CODE_ACCESS_DENIED"));
        revoke(ClientsProfile.POSTER, token).statusCode(403).body("code", equalTo("ERROR_CODE_ACCESS_DENIED"));
        Api.bearer(token).get("/api:main/auth/me").then().statusCode(200);
    }

    @Test
    void missingUnknownGarbageAndExpiredTokensAreInactive() {
        inactive(basic(ClientsProfile.READER).contentType(ContentType.URLENC).post("/oauth2/introspect").then());
        inactive(basic(ClientsProfile.READER).contentType(ContentType.URLENC).formParam("token", "").post("/oauth2/introspect").then());
        inactive(introspect(ClientsProfile.READER, "garbage"));
        Map<String, Object> claims = new HashMap<>(Jwe.decrypt(Api.signup(Api.uniqueEmail())).claims());
        Map<String, Object> unknown = new HashMap<>(claims);
        unknown.put("jti", UUID.randomUUID().toString());
        inactive(introspect(ClientsProfile.READER, Jwe.encrypt(Jwe.header(Jwe.TEST_KID).build(), unknown, Jwe.TEST_KEY)));
        claims.put("exp", System.currentTimeMillis() / 1000 - 10);
        inactive(introspect(ClientsProfile.READER, Jwe.encrypt(Jwe.header(Jwe.TEST_KID).build(), claims, Jwe.TEST_KEY)));
    }

    @Test
    void aTokenOfAGroupTheClientMayNotSeeIsInactive() {
        String staff = Api.login("staff", PostgresResource.ADMIN_EMAIL, PostgresResource.ADMIN_PASSWORD);
        inactive(introspect(ClientsProfile.READER, staff));
        String user = Api.signup(Api.uniqueEmail());
        inactive(introspect(ClientsProfile.STAFF_READER, user));
        // the staff client sees it, and the role comes as the RFC 7662 scope too
        introspect(ClientsProfile.STAFF_READER, staff).statusCode(200).body("active", equalTo(true))
                .body("authgate.dbtable", equalTo("staff")).body("authgate.extras.role", equalTo("administrator"))
                .body("scope", equalTo("administrator")).body("$", not(hasKey("client_id")));
    }

    @Test
    void aLoggedOutTokenIsInactive() {
        String token = Api.signup(Api.uniqueEmail());
        introspect(ClientsProfile.READER, token).statusCode(200).body("active", equalTo(true));
        Api.bearer(token).post("/api:main/auth/logout").then().statusCode(200);
        inactive(introspect(ClientsProfile.READER, token));
    }

    @Test
    void revocationEndsTheSessionAnd200sWhateverTheToken() {
        String token = Api.signup(Api.uniqueEmail());
        String jti = (String) Jwe.decrypt(token).claims().get("jti");
        revoke(ClientsProfile.READER, token).statusCode(200).header("Cache-Control", "no-store").body(emptyString());
        assertEquals(0, TestDatabase.scalar("select count(*) from auth_session where jti = ?::uuid", jti));
        Api.bearer(token).get("/api:main/auth/me").then().statusCode(401);
        inactive(introspect(ClientsProfile.READER, token));
        revoke(ClientsProfile.READER, token).statusCode(200).body(emptyString());
        revoke(ClientsProfile.READER, "garbage").statusCode(200).body(emptyString());
        basic(ClientsProfile.READER).contentType(ContentType.URLENC).post("/oauth2/revoke").then().statusCode(200);
    }

    @Test
    void aTokenOfAGroupTheClientMayNotSeeIsNotRevoked() {
        String staff = Api.login("staff", PostgresResource.ADMIN_EMAIL, PostgresResource.ADMIN_PASSWORD);
        String jti = (String) Jwe.decrypt(staff).claims().get("jti");
        revoke(ClientsProfile.READER, staff).statusCode(200).body(emptyString());
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_session where jti = ?::uuid", jti));
        Api.bearer(staff).get("/api:staff/auth/me").then().statusCode(200);
    }

    @Test
    void aBodyOverTheLimitIs413() {
        basic(ClientsProfile.READER).contentType(ContentType.URLENC).body("token=" + "a".repeat(70 * 1024))
                .post("/oauth2/introspect").then().statusCode(413).body("code", equalTo("ERROR_CODE_PAYLOAD_TOO_LARGE"));
    }

    @Test
    void aBearerTokenInAuthorizationIsNotClientAuthentication() {
        String token = Api.signup(Api.uniqueEmail());
        // proactive authentication reads it as an Authgate token: a valid one passes through, unused, and the
        // request still lacks client credentials
        unauthenticated(introspect(from(freshAddress()).header("Authorization", "Bearer " + token), token));
        given().header("Authorization", "Bearer garbage").contentType(ContentType.URLENC).formParam("token", token)
                .post("/oauth2/introspect").then().statusCode(401).body("code", equalTo("ERROR_CODE_UNAUTHORIZED"));
    }
}
