package dev.authgate.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.authgate.support.Jwe;
import dev.authgate.support.TestDatabase;

@QuarkusTest
class AuthFlowTest {

    @Test
    void signupLoginMe() {
        String token = given().contentType(ContentType.JSON)
                .body(Map.of("name", "Ada", "email", "  Ada@Example.COM ", "password", "correct horse"))
                .post("/api:main/auth/signup")
                .then().log().ifValidationFails().statusCode(200).body("authToken", notNullValue())
                .extract().path("authToken");
        long id = TestDatabase.scalar("select id from \"user\" where email = 'ada@example.com'");
        var jwe = Jwe.decrypt(token);
        assertEquals("A256KW", jwe.header().getAlgorithm().getName());
        assertEquals(((Number) jwe.claims().get("id")).longValue(), id);

        given().contentType(ContentType.URLENC).formParam("email", "ada@example.com").formParam("password", "correct horse")
                .post("/api:main:v1/auth/login").then().statusCode(200).body("authToken", notNullValue());

        given().header("Authorization", "Bearer " + token).get("/api:main/auth/me")
                .then().statusCode(200).body("email", equalTo("ada@example.com")).body("name", equalTo("Ada"));
    }
}
