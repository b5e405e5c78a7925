package dev.authgate.http;

import static io.restassured.RestAssured.given;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusIntegrationTest;

import dev.authgate.support.Management;

/** The same document in the packaged application (prod profile), where Swagger UI is off unless switched on. */
@QuarkusIntegrationTest
class OpenApiIT extends OpenApiTest {

    @Test
    @Override
    void swaggerUiIsServed() {
        given().get(Management.url("/swagger-ui/")).then().statusCode(404);
    }
}
