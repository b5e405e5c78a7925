package dev.authgate.events;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

import dev.authgate.support.Api;
import dev.authgate.support.TestDatabase;

/** The token hook, on-failure deny (the default): extras merged, role kept out, deny, and every way to fail. */
@QuarkusTest
@TestProfile(TokenHookTest.WithHook.class)
class TokenHookTest {

    static final int PORT = Receiver.freePort();
    static final Duration TIMEOUT = Duration.ofMillis(800);

    public static class WithHook implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("authgate.hooks.token.url", "http://127.0.0.1:" + PORT + "/hook",
                    "authgate.hooks.token.secret", WebhookTest.SECRET,
                    "authgate.hooks.token.timeout", TIMEOUT.toMillis() + "ms",
                    "authgate.gate.routes.app.path", "/app/**",
                    "authgate.gate.routes.app.access", "authenticated");
        }
    }

    static Receiver receiver;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry registry;

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver(PORT);
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    @BeforeEach
    void answersAtOnce() {
        receiver.answer = r -> new Receiver.Reply(200, "{\"extras\":{\"plan\":\"pro\",\"role\":\"administrator\"}}",
                Duration.ZERO);
    }

    static void answer(int status, String body) {
        receiver.answer = r -> new Receiver.Reply(status, body, Duration.ZERO);
    }

    private static io.restassured.response.Response signup(String email) {
        return given().contentType(ContentType.JSON).body(Map.of("name", "H", "email", email, "password", Api.PASSWORD))
                .post("/api:main/auth/signup");
    }

    @Test
    void theHooksExtrasAreInTheTokenButNotItsRole() throws Exception {
        String email = Api.uniqueEmail();
        String token = signup(email).then().statusCode(200).extract().path("authToken");
        Api.bearer(token).get("/api:main/auth/token").then().statusCode(200)
                .body("extras.plan", equalTo("pro")).body("extras.role", nullValue());
        // the hook saw the record and the proposal, signed as webhooks are
        Receiver.Request seen = receiver.requests.get(receiver.requests.size() - 1);
        new Webhook(WebhookTest.SECRET).verify(seen.body(), seen.headers());
        @SuppressWarnings("unchecked")
        Map<String, Object> body = json.readValue(seen.body(), Map.class);
        assertEquals("user", body.get("table"));
        assertEquals(List.of("pwd"), body.get("amr"));
        @SuppressWarnings("unchecked")
        Map<String, Object> record = (Map<String, Object>) body.get("record");
        assertEquals(email, record.get("email"));
        assertTrue(!seen.body().contains(Api.PASSWORD) && !seen.body().contains("$2"), "no password or hash");
        // a login goes through it as well, and the gate passes the hook's extras on to the upstream
        String login = Api.login("main", email, Api.PASSWORD);
        Api.bearer(login).get("/api:main/auth/token").then().body("extras.plan", equalTo("pro"));
        String forwarded = given().header("X-Original-Method", "GET").header("X-Original-URI", "/app/orders")
                .header("Authorization", "Bearer " + login).get("/gate/check").then().statusCode(200)
                .extract().header("X-Authgate-Extras");
        assertTrue(new String(java.util.Base64.getUrlDecoder().decode(forwarded)).contains("\"plan\":\"pro\""), forwarded);
        assertTrue(registry.get("authgate.token.hook").tag("outcome", "ok").timer().count() >= 2);
    }

    @Test
    void denyRefusesWithTheHooksMessageAndWritesNothing() {
        String email = Api.uniqueEmail();
        Api.signup(email);
        long id = TestDatabase.scalar("select id from \"user\" where email = ?", email);
        long sessions = TestDatabase.scalar("select count(*) from auth_session where account_id = ? and dbtable = 'user'", id);
        answer(200, "{\"deny\":\"Your subscription has ended.\"}");
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", Api.PASSWORD))
                .post("/api:main/auth/login").then().statusCode(403)
                .body("code", equalTo("ERROR_CODE_ACCESS_DENIED")).body("message", equalTo("Your subscription has ended."));
        assertEquals(sessions, TestDatabase.scalar("select count(*) from auth_session where account_id = ? "
                + "and dbtable = 'user'", id));
        assertEquals(0, TestDatabase.scalar("select count(*) from auth_audit where account_id = ? and event = 'login' "
                + "and outcome = 'ok'", id)); // the login's row rolled back with it
        // a denied sign-up leaves no account
        String other = Api.uniqueEmail();
        signup(other).then().statusCode(403).body("message", equalTo("Your subscription has ended."));
        assertEquals(0, TestDatabase.scalar("select count(*) from \"user\" where email = ?", other));
    }

    @Test
    void aBrokenAnswerIsAFailureAndDenies() {
        for (String broken : List.of("not json", "[1,2]", "{\"extras\":[1]}", "{\"extras\":\"x\"}", "{\"deny\":5}",
                "{\"pad\":\"" + "x".repeat(70_000) + "\"}")) {
            answer(200, broken);
            signup(Api.uniqueEmail()).then().statusCode(403).body("code", equalTo("ERROR_CODE_ACCESS_DENIED"))
                    .body("message", equalTo("The sign-in could not be completed (token hook)."));
        }
        answer(500, "{\"extras\":{\"plan\":\"pro\"}}");
        signup(Api.uniqueEmail()).then().statusCode(403);
        assertTrue(registry.get("authgate.token.hook").tag("outcome", "failed").timer().count() >= 7);
    }

    @Test
    void aSlowHookFailsAtItsTimeoutAndTheSignInIsNoSlower() {
        receiver.answer = r -> new Receiver.Reply(200, "{\"extras\":{\"plan\":\"slow\"}}", Duration.ofSeconds(30));
        long start = System.nanoTime();
        signup(Api.uniqueEmail()).then().statusCode(403);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        // the timeout, bcrypt and the machine's load (seconds at worst); never the hook's 30 s
        assertTrue(took.compareTo(Duration.ofSeconds(15)) < 0, "took " + took);
    }
}
