package dev.authgate.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The packaged application as it ships: no console until an operator turns it on (404 as for any unknown path). */
@QuarkusIntegrationTest
class ConsoleDefaultOffIT {

    @Test
    void theConsoleIsOffInProductionByDefault() {
        given().redirects().follow(false).get("/console/").then().statusCode(404)
                .body("code", equalTo("ERROR_CODE_NOT_FOUND"));
        given().contentType("application/x-www-form-urlencoded").formParam("group", "staff").post("/console/login")
                .then().statusCode(404).body("code", equalTo("ERROR_CODE_NOT_FOUND"));
    }
}
