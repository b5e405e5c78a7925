package dev.authgate.mfa;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;

import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import dev.authgate.support.Api;
import dev.authgate.support.Jwe;
import dev.authgate.support.TestDatabase;

/** TOTP enrolment, activation, the login step, recovery codes and management, over HTTP on the real database. */
@QuarkusTest
class MfaFlowTest {

    static void inputError(ValidatableResponse r, String param) {
        r.statusCode(400).body("code", equalTo("ERROR_CODE_INPUT_ERROR")).body("payload.param", equalTo(param));
    }

    static void unauthorized(ValidatableResponse r) {
        r.statusCode(401).body("code", equalTo("ERROR_CODE_UNAUTHORIZED")).body("$", hasKey("payload"));
    }

    static void notFound(ValidatableResponse r) {
        r.statusCode(404).body("code", equalTo("ERROR_CODE_NOT_FOUND")).body("$", hasKey("payload"));
    }

    @Test
    void anEnrolmentShowsItsSecretOnceAndCountsForNothingUntilActivated() {
        String email = Api.uniqueEmail();
        String token = Api.signup(email);
        long id = TestDatabase.scalar("select id from \"user\" where email = ?", email);
        Map<String, Object> e = Api.bearer(token).post("/api:main/auth/mfa/totp").then().statusCode(200)
                .extract().jsonPath().getMap("$");
        String secret = (String) e.get("secret");
        assertTrue(secret.matches("[A-Z2-7]{32}"), secret);
        assertEquals("otpauth://totp/Authgate:" + email.replace("@", "%40") + "?secret=" + secret
                + "&issuer=Authgate&algorithm=SHA1&digits=6&period=30", e.get("otpauth_uri"));
        assertTrue(((String) e.get("qr_svg")).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        // stored sealed, inactive, expiring within the hour, and under the current key's id
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_mfa_factor where id = ?::uuid and not active "
                + "and expires_at between now() + interval '59 minutes' and now() + interval '61 minutes' and kid = ?",
                e.get("id"), Jwe.TEST_KID));
        String stored = TestDatabase.text("select encode(secret, 'hex') from auth_mfa_factor where id = ?::uuid", e.get("id"));
        assertFalse(stored.contains(org.apache.commons.codec.binary.Hex.encodeHexString(new Base32().decode(secret))));
        // not a factor: the list is empty and login gives a token as before
        Api.bearer(token).get("/api:main/auth/mfa").then().statusCode(200).body("totp", hasSize(0))
                .body("passkeys", hasSize(0)).body("recovery_codes_left", equalTo(0));
        Mfa.login(email).then().statusCode(200).body("authToken", startsWith("ey")).body("$", not(hasKey("mfa_required")));
        // expired: it cannot be activated any more
        TestDatabase.update("update auth_mfa_factor set expires_at = now() - interval '1 second' where id = ?::uuid",
                e.get("id"));
        String code = Totp.code(new Base32().decode(secret), Totp.step(System.currentTimeMillis() / 1000), 6);
        notFound(Api.bearer(token).contentType(ContentType.JSON).body(Map.of("code", code))
                .post("/api:main/auth/mfa/totp/" + e.get("id") + "/activate").then());
        assertEquals(0, TestDatabase.scalar("select count(*) from auth_mfa_factor where dbtable = 'user' and account_id = ? and active", id));
    }

    @Test
    void activationGivesAnAal2TokenAndTenCodesAndEndsTheOldToken() {
        String email = Api.uniqueEmail();
        String old = Api.signup(email);
        long id = TestDatabase.scalar("select id from \"user\" where email = ?", email);
        Map<String, Object> e = Api.bearer(old).contentType(ContentType.JSON).body(Map.of("name", "Work phone"))
                .post("/api:main/auth/mfa/totp").then().statusCode(200).extract().jsonPath().getMap("$");
        byte[] secret = new Base32().decode((String) e.get("secret"));
        String path = "/api:main/auth/mfa/totp/" + e.get("id") + "/activate";
        inputError(Api.bearer(old).contentType(ContentType.JSON).body(Map.of("code", "000000")).post(path).then()
                .body("message", equalTo("The code is not right.")), "code");
        var r = Api.bearer(old).contentType(ContentType.JSON)
                .body(Map.of("code", Totp.code(secret, Totp.step(System.currentTimeMillis() / 1000), 6))).post(path);
        r.then().statusCode(200).body("recovery_codes", hasSize(10));
        List<String> codes = r.jsonPath().getList("recovery_codes", String.class);
        assertEquals(10, new HashSet<>(codes).size());
        codes.forEach(c -> assertTrue(c.matches("[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}"), c));
        Map<String, Object> claims = Jwe.decrypt(r.path("authToken")).claims();
        assertEquals(2L, ((Number) claims.get("aal")).longValue());
        assertEquals(List.of("pwd", "otp"), claims.get("amr"));
        unauthorized(Api.bearer(old).get("/api:main/auth/me").then());
        assertEquals(10, TestDatabase.scalar("select count(*) from auth_mfa_recovery_code where dbtable = 'user' and account_id = ? "
                + "and dbtable = 'user'", id));
        // the codes are stored as keyed hashes, never as given
        assertEquals(0, TestDatabase.scalar("select count(*) from auth_mfa_recovery_code where position(?::bytea in hash) > 0",
                codes.get(0).replace("-", "")));
        Api.bearer(r.path("authToken")).get("/api:main/auth/mfa").then().statusCode(200)
                .body("totp", hasSize(1)).body("totp[0].id", equalTo(e.get("id")))
                .body("totp[0].name", equalTo("Work phone")).body("totp[0].last_used_at", not(nullValue()))
                .body("recovery_codes_left", equalTo(10));
    }

    @Test
    void loginWithAFactorGivesTheLoginStepAndVerifyGivesAal2() {
        Mfa.Enrolled a = Mfa.enrolled();
        var step = Mfa.login(a.email()).then().statusCode(200).body("mfa_required", equalTo(true))
                .body("$", not(hasKey("authToken"))).body("factors", hasSize(1))
                .body("factors[0].id", equalTo(a.factorId())).body("factors[0].type", equalTo("totp"))
                .body("factors[0].name", equalTo("Phone")).extract();
        String mfaToken = step.path("mfa_token");
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_mfa_token where dbtable = 'user' and account_id = ? and used_at is null "
                + "and expires_at between now() + interval '4 minutes' and now() + interval '5 minutes'", a.id()));
        String token = Mfa.verify(mfaToken, a.code(1)).then().statusCode(200).extract().path("authToken");
        Map<String, Object> claims = Jwe.decrypt(token).claims();
        assertEquals(2L, ((Number) claims.get("aal")).longValue());
        assertEquals(List.of("pwd", "otp"), claims.get("amr"));
        assertEquals(((Number) claims.get("id")).longValue(), a.id());
        Api.bearer(token).get("/api:main/auth/token").then().statusCode(200).body("aal", equalTo(2))
                .body("amr", equalTo(List.of("pwd", "otp")));
        // the mfa_token is used: 401 even with another right code
        a.forgetSteps();
        unauthorized(Mfa.verify(mfaToken, a.code(0)).then());
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_mfa_token where dbtable = 'user' and account_id = ? and used_at is not null",
                a.id()));
    }

    @Test
    void aTimeStepIsAcceptedOnceForAFactor() {
        Mfa.Enrolled a = Mfa.enrolled();
        String code = a.code(1);
        Mfa.verify(Mfa.mfaToken(a.email()), code).then().statusCode(200);
        inputError(Mfa.verify(Mfa.mfaToken(a.email()), code).then(), "code");
        // and the step the activation took is refused too
        inputError(Mfa.verify(Mfa.mfaToken(a.email()), a.code(0)).then(), "code");
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_mfa_factor where dbtable = 'user' and account_id = ? and last_step = ?",
                a.id(), Totp.step(System.currentTimeMillis() / 1000) + 1));
    }

    @Test
    void recoveryCodesWorkOnceInAnySpelling() {
        Mfa.Enrolled a = Mfa.enrolled();
        String rc = a.recoveryCodes().get(3);
        String token = Mfa.verify(Mfa.mfaToken(a.email()), rc.toLowerCase().replace("-", " ")).then().statusCode(200)
                .extract().path("authToken");
        Map<String, Object> claims = Jwe.decrypt(token).claims();
        assertEquals(2L, ((Number) claims.get("aal")).longValue());
        assertEquals(List.of("pwd", "otp", "rc"), claims.get("amr"));
        inputError(Mfa.verify(Mfa.mfaToken(a.email()), rc).then(), "code");
        assertEquals(9, TestDatabase.scalar("select count(*) from auth_mfa_recovery_code where dbtable = 'user' and account_id = ? "
                + "and dbtable = 'user'", a.id()));
        Api.bearer(token).get("/api:main/auth/mfa").then().statusCode(200).body("recovery_codes_left", equalTo(9));
    }

    @Test
    void regeneratingNeedsAal2AndVoidsTheOldSet() {
        Mfa.Enrolled a = Mfa.enrolled();
        String aal1 = Jwe.rewritten(a.token(), Map.of("aal", 1, "amr", List.of("pwd")));
        aal1Refused(Api.bearer(aal1).post("/api:main/auth/mfa/recovery-codes").then());
        List<String> fresh = Api.bearer(a.token()).post("/api:main/auth/mfa/recovery-codes").then().statusCode(200)
                .body("recovery_codes", hasSize(10)).extract().jsonPath().getList("recovery_codes", String.class);
        assertTrue(fresh.stream().noneMatch(a.recoveryCodes()::contains));
        inputError(Mfa.verify(Mfa.mfaToken(a.email()), a.recoveryCodes().get(0)).then(), "code");
        Mfa.verify(Mfa.mfaToken(a.email()), fresh.get(0)).then().statusCode(200);
    }

    @Test
    void removingTheLastFactorNeedsAal2AndReturnsTheAccountToOneFactor() {
        Mfa.Enrolled a = Mfa.enrolled();
        String aal1 = Jwe.rewritten(a.token(), Map.of("aal", 1, "amr", List.of("pwd")));
        aal1Refused(Api.bearer(aal1).delete("/api:main/auth/mfa/totp/" + a.factorId()).then());
        // enrolling another factor needs aal 2 too, once one is active
        aal1Refused(Api.bearer(aal1).post("/api:main/auth/mfa/totp").then());
        Api.bearer(a.token()).delete("/api:main/auth/mfa/totp/" + a.factorId()).then().statusCode(200)
                .body("removed", equalTo(true));
        notFound(Api.bearer(a.token()).delete("/api:main/auth/mfa/totp/" + a.factorId()).then());
        assertEquals(0, TestDatabase.scalar("select count(*) from auth_mfa_factor where dbtable = 'user' and account_id = ? and dbtable = 'user'",
                a.id()));
        assertEquals(0, TestDatabase.scalar("select count(*) from auth_mfa_recovery_code where dbtable = 'user' and account_id = ? "
                + "and dbtable = 'user'", a.id()));
        String token = Mfa.login(a.email()).then().statusCode(200).extract().path("authToken");
        assertEquals(List.of("pwd"), Jwe.decrypt(token).claims().get("amr"));
    }

    static void aal1Refused(ValidatableResponse r) {
        r.statusCode(403).body("code", equalTo("ERROR_CODE_ACCESS_DENIED"))
                .body("message", equalTo("This needs a second factor: log in with it (aal 2)."));
    }

    @Test
    void anotherAccountsFactorIsNotFound() {
        Mfa.Enrolled a = Mfa.enrolled();
        Mfa.Enrolled b = Mfa.enrolled();
        notFound(Api.bearer(b.token()).delete("/api:main/auth/mfa/totp/" + a.factorId()).then());
        notFound(Api.bearer(b.token()).contentType(ContentType.JSON).body(Map.of("code", a.code(1)))
                .post("/api:main/auth/mfa/totp/" + a.factorId() + "/activate").then());
        for (String bad : List.of("nope", "00000000-0000-0000-0000-000000000000", "1", "%00", "A" + a.factorId())) {
            notFound(Api.bearer(b.token()).delete("/api:main/auth/mfa/totp/" + bad).then());
        }
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_mfa_factor where id = ?::uuid and active",
                a.factorId()));
        // b's codes open nothing of a's
        inputError(Mfa.verify(Mfa.mfaToken(a.email()), b.recoveryCodes().get(0)).then(), "code");
        inputError(Mfa.verify(Mfa.mfaToken(a.email()), b.code(1)).then(), "code");
    }

    @Test
    void malformedCodesAndTokensAreInputErrorsOr401NeverA500() {
        Mfa.Enrolled a = Mfa.enrolled();
        for (String code : List.of("abc", "12345", "1234567", "１２３４５６", "x".repeat(65), "ABCD-EFGH-IJKL-MNO1",
                "12345\u0000", "' or 1=1 --")) {
            var r = Mfa.verify(Mfa.mfaToken(a.email()), code).then();
            inputError(r, "code");
            TestDatabase.update("delete from auth_attempt where key like ?", "login%:user:" + a.email() + "%");
        }
        inputError(given().contentType(ContentType.JSON).body(Map.of("mfa_token", "x")).post("/api:main/auth/mfa/verify")
                .then().body("message", equalTo("Missing param: code")), "code");
        inputError(given().contentType(ContentType.JSON).body(Map.of("code", "123456")).post("/api:main/auth/mfa/verify")
                .then(), "mfa_token");
        inputError(given().post("/api:main/auth/mfa/verify").then(), "mfa_token");
        given().contentType(ContentType.JSON).body("[1]").post("/api:main/auth/mfa/verify").then().statusCode(400);
        for (String token : List.of("x", "not-a-token", "A".repeat(43), "A".repeat(128))) {
            unauthorized(Mfa.verify(token, "123456").then());
        }
        inputError(Mfa.verify("A".repeat(129), "123456").then(), "mfa_token");
        // an active factor is no enrolment: activating it again is a 404, whatever the code
        notFound(Api.bearer(a.token()).contentType(ContentType.JSON).body(Map.of("code", "123456"))
                .post("/api:main/auth/mfa/totp/" + a.factorId() + "/activate").then());
    }

    @Test
    void anExpiredMfaTokenIs401() {
        Mfa.Enrolled a = Mfa.enrolled();
        String mfaToken = Mfa.mfaToken(a.email());
        TestDatabase.update("update auth_mfa_token set expires_at = now() - interval '1 second' where dbtable = 'user' and account_id = ? "
                + "and dbtable = 'user'", a.id());
        unauthorized(Mfa.verify(mfaToken, a.code(1)).then());
        assertEquals(0, TestDatabase.scalar("select count(*) from auth_mfa_token where dbtable = 'user' and account_id = ? and used_at is not null",
                a.id()));
    }

    @Test
    void fiveWrongCodesVoidTheMfaTokenAndCountAsFailedLogins() {
        Mfa.Enrolled a = Mfa.enrolled();
        String mfaToken = Mfa.mfaToken(a.email());
        String right = a.code(1);
        String wrong = right.equals("000000") ? "111111" : "000000";
        for (int i = 0; i < 5; i++) {
            inputError(Mfa.verify(mfaToken, wrong).then(), "code");
        }
        unauthorized(Mfa.verify(mfaToken, right).then());
        assertEquals(5, TestDatabase.scalar("select attempts from auth_mfa_token where dbtable = 'user' and account_id = ? and dbtable = 'user'",
                a.id()));
        // the password step's attempt stays counted (no right code forgave it), and each wrong code counts
        assertEquals(6, TestDatabase.scalar("select count(*) from auth_attempt where key = ?", "login:user:" + a.email()));
        // a new login does not forgive them: at the account's limit (10) verify and login are throttled
        String second = Mfa.mfaToken(a.email());
        for (int i = 0; i < 3; i++) {
            inputError(Mfa.verify(second, wrong).then(), "code");
        }
        Mfa.verify(second, right).then().statusCode(429).body("code", equalTo("ERROR_CODE_TOO_MANY_REQUESTS"))
                .header("Retry-After", not(nullValue()));
        Mfa.login(a.email()).then().statusCode(429).body("code", equalTo("ERROR_CODE_TOO_MANY_REQUESTS"));
        assertNotNull(a.token());
    }

    @Test
    void aThrottledAccountsVerifyIs429AndUsesNoAttempt() {
        Mfa.Enrolled a = Mfa.enrolled();
        String mfaToken = Mfa.mfaToken(a.email());
        for (int i = 0; i < 10; i++) {
            TestDatabase.update("insert into auth_attempt (key, at) values (?, now())", "login:user:" + a.email());
            TestDatabase.update("insert into auth_attempt (key, at) values (?, now())",
                    "login-pair:user:" + a.email() + ":127.0.0.1");
        }
        Mfa.verify(mfaToken, a.code(1)).then().statusCode(429).body("code", equalTo("ERROR_CODE_TOO_MANY_REQUESTS"));
        assertEquals(0, TestDatabase.scalar("select attempts from auth_mfa_token where dbtable = 'user' and account_id = ? and dbtable = 'user'",
                a.id()));
        assertNotEquals(null, mfaToken);
    }
}
