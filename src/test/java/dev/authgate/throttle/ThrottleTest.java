package dev.authgate.throttle;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import dev.authgate.support.Api;
import dev.authgate.support.TestDatabase;

/**
 * Login, password-change and signup throttling, counted in PostgreSQL. The test's own address (127.0.0.1) is
 * declared a trusted proxy, so X-Forwarded-For stands for distinct clients.
 */
@QuarkusTest
@TestProfile(StrictThrottlesProfile.class)
class ThrottleTest {

    private static final AtomicInteger CLIENTS = new AtomicInteger();

    /** A client address no other test uses. */
    private static String client() {
        return "10.1." + (CLIENTS.get() / 250) + "." + (CLIENTS.incrementAndGet() % 250 + 1);
    }

    private static ValidatableResponse login(String from, String email, String password) {
        return given().header("X-Forwarded-For", "203.0.113.7, " + from).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", password)).post("/api:main/auth/login").then();
    }

    /** Sign-ups from addresses of their own: this class's sign-up limit is low. */
    private static String signup(String email) {
        return given().header("X-Forwarded-For", client()).contentType(ContentType.JSON)
                .body(Map.of("name", "N", "email", email, "password", Api.PASSWORD))
                .post("/api:main/auth/signup").then().statusCode(200).extract().path("authToken");
    }

    private static void throttled(ValidatableResponse r) {
        String retry = r.statusCode(429).body("code", equalTo("ERROR_CODE_TOO_MANY_REQUESTS")).extract().header("Retry-After");
        long seconds = Long.parseLong(retry);
        assertTrue(seconds >= 1 && seconds <= 15 * 60 + 1, "Retry-After " + seconds);
    }

    /** Finding 5: an attacker's failures lock the attacker's address out of the account, not its owner. */
    @Test
    void failuresPerAccountRefuseTheFailingAddressNotTheOwnerElsewhere() {
        String email = Api.uniqueEmail();
        signup(email);
        String attacker = client();
        for (int i = 0; i < 3; i++) {
            login(attacker, email, "wrong password").statusCode(403);
        }
        throttled(login(attacker, email, Api.PASSWORD));
        assertEquals(3, TestDatabase.scalar("select count(*) from auth_attempt where key = ?", "login:user:" + email));
        // the account is over its limit: an address that has not failed for it still gets its one try
        String owner = client();
        login(owner, email, Api.PASSWORD).statusCode(200);
        assertEquals(0, TestDatabase.scalar("select count(*) from auth_attempt where key = ?", "login:user:" + email));
        // the attacker's own failures are forgiven with the account's: it starts again from zero, not from the limit
        String other = client();
        for (int i = 0; i < 3; i++) {
            login(other, email, "wrong password").statusCode(403);
        }
        String third = client();
        login(third, email, "wrong password").statusCode(403);
        throttled(login(third, email, Api.PASSWORD));
    }

    @Test
    void unknownEmailsAreThrottledTheSameWay() {
        String email = Api.uniqueEmail();
        String from = client();
        for (int i = 0; i < 3; i++) {
            login(from, email, "wrong password").statusCode(403).body("message", equalTo("Invalid Credentials."));
        }
        throttled(login(from, email, "wrong password"));
    }

    @Test
    void aSuccessfulLoginForgivesTheAccountsFailures() {
        String email = Api.uniqueEmail();
        signup(email);
        String from = client();
        login(from, email, "wrong password").statusCode(403);
        login(from, email, "wrong password").statusCode(403);
        login(from, email, Api.PASSWORD).statusCode(200);
        login(from, email, "wrong password").statusCode(403);
        login(from, email, "wrong password").statusCode(403);
        login(from, email, "wrong password").statusCode(403);
        throttled(login(from, email, Api.PASSWORD));
    }

    /** Finding 1: an address over its limit (one NAT, an undeclared proxy) never refuses a correct password. */
    @Test
    void anAddressOverItsLimitRefusesOnlyWhatFailedThere() {
        String email = Api.uniqueEmail();
        signup(email);
        String from = client();
        for (int i = 0; i < 5; i++) {
            login(from, Api.uniqueEmail(), "wrong password").statusCode(403);
        }
        String sprayed = Api.uniqueEmail();
        login(from, sprayed, "wrong password").statusCode(403); // its first try from here
        throttled(login(from, sprayed, "wrong password")); // and its last, while the address is over
        login(from, email, Api.PASSWORD).statusCode(200);
        // another client is not affected
        login(client(), Api.uniqueEmail(), "wrong password").statusCode(403);
    }

    /** Finding 3: simultaneous guesses are counted before any is checked, so at most the limit are checked. */
    @Test
    void simultaneousGuessesCannotPassOneCount() throws Exception {
        String email = Api.uniqueEmail();
        signup(email);
        String from = client();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Callable<Integer>> guesses = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                guesses.add(() -> login(from, email, "wrong password " + Thread.currentThread().getId())
                        .extract().statusCode());
            }
            Map<Integer, Integer> statuses = new java.util.TreeMap<>();
            for (Future<Integer> f : pool.invokeAll(guesses)) {
                statuses.merge(f.get(), 1, Integer::sum);
            }
            System.out.println("ThrottleTest: 100 simultaneous wrong passwords -> " + statuses);
            int checked = statuses.getOrDefault(403, 0);
            assertTrue(checked >= 1 && checked <= 3, "at most the limit checked: " + statuses);
            // the rest refused at once (a simultaneous attempt on the account is not queued): no 503, no 500
            assertEquals(Set.of(403, 429), statuses.keySet(), statuses.toString());
        } finally {
            pool.shutdown();
        }
    }

    /** Finding 4: a wrong current password counts like a failed login. */
    @Test
    void passwordChangesAreThrottledLikeLogins() {
        String email = Api.uniqueEmail();
        String token = signup(email);
        for (int i = 0; i < 3; i++) {
            Api.bearer(token).contentType(ContentType.JSON)
                    .body(Map.of("current_password", "not the password", "new_password", "another password"))
                    .post("/api:main/auth/password").then().statusCode(403);
        }
        throttled(Api.bearer(token).contentType(ContentType.JSON)
                .body(Map.of("current_password", Api.PASSWORD, "new_password", "another password"))
                .post("/api:main/auth/password").then());
        // the account's login is limited by the same failures (from the same address)
        throttled(given().contentType(ContentType.JSON).body(Map.of("email", email, "password", Api.PASSWORD))
                .post("/api:main/auth/login").then());
    }

    /** Finding 4: successful logins are capped per account, and so are live sessions (the oldest end). */
    @Test
    void successesAndLiveSessionsAreCappedPerAccount() {
        String email = Api.uniqueEmail();
        String first = signup(email); // a session, but not a login
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            tokens.add(login(client(), email, Api.PASSWORD).statusCode(200).extract().path("authToken"));
        }
        throttled(login(client(), email, Api.PASSWORD));
        long id = TestDatabase.scalar("select id from \"user\" where email = ?", email);
        assertEquals(3, TestDatabase.scalar("select count(*) from auth_session where dbtable = 'user' and account_id = ?", id));
        Api.bearer(first).get("/api:main/auth/me").then().statusCode(401);
        Api.bearer(tokens.get(2)).get("/api:main/auth/me").then().statusCode(401);
        for (String newest : tokens.subList(3, 6)) {
            Api.bearer(newest).get("/api:main/auth/me").then().statusCode(200);
        }
    }

    @Test
    void signupsPerAddressAreThrottledToo() {
        String from = client();
        for (int i = 0; i < 4; i++) {
            given().header("X-Forwarded-For", from).contentType(ContentType.JSON)
                    .body(Map.of("name", "N", "email", Api.uniqueEmail(), "password", Api.PASSWORD))
                    .post("/api:main/auth/signup").then().statusCode(200);
        }
        String email = Api.uniqueEmail();
        throttled(given().header("X-Forwarded-For", from).contentType(ContentType.JSON)
                .body(Map.of("name", "N", "email", email, "password", Api.PASSWORD))
                .post("/api:main/auth/signup").then());
        assertEquals(0, TestDatabase.scalar("select count(*) from \"user\" where email = ?", email));
    }

    @Test
    void aGarbledForwardedHeaderFallsBackToTheSocketAddress() {
        // 127.0.0.1 is not over any limit in this test class, whatever the header claims
        login("not-an-ip", Api.uniqueEmail(), "wrong password").statusCode(403);
    }
}
