package dev.authgate.mail;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

import dev.authgate.support.Management;
import dev.authgate.support.Api;
import dev.authgate.support.PostgresResource;
import dev.authgate.support.TestDatabase;

/** {@code staff} turned no flow on: every email endpoint is the unknown-route 404, with or without a token. */
@QuarkusTest
@TestProfile(MailProfile.class)
class EmailFlowsOffTest {

    static final List<String> PATHS = List.of("password-reset", "password-reset/confirm", "verify-email",
            "verify-email/resend", "magic-link", "magic-link/login", "email-change", "email-change/confirm");

    @Test
    void aFlowThatIsOffAnswersLikeAnUnknownRoute() {
        String staff = Api.login("staff", PostgresResource.ADMIN_EMAIL, PostgresResource.ADMIN_PASSWORD);
        for (String path : PATHS) {
            for (var request : List.of(given(), Api.bearer(staff))) {
                request.contentType(ContentType.JSON).body(Map.of("email", PostgresResource.ADMIN_EMAIL,
                        "token", "A".repeat(43), "new_password", "whatever it is"))
                        .post("/api:staff/auth/" + path).then().statusCode(404)
                        .body("code", equalTo("ERROR_CODE_NOT_FOUND"))
                        .body("message", equalTo("Unable to locate request."))
                        .body("payload", equalTo(null));
            }
        }
        given().post("/api:staff/auth/no-such-route").then().statusCode(404).body("message", equalTo("Unable to locate request."));
        // each endpoint is its own series in the HTTP metrics, not auth/{other} or {table}/{id}
        String metrics = given().get(Management.url("/metrics")).then().statusCode(200).extract().asString();
        for (String path : PATHS) {
            org.junit.jupiter.api.Assertions.assertTrue(metrics.contains("uri=\"/api:{group}/auth/" + path + "\""), path);
        }
        org.junit.jupiter.api.Assertions.assertEquals(0, TestDatabase.scalar(
                "select count(*) from auth_email_secret where dbtable = 'staff'"));
    }

    @Test
    void theEndpointsAreInTheOpenApiDocument() {
        for (String path : PATHS) {
            given().accept(ContentType.JSON).get(Management.url("/openapi?format=json")).then().statusCode(200)
                    .body("paths.'/api:{group}/auth/" + path + "'.post.responses.'200'", org.hamcrest.Matchers.notNullValue())
                    .body("paths.'/api:{group}/auth/" + path + "'.post.summary", org.hamcrest.Matchers.notNullValue());
        }
        given().accept(ContentType.JSON).get(Management.url("/openapi?format=json")).then()
                .body("paths.'/api:{group}/auth/password-reset/confirm'.post.requestBody.content.'application/json'"
                        + ".schema.'$ref'", equalTo("#/components/schemas/ResetConfirm"))
                .body("components.schemas.ResetConfirm.properties", org.hamcrest.Matchers.hasKey("new_password"));
    }
}
