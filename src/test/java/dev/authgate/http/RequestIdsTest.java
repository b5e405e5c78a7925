package dev.authgate.http;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.authgate.support.Api;

/** Every answer carries X-Request-Id: the caller's when sane, else a fresh one. */
@QuarkusTest
class RequestIdsTest {

    private static final String HEADER = "X-Request-Id";

    @Test
    void aSaneIdIsEchoedOnEveryKindOfAnswer() {
        String id = "req-1.A_b";
        String token = Api.signup(Api.uniqueEmail());
        assertEquals(id, Api.bearer(token).header(HEADER, id).get("/api:main/auth/me").then().statusCode(200).extract()
                .header(HEADER));
        assertEquals(id, given().header(HEADER, id).get("/nowhere").then().statusCode(404).extract().header(HEADER));
        assertEquals(id, given().header(HEADER, id).header("Authorization", "Bearer garbage").get("/api:main/auth/me")
                .then().statusCode(401).extract().header(HEADER));
        assertEquals(id, given().header(HEADER, id).contentType(ContentType.JSON).body("{\"x\":\"" + "a".repeat(70 * 1024) + "\"}")
                .post("/api:main/auth/login").then().statusCode(413).extract().header(HEADER));
    }

    @Test
    void aMissingOrInsaneIdIsReplacedByAFreshOne() {
        String first = given().get("/nowhere").then().extract().header(HEADER);
        String second = given().get("/nowhere").then().extract().header(HEADER);
        assertTrue(first.matches("[0-9a-f]{32}"), first);
        assertNotEquals(first, second);
        for (String insane : new String[] { "a".repeat(65), "has space", "semi;colon", "quote\"d", "ünicode" }) {
            String answered = given().header(HEADER, insane).get("/nowhere").then().extract().header(HEADER);
            assertTrue(answered.matches("[0-9a-f]{32}"), insane + " -> " + answered);
        }
    }
}
