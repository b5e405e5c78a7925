package dev.authgate.session;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import dev.authgate.mfa.Mfa;
import dev.authgate.support.Api;
import dev.authgate.support.Jwe;
import dev.authgate.support.OperatorProfile;
import dev.authgate.support.PostgresResource;
import dev.authgate.support.TestDatabase;

/**
 * Refresh tokens of the API groups (docs/sessions.md, "Refresh families"), over HTTP on PostgreSQL: sign-ins answer
 * one, {@code auth/refresh} rotates it, a rotated one presented again ends the family (and the holder's authToken)
 * unless it is an identical retry within the grace, and the family ends with its session.
 */
@QuarkusTest
@TestProfile(OperatorProfile.class)
class RefreshTokenTest {

    static final String SHAPE = "[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}";

    record Pair(String authToken, String refreshToken) {
    }

    private static Pair signup(String email) {
        Response r = given().contentType(ContentType.JSON)
                .body(Map.of("name", "Refresh", "email", email, "password", Api.PASSWORD))
                .post("/api:main/auth/signup");
        r.then().statusCode(200).body("refreshToken", matchesPattern(SHAPE));
        return new Pair(r.path("authToken"), r.path("refreshToken"));
    }

    private static Pair login(String email) {
        Response r = given().contentType(ContentType.JSON).body(Map.of("email", email, "password", Api.PASSWORD))
                .post("/api:main/auth/login");
        r.then().statusCode(200).body("refreshToken", matchesPattern(SHAPE));
        return new Pair(r.path("authToken"), r.path("refreshToken"));
    }

    /** A new account's second sign-in (its sign-up is the first). */
    private static Pair freshLogin() {
        String email = Api.uniqueEmail();
        signup(email);
        return login(email);
    }

    private static Response refresh(String group, String refreshToken) {
        return given().contentType(ContentType.JSON).body(Map.of("refreshToken", refreshToken))
                .post("/api:" + group + "/auth/refresh");
    }

    private static Pair refreshed(String refreshToken) {
        Response r = refresh("main", refreshToken);
        r.then().statusCode(200).body("refreshToken", matchesPattern(SHAPE)).body("authToken", notNullValue());
        assertEquals(Set.of("authToken", "refreshToken"), r.jsonPath().getMap("$").keySet(), "nothing else");
        return new Pair(r.path("authToken"), r.path("refreshToken"));
    }

    private static void refused(Response r) {
        r.then().statusCode(401).body("code", equalTo("ERROR_CODE_UNAUTHORIZED")).body("payload", nullValue());
    }

    private static void signedIn(String authToken) {
        Api.bearer(authToken).get("/api:main/auth/me").then().statusCode(200);
    }

    private static void signedOut(String authToken) {
        Api.bearer(authToken).get("/api:main/auth/me").then().statusCode(401).body("code", equalTo("ERROR_CODE_UNAUTHORIZED"));
    }

    private static Map<String, Object> claims(String authToken) {
        return Jwe.decrypt(authToken).claims();
    }

    private static String jti(String authToken) {
        return (String) claims(authToken).get("jti");
    }

    /** Past the grace: the rotation of {@code refreshToken}'s row happened a minute ago. */
    private static void ageRotations(String authToken) {
        assertTrue(TestDatabase.update("update refresh_token set rotated_at = rotated_at - interval '1 minute' "
                + "where family = cast(? as uuid) and rotated_at is not null", jti(authToken)) > 0);
    }

    private static long tokensOf(String authToken) {
        return TestDatabase.scalar("select count(*) from refresh_token where family = cast(? as uuid)", jti(authToken));
    }

    private static long familiesOf(String authToken) {
        return TestDatabase.scalar("select count(*) from refresh_family where session_jti = cast(? as uuid)",
                jti(authToken));
    }

    @Test
    void signUpAndLoginAnswerARefreshTokenThatRotatesIntoTheSameSession() {
        String email = Api.uniqueEmail();
        Pair first = signup(email);
        Pair login = login(email);
        assertNotEquals(first.refreshToken(), login.refreshToken());

        Pair next = refreshed(login.refreshToken());
        assertNotEquals(login.refreshToken(), next.refreshToken());
        assertNotEquals(login.authToken(), next.authToken());
        Map<String, Object> before = claims(login.authToken());
        Map<String, Object> after = claims(next.authToken());
        assertEquals(before.get("jti"), after.get("jti"), "one sign-in, one session");
        assertEquals(before.get("id"), after.get("id"));
        assertEquals(1, ((Number) after.get("aal")).intValue());
        assertEquals(List.of("pwd"), after.get("amr"), "the sign-in's methods");
        long iat = ((Number) after.get("iat")).longValue();
        assertEquals(iat + 86_400, ((Number) after.get("exp")).longValue(), "the table's expiration");
        signedIn(next.authToken());
        signedIn(login.authToken()); // rotation does not end the session: the older authToken runs out on its own
        assertEquals(2, tokensOf(next.authToken()));
        assertEquals(1, TestDatabase.scalar("select count(*) from refresh_token where family = cast(? as uuid) "
                + "and rotated_at is null", jti(next.authToken())));
        // the session lives as long as its family: 30 days by default, in auth/sessions too
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_session s join refresh_family f on "
                + "f.session_jti = s.jti where s.jti = cast(? as uuid) and s.expires_at = f.expires_at and "
                + "f.expires_at between now() + interval '29 days' and now() + interval '30 days'", jti(next.authToken())));

        // the newest token goes on rotating; the old one, past the grace, is refused and ends the family
        Pair third = refreshed(next.refreshToken());
        signedIn(third.authToken());
        ageRotations(third.authToken());
        refused(refresh("main", login.refreshToken()));
        signedOut(third.authToken());
        signedOut(login.authToken());
        refused(refresh("main", third.refreshToken()));
        assertEquals(0, familiesOf(third.authToken()));
        assertEquals(0, tokensOf(third.authToken()));
        signedIn(first.authToken()); // another sign-in of the account is another family
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_audit where event = 'token.refresh_reused' "
                + "and outcome = 'failed' and detail->>'session' = ?", jti(third.authToken())));
        assertEquals(2, TestDatabase.scalar("select count(*) from auth_audit where event = 'token.refreshed' "
                + "and outcome = 'ok' and detail->>'session' = ?", jti(third.authToken())));
        refreshed(first.refreshToken());
    }

    /** The thief uses the stolen (rotated) token first: the legitimate client's next refresh fails too. */
    @Test
    void aStolenRotatedTokenEndsTheFamilyForItsLegitimateHolderToo() {
        Pair stolen = freshLogin();
        Pair legit = refreshed(stolen.refreshToken());
        ageRotations(legit.authToken());

        refused(refresh("main", stolen.refreshToken())); // the thief
        refused(refresh("main", legit.refreshToken())); // the legitimate client's next refresh
        signedOut(legit.authToken());
        assertEquals(0, TestDatabase.scalar("select count(*) from auth_session where jti = cast(? as uuid)",
                jti(legit.authToken())));
    }

    @Test
    void anIdenticalRetryWithinTheGraceGetsTheSamePair() {
        Pair login = freshLogin();
        Pair once = refreshed(login.refreshToken());
        Pair again = refreshed(login.refreshToken());
        assertEquals(once, again, "the same authToken and refreshToken");
        assertEquals(2, tokensOf(once.authToken()), "no second successor");
        signedIn(once.authToken());
        refreshed(once.refreshToken());
    }

    @Test
    void manySimultaneousUsesOfOneTokenMakeExactlyOneSuccessor() throws Exception {
        Pair login = freshLogin();
        int n = 12;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<Pair> answers = new CopyOnWriteArrayList<>();
        try {
            CountDownLatch ready = new CountDownLatch(n);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                statuses.add(pool.submit(() -> {
                    ready.countDown();
                    start.await();
                    Response r = refresh("main", login.refreshToken());
                    if (r.statusCode() == 200) {
                        answers.add(new Pair(r.path("authToken"), r.path("refreshToken")));
                    }
                    return r.statusCode();
                }));
            }
            assertTrue(ready.await(60, TimeUnit.SECONDS));
            start.countDown();
            for (Future<Integer> f : statuses) {
                assertEquals(200, f.get(120, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(n, answers.size());
        assertEquals(1, Set.copyOf(answers).size(), "every use got the one successor: " + answers.size());
        assertEquals(2, tokensOf(login.authToken()), "the token and exactly one successor");
        Pair successor = answers.get(0);
        signedIn(successor.authToken());
        refreshed(successor.refreshToken());
    }

    @Test
    void theFamilyEndsWithItsSessionLogoutLogoutEverywhereAndRevocation() {
        String email = Api.uniqueEmail();
        signup(email);

        Pair local = login(email);
        Api.bearer(local.authToken()).contentType(ContentType.JSON).body(Map.of()).post("/api:main/auth/logout")
                .then().statusCode(200);
        refused(refresh("main", local.refreshToken()));
        assertEquals(0, familiesOf(local.authToken()));

        Pair revoked = login(email);
        Pair other = login(email);
        Api.bearer(other.authToken()).delete("/api:main/auth/sessions/" + jti(revoked.authToken())).then().statusCode(200);
        refused(refresh("main", revoked.refreshToken()));

        Pair everywhere = refreshed(login(email).refreshToken());
        Api.bearer(other.authToken()).contentType(ContentType.JSON).body(Map.of("scope", "global"))
                .post("/api:main/auth/logout").then().statusCode(200);
        refused(refresh("main", everywhere.refreshToken()));
        refused(refresh("main", other.refreshToken()));
        assertEquals(0, TestDatabase.scalar("select count(*) from refresh_family f join auth_session s on "
                + "s.jti = f.session_jti join \"user\" u on u.id = s.account_id and s.dbtable = 'user' where u.email = ?",
                email));

        // an administrator's role change ends every session of the record, and so its families
        Pair beforeRole = login(email);
        long id = ((Number) claims(beforeRole.authToken()).get("id")).longValue();
        String admin = Api.login("staff", PostgresResource.ADMIN_EMAIL, PostgresResource.ADMIN_PASSWORD);
        Api.bearer(admin).contentType(ContentType.JSON).body(Map.of("role", "editor"))
                .patch("/api:staff/user/" + id).then().statusCode(200);
        refused(refresh("main", beforeRole.refreshToken()));
    }

    @Test
    void theSecondFactorsAnswerCarriesTheRefreshTokenAndItsAssurance() {
        Mfa.Enrolled a = Mfa.enrolled();
        Response step = Mfa.login(a.email());
        step.then().statusCode(200).body("mfa_required", equalTo(true)).body("refreshToken", nullValue())
                .body("authToken", nullValue());
        Response verified = Mfa.verify(step.path("mfa_token"), a.code(1));
        verified.then().statusCode(200).body("refreshToken", matchesPattern(SHAPE));
        Pair next = refreshed(verified.path("refreshToken"));
        Map<String, Object> c = claims(next.authToken());
        assertEquals(2, ((Number) c.get("aal")).intValue(), "the sign-in's aal, again");
        assertEquals(List.of("pwd", "otp"), c.get("amr"));
        assertEquals(jti(verified.path("authToken")), c.get("jti"));
    }

    /** Activating a factor replaces the caller's token (and its family) with an aal 2 one that has its own. */
    @Test
    void theActivationsNewTokenComesWithARefreshTokenAndEndsTheOldFamily() {
        Pair before = freshLogin();
        Map<String, Object> e = Api.bearer(before.authToken()).contentType(ContentType.JSON).body(Map.of())
                .post("/api:main/auth/mfa/totp").then().statusCode(200).extract().jsonPath().getMap("$");
        byte[] secret = new org.apache.commons.codec.binary.Base32().decode((String) e.get("secret"));
        String code = dev.authgate.mfa.Totp.code(secret, dev.authgate.mfa.Totp.step(
                java.time.Instant.now().getEpochSecond()), dev.authgate.mfa.Totp.DIGITS);
        Response activated = Api.bearer(before.authToken()).contentType(ContentType.JSON).body(Map.of("code", code))
                .post("/api:main/auth/mfa/totp/" + e.get("id") + "/activate");
        activated.then().statusCode(200).body("refreshToken", matchesPattern(SHAPE)).body("recovery_codes.size()", equalTo(10));
        refused(refresh("main", before.refreshToken()));
        Pair next = refreshed(activated.path("refreshToken"));
        assertEquals(2, ((Number) claims(next.authToken()).get("aal")).intValue());
    }

    /** Quick tokens are for testing endpoints: no one signed in, no family. */
    @Test
    void aQuickTokenHasNoRefreshToken() {
        String email = Api.uniqueEmail();
        signup(email);
        long id = TestDatabase.scalar("select id from \"user\" where email = ?", email);
        Response quick = given().header("X-Authgate-Operator-Key", OperatorProfile.OPERATOR_KEY)
                .contentType(ContentType.JSON).body(Map.of("id", id)).post("/api:main/auth/quick-token");
        quick.then().statusCode(200).body("authToken", notNullValue());
        assertEquals(Set.of("authToken"), quick.jsonPath().getMap("$").keySet());
        assertEquals(0, familiesOf(quick.path("authToken")));
    }

    @Inject
    RefreshTokens refreshTokens;

    /** The core's RFC 7009 revocation (for the provider's revoke endpoint): the family and its session end. */
    @Test
    void revokingARefreshTokenEndsItsFamilyAndNothingElse() {
        Pair mine = freshLogin();
        Pair next = refreshed(mine.refreshToken());
        Pair other = freshLogin();
        RefreshTokens.Holder api = new RefreshTokens.Holder("user", null);
        assertFalse(refreshTokens.revoke(other.refreshToken(), new RefreshTokens.Holder("staff", null)));
        assertFalse(refreshTokens.revoke(other.refreshToken(), new RefreshTokens.Holder("user", "web")));
        assertFalse(refreshTokens.revoke(other.refreshToken().substring(0, 23) + "A".repeat(43), api));
        assertFalse(refreshTokens.revoke("not a token", api));
        assertTrue(refreshTokens.revoke(mine.refreshToken(), api), "a rotated token of the family revokes it too");
        signedOut(next.authToken());
        refused(refresh("main", next.refreshToken()));
        assertFalse(refreshTokens.revoke(next.refreshToken(), api), "already ended");
        signedIn(other.authToken());
        refreshed(other.refreshToken());
    }

    @Test
    void aTableWithoutTheSettingAnswersNoRefreshTokenAndNoRefresh() {
        Response staff = given().contentType(ContentType.JSON)
                .body(Map.of("email", PostgresResource.ADMIN_EMAIL, "password", PostgresResource.ADMIN_PASSWORD))
                .post("/api:staff/auth/login");
        staff.then().statusCode(200);
        assertFalse(staff.jsonPath().getMap("$").containsKey("refreshToken"), staff.asString());

        Pair user = freshLogin();
        refresh("staff", user.refreshToken()).then().statusCode(404)
                .body("code", equalTo("ERROR_CODE_NOT_FOUND")).body("message", notNullValue()).body("payload", nullValue());
        given().post("/api:staff/auth/refresh").then().statusCode(404).body("code", equalTo("ERROR_CODE_NOT_FOUND"));
        refreshed(user.refreshToken()); // untouched by the refusal
    }

    @Test
    void malformedInputIsA400AndAWrongTokenA401NeverA500() {
        given().post("/api:main/auth/refresh").then().statusCode(400)
                .body("code", equalTo("ERROR_CODE_INPUT_ERROR")).body("payload.param", equalTo("refreshToken"));
        given().contentType(ContentType.JSON).body("{}").post("/api:main/auth/refresh").then().statusCode(400)
                .body("payload.param", equalTo("refreshToken"));
        given().contentType(ContentType.JSON).body("{\"refreshToken\": 5}").post("/api:main/auth/refresh").then()
                .statusCode(400).body("code", equalTo("ERROR_CODE_INPUT_ERROR"));
        given().contentType(ContentType.JSON).body("{\"refreshToken\": {\"a\": 1}}").post("/api:main/auth/refresh")
                .then().statusCode(400);
        given().contentType(ContentType.JSON).body("[\"x\"]").post("/api:main/auth/refresh").then().statusCode(400)
                .body("code", equalTo("ERROR_CODE_BAD_REQUEST"));
        given().contentType(ContentType.JSON).body("{\"refreshToken\": ").post("/api:main/auth/refresh").then()
                .statusCode(400);
        refresh("main", "x".repeat(300)).then().statusCode(400).body("payload.param", equalTo("refreshToken"));
        for (String wrong : List.of("", "abc", "a".repeat(22) + "." + "b".repeat(43), "%%%%.%%%%",
                "AAAAAAAAAAAAAAAAAAAAAA." + "A".repeat(43), "a".repeat(66))) {
            refused(refresh("main", wrong));
        }

        Pair login = freshLogin();
        // the right id with another secret: refused, and it ends nothing (a guess must not log anyone out)
        String forged = login.refreshToken().substring(0, 23) + "A".repeat(43);
        refused(refresh("main", forged));
        String flipped = login.refreshToken().substring(0, 65)
                + (login.refreshToken().endsWith("A") ? "B" : "A");
        refused(refresh("main", flipped));
        // an expired family: refused
        Pair formed = given().contentType(ContentType.URLENC).formParam("refreshToken", login.refreshToken())
                .post("/api:main/auth/refresh").then().statusCode(200).extract().as(Pair.class);
        TestDatabase.update("update refresh_family set expires_at = now() - interval '1 second' where session_jti = "
                + "cast(? as uuid)", jti(formed.authToken()));
        refused(refresh("main", formed.refreshToken()));
    }

    /** Neither the audit trail nor the log holds a refresh token (nor its secret half), nor does the table. */
    @Test
    void noRefreshTokenInAuditRowsLogsOrTheDatabase() {
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getMessage() + " " + java.util.Arrays.toString(record.getParameters()) + " "
                        + (record.getThrown() == null ? "" : record.getThrown().toString()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        List<String> seen = new ArrayList<>();
        String email = Api.uniqueEmail();
        try {
            Pair first = signup(email);
            Pair login = login(email);
            Pair next = refreshed(login.refreshToken());
            refreshed(login.refreshToken()); // the retry
            ageRotations(next.authToken());
            refused(refresh("main", login.refreshToken())); // the reuse
            refused(refresh("main", next.refreshToken()));
            refused(refresh("main", login.refreshToken().substring(0, 23) + "A".repeat(43)));
            seen.addAll(List.of(first.refreshToken(), login.refreshToken(), next.refreshToken()));
        } finally {
            root.removeHandler(capture);
        }
        List<String> secrets = seen.stream().flatMap(t -> java.util.stream.Stream.of(t, t.substring(23))).toList();
        String audit = TestDatabase.text("select string_agg(a::text, ' ') from auth_audit a join \"user\" u on "
                + "u.id = a.account_id and a.dbtable = 'user' where u.email = ?", email);
        assertTrue(audit.contains("token.refresh_reused"), audit);
        for (String secret : secrets) {
            assertFalse(audit.contains(secret), "an audit row holds a refresh token");
            assertTrue(lines.stream().noneMatch(l -> l.contains(secret)), "a log line holds a refresh token");
        }
        String stored = TestDatabase.text("select string_agg(encode(hash, 'base64') || ' ' || coalesce(encode(successor, "
                + "'base64'), ''), ' ') from refresh_token");
        String asStored = stored == null ? "" : stored;
        assertTrue(secrets.stream().noneMatch(asStored::contains));
    }
}
