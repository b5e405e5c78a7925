package dev.authgate.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Without authgate.quick-tokens.secret, the quick-token endpoint does not exist, whatever key is sent. */
@QuarkusTest
class QuickTokenOffTest {

    @Test
    void absentWithoutTheSecret() {
        for (String key : new String[] { null, "", "anything" }) {
            var r = given().contentType(ContentType.JSON).body(Map.of("id", 1));
            if (key != null) {
                r.header("X-Authgate-Operator-Key", key);
            }
            r.post("/api:main/auth/quick-token").then().statusCode(404).body("code", equalTo("ERROR_CODE_NOT_FOUND"));
        }
    }
}
