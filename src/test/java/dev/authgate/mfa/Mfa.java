package dev.authgate.mfa;

import static io.restassured.RestAssured.given;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.commons.codec.binary.Base32;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

import dev.authgate.support.Api;
import dev.authgate.support.TestDatabase;

/** Second factors over HTTP for tests: an account with an active TOTP factor, its codes, the login step. */
public final class Mfa {

    private Mfa() {
    }

    /** An account of table user with one active TOTP factor: its secret, factor id, aal 2 token and recovery codes. */
    public record Enrolled(String email, long id, byte[] secret, String factorId, String token, List<String> recoveryCodes) {

        /** The code of the current step plus {@code offset} (the service accepts -1, 0 and +1). */
        public String code(int offset) {
            return Totp.code(secret, Totp.step(Instant.now().getEpochSecond()) + offset, Totp.DIGITS);
        }

        /** Forgets the last accepted step, so that a test can use another code of the current window. */
        public void forgetSteps() {
            TestDatabase.update("update auth_mfa_factor set last_step = null where dbtable = 'user' and account_id = ?", id);
        }
    }

    public static Enrolled enrolled() {
        String email = Api.uniqueEmail();
        String token = Api.signup(email);
        long id = TestDatabase.scalar("select id from \"user\" where email = ?", email);
        Map<String, Object> e = Api.bearer(token).contentType(ContentType.JSON).body(Map.of("name", "Phone"))
                .post("/api:main/auth/mfa/totp").then().statusCode(200).extract().jsonPath().getMap("$");
        byte[] secret = new Base32().decode((String) e.get("secret"));
        String factorId = (String) e.get("id");
        String code = Totp.code(secret, Totp.step(Instant.now().getEpochSecond()), Totp.DIGITS);
        Response activated = Api.bearer(token).contentType(ContentType.JSON).body(Map.of("code", code))
                .post("/api:main/auth/mfa/totp/" + factorId + "/activate");
        activated.then().statusCode(200);
        return new Enrolled(email, id, secret, factorId, activated.path("authToken"),
                activated.jsonPath().getList("recovery_codes", String.class));
    }

    /** auth/login for an account with a factor: the mfa_token. */
    public static String mfaToken(String email) {
        return login(email).then().statusCode(200).extract().path("mfa_token");
    }

    public static Response login(String email) {
        return given().contentType(ContentType.JSON).body(Map.of("email", email, "password", Api.PASSWORD))
                .post("/api:main/auth/login");
    }

    public static Response verify(String mfaToken, String code) {
        return given().contentType(ContentType.JSON).body(Map.of("mfa_token", mfaToken, "code", code))
                .post("/api:main/auth/mfa/verify");
    }
}
