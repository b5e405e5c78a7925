package dev.authgate.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static dev.authgate.throttle.StrictThrottlesProfile.OPERATOR_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import dev.authgate.support.Api;
import dev.authgate.support.Jwe;
import dev.authgate.support.TestDatabase;
import dev.authgate.throttle.StrictThrottlesProfile;

/** The quick-token operator key: 32 characters at least, and wrong keys throttled per client address. */
@QuarkusTest
@TestProfile(StrictThrottlesProfile.class)
class OperatorKeyTest {

    private static ValidatableResponse quickToken(String from, String key, long id) {
        return given().header("X-Forwarded-For", from).header(OperatorKey.HEADER, key).contentType(ContentType.JSON)
                .body(Map.of("id", id)).post("/api:main/auth/quick-token").then();
    }

    @Test
    void aShortKeyIsRefusedWithAMessageNamingIt() {
        var e = assertThrows(IllegalStateException.class, () -> OperatorKey.checked(Optional.of("x".repeat(31))));
        assertTrue(e.getMessage().contains("AUTHGATE_QUICK_TOKENS_SECRET") && e.getMessage().contains("32"), e.getMessage());
        assertEquals(Optional.of("x".repeat(32)), OperatorKey.checked(Optional.of("x".repeat(32))));
        assertEquals(Optional.empty(), OperatorKey.checked(Optional.of(" ")), "blank is unset: the feature is off");
        assertEquals(Optional.empty(), OperatorKey.checked(Optional.empty()));
    }

    @Test
    void wrongKeysFromAnAddressEndInEveryKeyRefusedThereOnly() {
        String email = Api.uniqueEmail();
        long id = ((Number) Jwe.decrypt(Api.signup(email)).claims().get("id")).longValue();
        String guesser = "198.51.100.31", operator = "198.51.100.32";
        for (int i = 0; i < 3; i++) {
            quickToken(guesser, OPERATOR_KEY + i, id).statusCode(404).body("code", equalTo("ERROR_CODE_NOT_FOUND"));
        }
        assertEquals(3, TestDatabase.scalar("select count(*) from auth_attempt where key = ?", "operator-key:" + guesser));
        // the right key, from the guessing address: refused the same way, so the endpoint stays hidden
        quickToken(guesser, OPERATOR_KEY, id).statusCode(404).body("code", equalTo("ERROR_CODE_NOT_FOUND"));
        assertEquals(3, TestDatabase.scalar("select count(*) from auth_attempt where key = ?", "operator-key:" + guesser));
        // elsewhere the key works
        String token = quickToken(operator, OPERATOR_KEY, id).statusCode(200).extract().path("authToken");
        assertEquals(id, ((Number) Jwe.decrypt(token).claims().get("id")).longValue());
        assertEquals(0, TestDatabase.scalar("select count(*) from auth_attempt where key = ?", "operator-key:" + operator));
    }
}
