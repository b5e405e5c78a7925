package dev.authgate.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import dev.authgate.support.Api;
import dev.authgate.support.Management;
import dev.authgate.support.TestDatabase;

/** Every client mistake leaves in the error shape, never a 500 or a stack trace, and writes nothing. */
@QuarkusTest
class ErrorShapeTest {

    private static ValidatableResponse error(ValidatableResponse r, int status, String code) {
        return r.statusCode(status).contentType(startsWith("application/json"))
                .body("code", equalTo(code))
                .body("message", not(containsString("Exception")))
                .body("$", org.hamcrest.Matchers.hasKey("payload"));
    }

    @Test
    void unknownRoutesGroupsBranchesAndMethodsAre404() {
        error(given().get("/nowhere").then(), 404, "ERROR_CODE_NOT_FOUND").body("message", equalTo("Unable to locate request."));
        error(given().post("/api:nope/auth/login").then(), 404, "ERROR_CODE_NOT_FOUND");
        error(given().post("/api:main:v9/auth/login").then(), 404, "ERROR_CODE_NOT_FOUND");
        error(given().post("/api:main/auth/nothing").then(), 404, "ERROR_CODE_NOT_FOUND");
        error(given().get("/api:main/auth/signup").then(), 404, "ERROR_CODE_NOT_FOUND");
        error(given().delete("/api:main/auth/me").then(), 404, "ERROR_CODE_NOT_FOUND");
        // an unknown group is a 404 before any question of authentication
        error(given().get("/api:nope/auth/me").then(), 404, "ERROR_CODE_NOT_FOUND");
        error(given().get("/api:nope/user").then(), 404, "ERROR_CODE_NOT_FOUND");
    }

    /**
     * A 401 reads the same from both exits: the REST layer's (no token on a protected endpoint, ErrorMapper) and
     * the one before it (a token that is not valid, HttpErrors).
     */
    @Test
    void bothExitsWriteTheSame401() {
        for (var r : java.util.List.of(given().get("/api:main/auth/me"),
                given().header("Authorization", "Bearer not-a-token").get("/api:main/auth/me"))) {
            error(r.then(), 401, "ERROR_CODE_UNAUTHORIZED").body("message", equalTo("Invalid token."))
                    .header("WWW-Authenticate", "Bearer").header("Cache-Control", "no-store");
        }
    }

    @Test
    void healthStillAnswers() {
        given().get(Management.url("/health/live")).then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void missingBodiesAndFieldsNameTheField() {
        error(given().post("/api:main/auth/signup").then(), 400, "ERROR_CODE_INPUT_ERROR").body("payload.param", equalTo("name"));
        error(given().post("/api:main/auth/login").then(), 400, "ERROR_CODE_INPUT_ERROR").body("payload.param", equalTo("email"));
        // the Xano SDK's POST without params: form-encoded, empty
        error(given().contentType(ContentType.URLENC).body("").post("/api:main/auth/login").then(), 400,
                "ERROR_CODE_INPUT_ERROR").body("payload.param", equalTo("email"));
        error(given().contentType(ContentType.JSON).body(Map.of("email", "a@b.co")).post("/api:main/auth/login").then(), 400,
                "ERROR_CODE_INPUT_ERROR").body("payload.param", equalTo("password"));
        error(given().contentType(ContentType.JSON).body(Map.of("name", "N", "password", Api.PASSWORD))
                .post("/api:main/auth/signup").then(), 400, "ERROR_CODE_INPUT_ERROR").body("payload.param", equalTo("email"));
    }

    @Test
    void badValuesNameTheField() {
        String email = Api.uniqueEmail();
        record Case(Map<String, Object> body, String param) {
        }
        for (Case c : new Case[] {
                new Case(Map.of("name", "N", "email", "not-an-email", "password", Api.PASSWORD), "email"),
                new Case(Map.of("name", "N", "email", "a".repeat(250) + "@b.co", "password", Api.PASSWORD), "email"),
                new Case(Map.of("name", "N", "email", 42, "password", Api.PASSWORD), "email"),
                new Case(Map.of("name", "N", "email", email, "password", "short"), "password"),
                new Case(Map.of("name", "N", "email", email, "password", 12345678), "password"),
                new Case(Map.of("name", "   ", "email", email, "password", Api.PASSWORD), "name"),
                new Case(Map.of("name", "n".repeat(201), "email", email, "password", Api.PASSWORD), "name"),
                new Case(Map.of("name", Map.of("first", "N"), "email", email, "password", Api.PASSWORD), "name") }) {
            error(given().contentType(ContentType.JSON).body(c.body()).post("/api:main/auth/signup").then(), 400,
                    "ERROR_CODE_INPUT_ERROR").body("payload.param", equalTo(c.param()));
        }
        org.junit.jupiter.api.Assertions.assertEquals(0,
                TestDatabase.scalar("select count(*) from \"user\" where email = ?", email));
    }

    @Test
    void textThatCannotBeStoredAsGivenNamesTheField() {
        String email = Api.uniqueEmail();
        error(given().contentType(ContentType.JSON)
                .body("{\"name\":\"N\",\"email\":\"a\\u0000" + email + "\",\"password\":\"" + Api.PASSWORD + "\"}")
                .post("/api:main/auth/signup").then(), 400, "ERROR_CODE_INPUT_ERROR").body("payload.param", equalTo("email"));
        error(given().contentType(ContentType.JSON)
                .body("{\"name\":\"N\\ud800\",\"email\":\"" + email + "\",\"password\":\"" + Api.PASSWORD + "\"}")
                .post("/api:main/auth/signup").then(), 400, "ERROR_CODE_INPUT_ERROR").body("payload.param", equalTo("name"));
        error(given().contentType(ContentType.JSON)
                .body("{\"name\":\"N\",\"email\":\"" + email + "\",\"password\":\"\\udc00\\udc00\\udc00\\udc00xxxx\"}")
                .post("/api:main/auth/signup").then(), 400, "ERROR_CODE_INPUT_ERROR").body("payload.param", equalTo("password"));
        error(given().contentType(ContentType.URLENC).body("email=a%00b@c.de&password=whatever1")
                .post("/api:main/auth/login").then(), 400, "ERROR_CODE_INPUT_ERROR").body("payload.param", equalTo("email"));
        error(given().contentType(ContentType.JSON)
                .body(Map.of("name", "N", "email", "a\u202e" + email, "password", Api.PASSWORD))
                .post("/api:main/auth/signup").then(), 400, "ERROR_CODE_INPUT_ERROR").body("payload.param", equalTo("email"));
        org.junit.jupiter.api.Assertions.assertEquals(0,
                TestDatabase.scalar("select count(*) from \"user\" where email like ?", "%" + email));
        // one address, one spelling: NFD and NFC forms of the same email are one account
        String nfc = "jos\u00e9-" + email;
        String nfd = "jose\u0301-" + email;
        Api.signup(nfc);
        error(given().contentType(ContentType.JSON).body(Map.of("name", "N", "email", nfd, "password", Api.PASSWORD))
                .post("/api:main/auth/signup").then(), 403, "ERROR_CODE_ACCESS_DENIED");
        // letters that only newer Unicode versions lower-case are no 500
        given().contentType(ContentType.JSON).body(Map.of("name", "N", "email", "\u2c2f" + email, "password", Api.PASSWORD))
                .post("/api:main/auth/signup").then().statusCode(org.hamcrest.Matchers.lessThan(500));
    }

    @Test
    void malformedBodiesAreBadRequests() {
        for (String body : new String[] { "{", "[1,2]", "\"text\"", "null", "{\"email\": }", "<xml/>",
                "[".repeat(100) + "]".repeat(100), "{\"a\":".repeat(100) + "1" + "}".repeat(100) }) {
            error(given().contentType(ContentType.JSON).body(body).post("/api:main/auth/signup").then(), 400,
                    "ERROR_CODE_BAD_REQUEST");
        }
        error(given().contentType(ContentType.URLENC).body("email=%zz").post("/api:main/auth/login").then(), 400,
                "ERROR_CODE_BAD_REQUEST");
        error(given().contentType("text/xml").body("<a/>").post("/api:main/auth/login").then(), 400,
                "ERROR_CODE_BAD_REQUEST");
    }

    @Test
    void oversizedBodiesAre413() {
        String big = "{\"email\":\"" + "a".repeat(70 * 1024) + "\"}";
        error(given().contentType(ContentType.JSON).body(big).post("/api:main/auth/login").then(), 413,
                "ERROR_CODE_PAYLOAD_TOO_LARGE");
        // without a declared length (chunked): counted while read
        var chunked = new java.io.ByteArrayInputStream(big.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        error(given().contentType(ContentType.JSON).body(chunked).post("/api:main/auth/login").then(), 413,
                "ERROR_CODE_PAYLOAD_TOO_LARGE");
    }
}
