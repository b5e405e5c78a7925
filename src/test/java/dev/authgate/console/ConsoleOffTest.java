package dev.authgate.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import dev.authgate.client.ClientsProfile;

/** With {@code authgate.console.enabled=false} every console path is a 404 in the error shape, forms included. */
@QuarkusTest
@TestProfile(ClientsProfile.class)
class ConsoleOffTest {

    @Test
    void theConsoleDoesNotExist() {
        for (String path : new String[] { "/console/", "/console/staff/", "/console/staff/records/user",
                "/console/staff/workbench" }) {
            given().redirects().follow(false).get(path).then().statusCode(404)
                    .body("code", equalTo("ERROR_CODE_NOT_FOUND"));
        }
        given().contentType("application/x-www-form-urlencoded").formParam("email", "a@b.c").post("/console/login")
                .then().statusCode(404).body("code", equalTo("ERROR_CODE_NOT_FOUND"));
    }
}
