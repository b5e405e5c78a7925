package dev.authgate.session;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.authgate.support.Api;
import dev.authgate.support.Jwe;
import dev.authgate.support.TestDatabase;

/** Logout scopes, password change, the token check for other services, and the purge of expired sessions. */
@QuarkusTest
class RevocationTest {

    @Inject
    Revocation revocation;

    private record Pair(String email, String first, String second) {
    }

    private static Pair twoTokens() {
        String email = Api.uniqueEmail();
        return new Pair(email, Api.signup(email), Api.login("main", email, Api.PASSWORD));
    }

    private static void logout(String token, String scope, int revoked) {
        var r = Api.bearer(token).contentType(ContentType.JSON);
        (scope == null ? r : r.body(Map.of("scope", scope))).post("/api:main/auth/logout")
                .then().statusCode(200).body("revoked", equalTo(revoked));
    }

    private static void me(String token, int status) {
        Api.bearer(token).get("/api:main/auth/me").then().statusCode(status);
    }

    @Test
    void localIsTheDefaultAndEndsOnlyThisToken() {
        Pair p = twoTokens();
        logout(p.first(), null, 1);
        me(p.first(), 401);
        me(p.second(), 200);
        Pair q = twoTokens();
        logout(q.first(), "local", 1);
        me(q.first(), 401);
        me(q.second(), 200);
    }

    @Test
    void globalEndsEveryTokenOfTheAccountOnly() {
        Pair p = twoTokens();
        Pair bystander = twoTokens();
        logout(p.first(), "global", 2);
        me(p.first(), 401);
        me(p.second(), 401);
        me(bystander.first(), 200);
    }

    @Test
    void othersKeepsThisToken() {
        Pair p = twoTokens();
        logout(p.first(), "others", 1);
        me(p.first(), 200);
        me(p.second(), 401);
    }

    @Test
    void anUnknownScopeIsAnInputErrorAndRevokesNothing() {
        Pair p = twoTokens();
        Api.bearer(p.first()).contentType(ContentType.JSON).body(Map.of("scope", "everything"))
                .post("/api:main/auth/logout").then().statusCode(400).body("payload.param", equalTo("scope"));
        me(p.first(), 200);
        me(p.second(), 200);
        given().post("/api:main/auth/logout").then().statusCode(401);
    }

    @Test
    void passwordChangeKeepsThisTokenAndEndsTheOthers() {
        Pair p = twoTokens();
        Api.bearer(p.first()).contentType(ContentType.JSON)
                .body(Map.of("current_password", "not it at all", "new_password", "the new password"))
                .post("/api:main/auth/password").then().statusCode(403).body("message", equalTo("Invalid Credentials."));
        Api.bearer(p.first()).contentType(ContentType.JSON)
                .body(Map.of("current_password", Api.PASSWORD, "new_password", "short"))
                .post("/api:main/auth/password").then().statusCode(400).body("payload.param", equalTo("new_password"));
        me(p.second(), 200);

        Api.bearer(p.first()).contentType(ContentType.JSON)
                .body(Map.of("current_password", Api.PASSWORD, "new_password", "the new password"))
                .post("/api:main/auth/password").then().statusCode(200).body("revoked", equalTo(1));
        me(p.first(), 200);
        me(p.second(), 401);
        Api.login("main", p.email(), "the new password");
        given().contentType(ContentType.JSON).body(Map.of("email", p.email(), "password", Api.PASSWORD))
                .post("/api:main/auth/login").then().statusCode(403);
    }

    @Test
    void theTokenCheckAnswersTheCallersAuth() {
        String token = Api.signup(Api.uniqueEmail());
        var claims = Jwe.decrypt(token).claims();
        Api.bearer(token).get("/api:main/auth/token").then().statusCode(200)
                .body("id", equalTo(((Number) claims.get("id")).intValue()))
                .body("dbtable", equalTo("user"))
                .body("extras", equalTo(Map.of()))
                .body("iat", equalTo(((Number) claims.get("iat")).intValue()))
                .body("exp", equalTo(((Number) claims.get("exp")).intValue()))
                .body("jti", equalTo(claims.get("jti")))
                .body("$", not(hasKey("password_hash")));
        given().get("/api:main/auth/token").then().statusCode(401);
        given().header("X-Xano-Authorization", "junk").get("/api:main/auth/token").then().statusCode(401);
    }

    @Test
    void expiredSessionsArePurgedAndLiveOnesKept() {
        UUID expired = UUID.randomUUID();
        UUID live = UUID.randomUUID();
        UUID forever = UUID.randomUUID();
        TestDatabase.update("insert into auth_session (jti, dbtable, account_id, expires_at) values "
                + "(?, 'user', 1, now() - interval '1 minute'), (?, 'user', 1, now() + interval '1 hour'), (?, 'user', 1, null)",
                expired, live, forever);
        assertTrue(revocation.purgeExpired() >= 1);
        assertEquals(0, TestDatabase.scalar("select count(*) from auth_session where jti = ?", expired));
        assertEquals(2, TestDatabase.scalar("select count(*) from auth_session where jti in (?, ?)", live, forever));
    }
}
