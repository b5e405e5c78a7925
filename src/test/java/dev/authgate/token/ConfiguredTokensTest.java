package dev.authgate.token;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.authgate.support.Api;
import dev.authgate.support.Jwe;
import dev.authgate.support.PostgresResource;
import dev.authgate.support.Wait;

/**
 * Settings an operator changes: per-table expiration (1 s; 0 = never), a rotated key set whose old key is now
 * second, and a deployment-specific prefix for the alternative headers.
 */
@QuarkusTest
@TestProfile(ConfiguredTokensTest.Configured.class)
class ConfiguredTokensTest {

    static final String NEW_KID = "rotated-in";
    static final byte[] NEW_KEY = Jwe.randomKey();

    public static class Configured implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "authgate.tables.user.token-expiration", "1",
                    "authgate.tables.staff.token-expiration", "0",
                    "authgate.token.keys", Jwe.jwks(NEW_KID, NEW_KEY, Jwe.TEST_KID, Jwe.TEST_KEY),
                    "authgate.headers.prefix", "X-Acme");
        }
    }

    @Test
    void aOneSecondTokenExpires() {
        String token = Api.signup(Api.uniqueEmail());
        var claims = Jwe.decrypt(token, NEW_KEY).claims();
        long exp = ((Number) claims.get("exp")).longValue();
        assertEquals(((Number) claims.get("iat")).longValue() + 1, exp);
        Wait.until("the clock passes exp", () -> System.currentTimeMillis() / 1000 > exp);
        Api.bearer(token).get("/api:main/auth/me").then().statusCode(401).body("code", equalTo("ERROR_CODE_UNAUTHORIZED"));
    }

    @Test
    void expirationZeroMeansNoExpAndTheTokenWorks() {
        String token = Api.login("staff", PostgresResource.ADMIN_EMAIL, PostgresResource.ADMIN_PASSWORD);
        var claims = Jwe.decrypt(token, NEW_KEY).claims();
        assertFalse(claims.containsKey("exp"), "no exp when the expiration is 0: " + claims);
        Api.bearer(token).get("/api:staff/auth/me").then().statusCode(200).body("email", equalTo(PostgresResource.ADMIN_EMAIL));
    }

    @Test
    void theFirstKeyEncryptsAndATokenOfTheNowSecondKeyIsAccepted() {
        String email = PostgresResource.ADMIN_EMAIL;
        String token = Api.login("staff", email, PostgresResource.ADMIN_PASSWORD);
        var issued = Jwe.decrypt(token, NEW_KEY);
        assertEquals(NEW_KID, issued.header().getKeyID());

        Map<String, Object> claims = new HashMap<>(issued.claims());
        claims.put("exp", System.currentTimeMillis() / 1000 + 600);
        String underOldKey = Jwe.encrypt(Jwe.header(Jwe.TEST_KID).build(), claims, Jwe.TEST_KEY);
        Api.bearer(underOldKey).get("/api:staff/auth/me").then().statusCode(200).body("email", equalTo(email));
    }

    @Test
    void theAlternativeHeadersFollowTheConfiguredPrefix() {
        // a staff token: it never expires under this profile, so a slow machine cannot fail the test
        String email = PostgresResource.ADMIN_EMAIL;
        String token = Api.login("staff", email, PostgresResource.ADMIN_PASSWORD);
        given().header("X-Acme-Authorization", token).header("Authorization", "Bearer garbage")
                .get("/api:staff/auth/me").then().statusCode(200).body("email", equalTo(email));
        given().header("X-Acme-Authorization-Only", "true").header("Authorization", "Bearer " + token)
                .get("/api:staff/auth/me").then().statusCode(401);
        // the Xano names are not read under another prefix: Authorization decides
        given().header("X-Xano-Authorization", "garbage").header("Authorization", "Bearer " + token)
                .get("/api:staff/auth/me").then().statusCode(200);
    }
}
