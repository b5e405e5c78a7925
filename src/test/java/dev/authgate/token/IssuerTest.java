package dev.authgate.token;

import static org.hamcrest.Matchers.equalTo;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import dev.authgate.support.Api;
import dev.authgate.support.Jwe;

/** A token under our key and with a live session, but minted by another issuer, is not ours: 401. */
@QuarkusTest
class IssuerTest {

    @Test
    void anotherIssuerOrNoneIs401() {
        Map<String, Object> claims = new HashMap<>(Jwe.decrypt(Api.signup(Api.uniqueEmail())).claims());
        Api.bearer(Jwe.encrypt(Jwe.header(Jwe.TEST_KID).build(), claims, Jwe.TEST_KEY)).get("/api:main/auth/me")
                .then().statusCode(200);
        claims.put("iss", "staging");
        Api.bearer(Jwe.encrypt(Jwe.header(Jwe.TEST_KID).build(), claims, Jwe.TEST_KEY)).get("/api:main/auth/me")
                .then().statusCode(401).body("code", equalTo("ERROR_CODE_UNAUTHORIZED"));
        claims.remove("iss");
        Api.bearer(Jwe.encrypt(Jwe.header(Jwe.TEST_KID).build(), claims, Jwe.TEST_KEY)).get("/api:main/auth/me")
                .then().statusCode(401).body("code", equalTo("ERROR_CODE_UNAUTHORIZED"));
    }
}
