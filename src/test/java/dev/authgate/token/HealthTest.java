package dev.authgate.token;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Base64;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import dev.authgate.support.Jwe;
import dev.authgate.support.Management;

/** The probes of k8s/, on the management port: started, live, and ready with the database and the token keys. */
@QuarkusTest
class HealthTest {

    @Test
    void readinessIncludesTheDatabaseAndTheTokenKeys() {
        String body = given().get(Management.url("/health/ready")).then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("token-keys"))
                .body("checks.find { it.name == 'token-keys' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'token-keys' }.data.keys", equalTo(1))
                .body("checks.find { it.name == 'token-keys' }.data.encryptingKid", equalTo(Jwe.TEST_KID))
                .body("checks.find { it.name.contains('Database') }.status", equalTo("UP"))
                .extract().asString();
        String key = Base64.getUrlEncoder().withoutPadding().encodeToString(Jwe.TEST_KEY);
        assertFalse(body.contains(key) || body.contains(Base64.getEncoder().encodeToString(Jwe.TEST_KEY)),
                "key material in the health answer: " + body);
    }

    @Test
    void startedAndLiveAnswer() {
        given().get(Management.url("/health/started")).then().statusCode(200).body("status", equalTo("UP"));
        given().get(Management.url("/health/live")).then().statusCode(200).body("status", equalTo("UP"));
    }
}
