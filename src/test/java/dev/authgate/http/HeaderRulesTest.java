package dev.authgate.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import dev.authgate.support.Api;

/**
 * the contract's (docs/api.md) alternative-header rules, every combination: Authorization (valid / invalid / absent) ×
 * X-Xano-Authorization (valid / invalid / absent) × X-Xano-Authorization-Only (on / off), on a public and on an
 * authenticated endpoint. The two valid tokens belong to different accounts, so the answer shows which was read.
 */
@QuarkusTest
class HeaderRulesTest {

    enum Value { VALID, INVALID, ABSENT }

    private static final String INVALID = "not-a-token";
    private static String aEmail;
    private static String aToken;
    private static String xaEmail;
    private static String xaToken;

    /** Once per class, but after the application is up (rest-assured's port is set per test). */
    @BeforeEach
    void accounts() {
        if (aToken != null) {
            return;
        }
        aEmail = Api.uniqueEmail();
        aToken = Api.signup(aEmail);
        xaEmail = Api.uniqueEmail();
        xaToken = Api.signup(xaEmail);
    }

    static Stream<Arguments> matrix() {
        List<Arguments> all = new ArrayList<>();
        for (Value a : Value.values()) {
            for (Value xa : Value.values()) {
                for (boolean only : new boolean[] { true, false }) {
                    all.add(Arguments.of(a, xa, only));
                }
            }
        }
        return all.stream();
    }

    /** The rules, stated once: which value is the token, and whose account it is. */
    private static Value tokenRead(Value a, Value xa, boolean only) {
        if (xa != Value.ABSENT) {
            return xa;
        }
        return only ? Value.ABSENT : a;
    }

    private static RequestSpecification request(Value a, Value xa, boolean only) {
        RequestSpecification r = given();
        if (a != Value.ABSENT) {
            r.header("Authorization", "Bearer " + (a == Value.VALID ? aToken : INVALID));
        }
        if (xa != Value.ABSENT) {
            r.header("X-Xano-Authorization", xa == Value.VALID ? xaToken : INVALID);
        }
        if (only) {
            r.header("X-Xano-Authorization-Only", "true");
        }
        return r;
    }

    @ParameterizedTest(name = "me: A={0} XA={1} only={2}")
    @MethodSource("matrix")
    void authenticatedEndpoint(Value a, Value xa, boolean only) {
        Value read = tokenRead(a, xa, only);
        var response = request(a, xa, only).get("/api:main/auth/me").then();
        if (read == Value.VALID) {
            response.statusCode(200).body("email", equalTo(xa == Value.VALID ? xaEmail : aEmail));
        } else {
            response.statusCode(401).body("code", equalTo("ERROR_CODE_UNAUTHORIZED"));
        }
    }

    @ParameterizedTest(name = "login: A={0} XA={1} only={2}")
    @MethodSource("matrix")
    void publicEndpoint(Value a, Value xa, boolean only) {
        Value read = tokenRead(a, xa, only);
        var response = request(a, xa, only).contentType(ContentType.JSON)
                .body(Map.of("email", aEmail, "password", Api.PASSWORD))
                .post("/api:main/auth/login").then();
        if (read == Value.INVALID) {
            response.statusCode(401).body("code", equalTo("ERROR_CODE_UNAUTHORIZED"));
        } else {
            response.statusCode(200);
        }
    }

    @Test
    void headerNamesAreCaseInsensitiveAndBearerIsOptionalOnTheAlternativeHeader() {
        given().header("x-xano-authorization", "Bearer " + xaToken).get("/api:main/auth/me")
                .then().statusCode(200).body("email", equalTo(xaEmail));
        given().header("X-XANO-AUTHORIZATION", xaToken).get("/api:main/auth/me")
                .then().statusCode(200).body("email", equalTo(xaEmail));
        given().header("authorization", "bearer " + aToken).get("/api:main/auth/me")
                .then().statusCode(200).body("email", equalTo(aEmail));
        given().header("x-xano-authorization-only", "TRUE").header("Authorization", "Bearer " + aToken)
                .get("/api:main/auth/me").then().statusCode(401);
    }

    @Test
    void anotherSchemeInAuthorizationIsNotOurs() {
        given().header("Authorization", "Basic dXNlcjpwYXNz").contentType(ContentType.JSON)
                .body(Map.of("email", aEmail, "password", Api.PASSWORD))
                .post("/api:main/auth/login").then().statusCode(200);
        given().header("Authorization", "Basic dXNlcjpwYXNz").get("/api:main/auth/me").then().statusCode(401);
    }

    @Test
    void onlyFalseLeavesAuthorizationInUse() {
        given().header("X-Xano-Authorization-Only", "false").header("Authorization", "Bearer " + aToken)
                .get("/api:main/auth/me").then().statusCode(200).body("email", equalTo(aEmail));
    }
}
