package dev.authgate.support;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Short calls for tests: a fresh account, a login, a request with a token. */
public final class Api {

    public static final String PASSWORD = "correct horse battery";

    static {
        // a failing assertion shows the whole exchange
        io.restassured.RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    private Api() {
    }

    /** An email no other test uses. */
    public static String uniqueEmail() {
        return "u-" + UUID.randomUUID() + "@example.com";
    }

    public static String signup(String email) {
        return signup("main", email, PASSWORD);
    }

    public static String signup(String group, String email, String password) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("name", "Test User", "email", email, "password", password))
                .post("/api:" + group + "/auth/signup")
                .then().statusCode(200).extract().path("authToken");
    }

    public static String login(String group, String email, String password) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", password))
                .post("/api:" + group + "/auth/login")
                .then().statusCode(200).extract().path("authToken");
    }

    public static RequestSpecification bearer(String token) {
        return given().header("Authorization", "Bearer " + token);
    }
}
