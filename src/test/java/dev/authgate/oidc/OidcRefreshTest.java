package dev.authgate.oidc;

import static dev.authgate.oidc.OidcProfile.OTHER;
import static dev.authgate.oidc.OidcProfile.OTHER_SECRET;
import static dev.authgate.oidc.OidcProfile.WEB;
import static dev.authgate.oidc.OidcProfile.WEB_REDIRECT;
import static dev.authgate.oidc.OidcProfile.WEB_SECRET;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

import com.nimbusds.jwt.SignedJWT;

import dev.authgate.support.Api;
import dev.authgate.support.TestDatabase;

/**
 * The relying-party test 3, over HTTP: a confidential client signs a user in with {@code offline_access},
 * refreshes (rotation), and a stolen, already rotated refresh token ends the family for the thief and the legitimate
 * client alike; an identical retry within the grace gets the same pair, and a race of many uses makes exactly one
 * successor.
 */
@QuarkusTest
@TestProfile(OidcProfile.class)
class OidcRefreshTest {

    static final String SHAPE = "[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}";

    /** What the token endpoint answered: the access token's jti is its session, the refresh token its family's. */
    record Tokens(String accessToken, String idToken, String refreshToken) {
        String jti() throws Exception {
            return SignedJWT.parse(accessToken).getJWTClaimsSet().getJWTID();
        }
    }

    static Tokens tokens(Response r) {
        r.then().statusCode(200).body("token_type", equalTo("Bearer")).body("refresh_token", matchesPattern(SHAPE))
                .body("access_token", notNullValue()).body("id_token", notNullValue());
        return new Tokens(r.path("access_token"), r.path("id_token"), r.path("refresh_token"));
    }

    /** A new user signed in through the page with {@code scope} for client web: the token endpoint's answer. */
    static Response signedIn(String scope) {
        return signedIn(OidcFlowTest.User.create(), scope);
    }

    static Response signedIn(OidcFlowTest.User user, String scope) {
        Response back = new OidcBrowser().signIn(OidcBrowser.authorize("main", OidcFlowTest.request(WEB, WEB_REDIRECT,
                scope, "s-" + UUID.randomUUID(), "n-" + UUID.randomUUID())), user.email(), Api.PASSWORD);
        back.then().statusCode(303);
        String code = OidcBrowser.query(back.header("Location")).get("code");
        return OidcFlowTest.exchange(WEB, WEB_SECRET, code, WEB_REDIRECT, null);
    }

    static Response refresh(String client, String secret, String refreshToken) {
        return given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .auth().preemptive().basic(client, secret)
                .formParam("grant_type", "refresh_token").formParam("refresh_token", refreshToken)
                .post("/oidc/main/token");
    }

    static void invalidGrant(Response r) {
        r.then().statusCode(400).body("error", equalTo("invalid_grant")).header("Cache-Control", "no-store");
    }

    static void userinfo(String accessToken, int status) {
        given().header("Authorization", "Bearer " + accessToken).get("/oidc/main/userinfo").then().statusCode(status);
    }

    static void ageRotations(String jti) {
        assertTrue(TestDatabase.update("update refresh_token set rotated_at = rotated_at - interval '1 minute' "
                + "where family = cast(? as uuid) and rotated_at is not null", jti) > 0);
    }

    @Test
    void withoutOfflineAccessThereIsNoRefreshToken() {
        signedIn("openid email").then().statusCode(200).body("refresh_token", nullValue());
    }

    @Test
    void aRefreshRotatesTheTokenAndKeepsTheSignIn() throws Exception {
        Tokens first = tokens(signedIn("openid offline_access email"));
        Tokens next = tokens(refresh(WEB, WEB_SECRET, first.refreshToken()));
        assertNotEquals(first.refreshToken(), next.refreshToken());
        assertNotEquals(first.accessToken(), next.accessToken());
        assertEquals(first.jti(), next.jti(), "one sign-in, one session");
        var before = SignedJWT.parse(first.idToken()).getJWTClaimsSet();
        var after = SignedJWT.parse(next.idToken()).getJWTClaimsSet();
        assertEquals(before.getSubject(), after.getSubject());
        assertEquals(before.getClaim("auth_time"), after.getClaim("auth_time"), "the original authentication");
        assertEquals(List.of(WEB), after.getAudience());
        userinfo(next.accessToken(), 200);
        tokens(refresh(WEB, WEB_SECRET, next.refreshToken()));
    }

    /** Test 3: the thief presents the stolen, rotated token; the family ends; the legitimate client's refresh fails. */
    @Test
    void aStolenRotatedRefreshTokenEndsTheFamilyAndTheLegitimateClientsNextRefreshFails() throws Exception {
        Tokens stolen = tokens(signedIn("openid offline_access"));
        Tokens legit = tokens(refresh(WEB, WEB_SECRET, stolen.refreshToken()));
        userinfo(legit.accessToken(), 200);
        ageRotations(legit.jti());

        invalidGrant(refresh(WEB, WEB_SECRET, stolen.refreshToken())); // the thief, past the grace
        invalidGrant(refresh(WEB, WEB_SECRET, legit.refreshToken())); // the legitimate client's next refresh
        userinfo(legit.accessToken(), 401);
        assertEquals(0, TestDatabase.scalar("select count(*) from auth_session where jti = cast(? as uuid)",
                legit.jti()));
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_audit where event = 'token.refresh_reused' "
                + "and detail->>'session' = ?", legit.jti()));
    }

    /** Test 3: an identical retry within the grace (a second tab, a server-side render) gets the same pair. */
    @Test
    void aConcurrentIdenticalRetryWithinTheGraceGetsTheSamePair() throws Exception {
        Tokens first = tokens(signedIn("openid offline_access"));
        List<Tokens> answers = race(2, first.refreshToken());
        assertEquals(answers.get(0), answers.get(1), "the same access token, id_token and refresh token");
        Tokens again = tokens(refresh(WEB, WEB_SECRET, first.refreshToken())); // and once more, sequentially
        assertEquals(answers.get(0), again);
        tokens(refresh(WEB, WEB_SECRET, again.refreshToken()));
    }

    @Test
    void manySimultaneousUsesOfOneRefreshTokenMakeExactlyOneSuccessor() throws Exception {
        Tokens first = tokens(signedIn("openid offline_access"));
        List<Tokens> answers = race(12, first.refreshToken());
        assertEquals(1, Set.copyOf(answers).size(), "every use got the one successor");
        assertEquals(2, TestDatabase.scalar("select count(*) from refresh_token where family = cast(? as uuid)",
                first.jti()), "the token and exactly one new member of its family");
        userinfo(answers.get(0).accessToken(), 200);
        tokens(refresh(WEB, WEB_SECRET, answers.get(0).refreshToken()));
    }

    @Test
    void aWrongClientOrAMalformedTokenIsRefusedAndEndsNothing() throws Exception {
        Tokens t = tokens(signedIn("openid offline_access"));
        invalidGrant(refresh(OTHER, OTHER_SECRET, t.refreshToken()));
        invalidGrant(refresh(WEB, WEB_SECRET, "x"));
        invalidGrant(refresh(WEB, WEB_SECRET, t.refreshToken().substring(0, 23) + "A".repeat(43)));
        given().contentType("application/x-www-form-urlencoded").auth().preemptive().basic(WEB, WEB_SECRET)
                .formParam("grant_type", "refresh_token").post("/oidc/main/token").then().statusCode(400)
                .body("error", equalTo("invalid_request"));
        given().contentType("application/x-www-form-urlencoded").auth().preemptive().basic(WEB, "wrong secret")
                .formParam("grant_type", "refresh_token").formParam("refresh_token", t.refreshToken())
                .post("/oidc/main/token").then().statusCode(401).body("error", equalTo("invalid_client"));
        // a wider scope than granted is refused, and undoes nothing: the token still works
        given().contentType("application/x-www-form-urlencoded").auth().preemptive().basic(WEB, WEB_SECRET)
                .formParam("grant_type", "refresh_token").formParam("refresh_token", t.refreshToken())
                .formParam("scope", "openid offline_access email").post("/oidc/main/token").then().statusCode(400)
                .body("error", equalTo("invalid_scope"));
        // the API group's auth/refresh does not take an OpenID client's token (and is off for user here)
        given().contentType("application/json").body(Map.of("refreshToken", t.refreshToken()))
                .post("/api:main/auth/refresh").then().statusCode(404);
        Tokens narrower = tokens(given().contentType("application/x-www-form-urlencoded").auth().preemptive()
                .basic(WEB, WEB_SECRET).formParam("grant_type", "refresh_token")
                .formParam("refresh_token", t.refreshToken()).formParam("scope", "openid").post("/oidc/main/token"));
        assertEquals("openid", SignedJWT.parse(narrower.accessToken()).getJWTClaimsSet().getStringClaim("scope"));
    }

    /** Logout everywhere (an API token of the same account) ends the OpenID sign-in's family with its session. */
    @Test
    void logoutEverywhereEndsTheFamily() throws Exception {
        OidcFlowTest.User user = OidcFlowTest.User.create();
        Tokens t = tokens(signedIn(user, "openid offline_access"));
        given().header("Authorization", "Bearer " + user.apiToken()).contentType("application/json")
                .body(Map.of("scope", "global")).post("/api:main/auth/logout").then().statusCode(200);
        invalidGrant(refresh(WEB, WEB_SECRET, t.refreshToken()));
        userinfo(t.accessToken(), 401);
        assertEquals(0, TestDatabase.scalar("select count(*) from refresh_family where session_jti = cast(? as uuid)",
                t.jti()));
    }

    /** RFC 7009: the client revokes its refresh token; the family and its session end; another client's try ends nothing. */
    @Test
    void revokingTheRefreshTokenEndsTheFamilyAndOnlyItsOwnClientCan() throws Exception {
        Tokens t = tokens(signedIn("openid offline_access"));
        revoke(OTHER, OTHER_SECRET, t.refreshToken());
        userinfo(t.accessToken(), 200);
        Tokens next = tokens(refresh(WEB, WEB_SECRET, t.refreshToken()));

        revoke(WEB, WEB_SECRET, next.refreshToken());
        invalidGrant(refresh(WEB, WEB_SECRET, next.refreshToken()));
        userinfo(next.accessToken(), 401);
        assertEquals(0, TestDatabase.scalar("select count(*) from refresh_family where session_jti = cast(? as uuid)",
                next.jti()));
        revoke(WEB, WEB_SECRET, next.refreshToken()); // again, and a token that never was: still 200, nothing else
        revoke(WEB, WEB_SECRET, "AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    }

    static void revoke(String client, String secret, String token) {
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .auth().preemptive().basic(client, secret).formParam("token", token)
                .formParam("token_type_hint", "refresh_token").post("/oidc/main/revoke").then().statusCode(200);
    }

    /** Runs n refreshes of one token released together; all must succeed. */
    static List<Tokens> race(int n, String refreshToken) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<Tokens> answers = new CopyOnWriteArrayList<>();
        try {
            CountDownLatch ready = new CountDownLatch(n);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                done.add(pool.submit(() -> {
                    ready.countDown();
                    start.await();
                    answers.add(tokens(refresh(WEB, WEB_SECRET, refreshToken)));
                    return null;
                }));
            }
            assertTrue(ready.await(60, TimeUnit.SECONDS));
            start.countDown();
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(n, answers.size());
        return answers;
    }
}
