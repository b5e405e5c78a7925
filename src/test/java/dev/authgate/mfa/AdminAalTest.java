package dev.authgate.mfa;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.endsWith;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.authgate.support.Api;
import dev.authgate.support.Jwe;
import dev.authgate.support.PostgresResource;

/** {@code authgate.admin-aal=2}: the records API and the console want an administrator who proved a second factor. */
@QuarkusTest
@TestProfile(AdminAalTest.Aal2.class)
public class AdminAalTest {

    public static class Aal2 implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("authgate.admin-aal", "2");
        }
    }

    @Test
    void anAdministratorsOneFactorTokenIs403AndATwoFactorOneIsServed() {
        String one = Api.login("staff", PostgresResource.ADMIN_EMAIL, PostgresResource.ADMIN_PASSWORD);
        Api.bearer(one).get("/api:staff/user").then().statusCode(403)
                .body("code", equalTo("ERROR_CODE_ACCESS_DENIED"))
                .body("message", equalTo("This needs a second factor: log in with it (aal 2)."))
                .body("payload", equalTo(null));
        Api.bearer(one).delete("/api:staff/user/1/sessions").then().statusCode(403);
        given().get("/api:staff/user").then().statusCode(401).body("code", equalTo("ERROR_CODE_UNAUTHORIZED"));

        String two = Jwe.rewritten(one, Map.of("aal", 2, "amr", List.of("pwd", "otp")));
        Api.bearer(two).get("/api:staff/user").then().statusCode(200);

        // the console: a one-factor session is sent to sign in; a two-factor one sees the records
        given().redirects().follow(false).cookie("__Host-authgate_console", one).get("/console/staff/records/user")
                .then().statusCode(303).header("Location", endsWith("/console/?group=staff"));
        given().redirects().follow(false).cookie("__Host-authgate_console", two).get("/console/staff/records/user")
                .then().statusCode(200);
    }

    @Test
    void aNonAdministratorIsStill403WhateverItsAal() {
        String user = Api.signup(Api.uniqueEmail());
        String two = Jwe.rewritten(user, Map.of("aal", 2, "amr", List.of("pwd", "otp")));
        Api.bearer(two).get("/api:staff/user").then().statusCode(401); // a user token is of another table
    }
}
