package dev.authgate.events;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

import dev.authgate.support.Api;

/** on-failure=issue: a slow hook's sign-in gets its token without the hook's extras; may-set-role lets a role in. */
@QuarkusTest
@TestProfile(TokenHookIssueTest.IssueOnFailure.class)
class TokenHookIssueTest {

    static final int PORT = Receiver.freePort();

    public static class IssueOnFailure implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("authgate.hooks.token.url", "http://127.0.0.1:" + PORT + "/hook",
                    "authgate.hooks.token.secret", WebhookTest.SECRET,
                    "authgate.hooks.token.timeout", "500ms",
                    "authgate.hooks.token.on-failure", "issue",
                    "authgate.hooks.token.may-set-role", "true");
        }
    }

    static Receiver receiver;

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver(PORT);
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    @Test
    void aSlowHookIssuesWithoutItsExtras() {
        receiver.answer = r -> new Receiver.Reply(200, "{\"extras\":{\"plan\":\"slow\"}}", Duration.ofSeconds(3));
        String token = given().contentType(ContentType.JSON)
                .body(Map.of("name", "H", "email", Api.uniqueEmail(), "password", Api.PASSWORD))
                .post("/api:main/auth/signup").then().statusCode(200).extract().path("authToken");
        Api.bearer(token).get("/api:main/auth/token").then().statusCode(200).body("extras.plan", nullValue());
    }

    @Test
    void aRoleIsTakenWhenAllowed() {
        receiver.answer = r -> new Receiver.Reply(200, "{\"extras\":{\"role\":\"editor\"}}", Duration.ZERO);
        String token = Api.signup(Api.uniqueEmail());
        Api.bearer(token).get("/api:main/auth/token").then().statusCode(200).body("extras.role", equalTo("editor"));
    }
}
