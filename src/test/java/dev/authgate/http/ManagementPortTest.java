package dev.authgate.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import dev.authgate.support.Management;

/**
 * Health, metrics, OpenAPI and Swagger UI answer on the management port only: on the public port they are unknown
 * paths, 404 in the error shape, like any other.
 */
@QuarkusTest
class ManagementPortTest {

    static final String[] MANAGEMENT_PATHS = { "/metrics", "/health", "/health/ready", "/health/live",
            "/health/started", "/openapi", "/swagger-ui/", "/swagger-ui/index.html" };

    @Test
    void thePublicPortDoesNotServeThem() {
        for (String path : MANAGEMENT_PATHS) {
            given().get("/q" + path).then().statusCode(404)
                    .body("code", equalTo("ERROR_CODE_NOT_FOUND"))
                    .body("message", equalTo("Unable to locate request."))
                    .body("payload", nullValue());
        }
    }

    @Test
    void theManagementPortServesHealthMetricsAndTheDocument() {
        given().get(Management.url("/health/ready")).then().statusCode(200).body("status", equalTo("UP"));
        given().get(Management.url("/metrics")).then().statusCode(200);
        given().get(Management.url("/openapi")).then().statusCode(200);
        // and nothing of the API: the two ports are separate routers
        given().post("http://127.0.0.1:" + Management.port() + "/api:main/auth/login").then().statusCode(404);
    }
}
