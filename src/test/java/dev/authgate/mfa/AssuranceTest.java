package dev.authgate.mfa;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import dev.authgate.gate.Gate;
import dev.authgate.gate.GateRules;
import dev.authgate.support.Api;
import dev.authgate.support.Jwe;

/** aal and amr in every token, read back by auth/token and the gate; tokens without them read as aal 1. */
@QuarkusTest
@TestProfile(GateRules.class)
class AssuranceTest {

    @Test
    void signupAndLoginTokensSayOneFactorAPassword() {
        String email = Api.uniqueEmail();
        for (String token : List.of(Api.signup(email), Api.login("main", email, Api.PASSWORD))) {
            Map<String, Object> claims = Jwe.decrypt(token).claims();
            assertEquals(1L, ((Number) claims.get("aal")).longValue());
            assertEquals(List.of("pwd"), claims.get("amr"));
            Api.bearer(token).get("/api:main/auth/token").then().statusCode(200)
                    .body("aal", equalTo(1)).body("amr", equalTo(List.of("pwd")));
        }
    }

    @Test
    void aTokenFromBeforeTheClaimsReadsAsAal1WithNoMethods() {
        String token = Api.signup(Api.uniqueEmail());
        Map<String, Object> none = new HashMap<>();
        none.put("aal", null);
        none.put("amr", null);
        String old = Jwe.rewritten(token, none);
        Api.bearer(old).get("/api:main/auth/token").then().statusCode(200)
                .body("aal", equalTo(1)).body("amr", equalTo(List.of()));
    }

    @Test
    void aTokenWithAnAalThatIsNotOneOrTwoIsRefused() {
        String token = Api.signup(Api.uniqueEmail());
        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("aal", 3), Map.of("aal", "2"),
                Map.of("aal", 1.5), Map.of("amr", "pwd"), Map.of("amr", List.of(1)))) {
            Api.bearer(Jwe.rewritten(token, bad)).get("/api:main/auth/token").then().statusCode(401)
                    .body("code", equalTo("ERROR_CODE_UNAUTHORIZED")).body("payload", nullValue());
        }
    }

    @Test
    void theGateSendsTheAalAndAnAal2RuleRefusesOneFactor() {
        String token = Api.signup(Api.uniqueEmail());
        gate("/api/orders", token).then().statusCode(200).header(Gate.AAL, "1");
        gate("/account/security/keys", token).then().statusCode(403)
                .body("code", equalTo("ERROR_CODE_ACCESS_DENIED")).header(Gate.ID, nullValue());
        gate("/account/security/keys", null).then().statusCode(401).body("code", equalTo("ERROR_CODE_UNAUTHORIZED"));
        String two = Jwe.rewritten(token, Map.of("aal", 2, "amr", List.of("pwd", "otp")));
        gate("/account/security/keys", two).then().statusCode(200).header(Gate.AAL, "2");
    }

    private static io.restassured.response.Response gate(String uri, String token) {
        var r = given().header("X-Original-Method", "GET").header("X-Original-URI", uri);
        if (token != null) {
            r = r.header("Authorization", "Bearer " + token);
        }
        return r.get("/gate/check");
    }
}
