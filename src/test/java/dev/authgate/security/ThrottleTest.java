package dev.authgate.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import dev.authgate.support.Api;
import dev.authgate.support.TestDatabase;

/**
 * Login and signup throttling, counted in PostgreSQL. The test's own address (127.0.0.1) is declared a trusted
 * proxy, so X-Forwarded-For stands for distinct clients.
 */
@QuarkusTest
@TestProfile(ThrottleTest.Strict.class)
class ThrottleTest {

    public static class Strict implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "authgate.throttle.login.max-failures", "3",
                    "authgate.throttle.login.max-failures-per-address", "5",
                    "authgate.throttle.signup.max-per-address", "4",
                    "authgate.throttle.trusted-proxies", "127.0.0.1,::1");
        }
    }

    private static final AtomicInteger CLIENTS = new AtomicInteger();

    /** A client address no other test uses. */
    private static String client() {
        return "10.1." + (CLIENTS.get() / 250) + "." + (CLIENTS.incrementAndGet() % 250 + 1);
    }

    private static ValidatableResponse login(String from, String email, String password) {
        return given().header("X-Forwarded-For", "203.0.113.7, " + from).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", password)).post("/api:main/auth/login").then();
    }

    private static void throttled(ValidatableResponse r) {
        String retry = r.statusCode(429).body("code", equalTo("ERROR_CODE_TOO_MANY_REQUESTS")).extract().header("Retry-After");
        long seconds = Long.parseLong(retry);
        assertTrue(seconds >= 1 && seconds <= 15 * 60 + 1, "Retry-After " + seconds);
    }

    @Test
    void failuresPerAccountEndInTooManyRequestsEvenWithTheRightPassword() {
        String email = Api.uniqueEmail();
        Api.signup(email);
        for (int i = 0; i < 3; i++) {
            login(client(), email, "wrong password").statusCode(403);
        }
        throttled(login(client(), email, Api.PASSWORD));
        assertEquals(3, TestDatabase.scalar("select count(*) from auth_attempt where key = ?", "login:user:" + email));
    }

    @Test
    void unknownEmailsAreThrottledTheSameWay() {
        String email = Api.uniqueEmail();
        for (int i = 0; i < 3; i++) {
            login(client(), email, "wrong password").statusCode(403).body("message", equalTo("Invalid Credentials."));
        }
        throttled(login(client(), email, "wrong password"));
    }

    @Test
    void aSuccessfulLoginForgivesTheAccountsFailures() {
        String email = Api.uniqueEmail();
        Api.signup(email);
        login(client(), email, "wrong password").statusCode(403);
        login(client(), email, "wrong password").statusCode(403);
        login(client(), email, Api.PASSWORD).statusCode(200);
        login(client(), email, "wrong password").statusCode(403);
        login(client(), email, "wrong password").statusCode(403);
        login(client(), email, "wrong password").statusCode(403);
        throttled(login(client(), email, Api.PASSWORD));
    }

    @Test
    void failuresPerAddressSpanAccounts() {
        String from = client();
        for (int i = 0; i < 5; i++) {
            login(from, Api.uniqueEmail(), "wrong password").statusCode(403);
        }
        throttled(login(from, Api.uniqueEmail(), "wrong password"));
        // another client is not affected
        login(client(), Api.uniqueEmail(), "wrong password").statusCode(403);
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
