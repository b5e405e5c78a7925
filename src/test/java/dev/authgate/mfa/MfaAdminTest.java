package dev.authgate.mfa;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.authgate.support.Api;
import dev.authgate.support.PostgresResource;
import dev.authgate.support.TestDatabase;

/** Administrators reset a record's second factors, through the records API and the console; its sessions end. */
@QuarkusTest
class MfaAdminTest {

    /** The console session cookie with secure cookies (as in tests): the __Host- prefix. */
    private static final String SESSION = "__Host-authgate_console";

    private static String admin() {
        return Api.login("staff", PostgresResource.ADMIN_EMAIL, PostgresResource.ADMIN_PASSWORD);
    }

    private static void assertNoFactorsLeft(long id) {
        for (String table : new String[] { "auth_mfa_factor", "auth_mfa_recovery_code", "auth_mfa_token" }) {
            assertEquals(0, TestDatabase.scalar("select count(*) from " + table + " where dbtable = 'user' "
                    + "and account_id = ?", id), table);
        }
        assertEquals(0, TestDatabase.scalar("select count(*) from auth_session where dbtable = 'user' and account_id = ?",
                id));
    }

    @Test
    void anAdministratorResetsARecordsFactorsAndItsSessionsEnd() {
        Mfa.Enrolled a = Mfa.enrolled();
        Mfa.mfaToken(a.email()); // a login waiting for its factor goes too
        String admin = admin();
        Api.bearer(a.token()).delete("/api:staff/user/" + a.id() + "/mfa").then().statusCode(401); // a user token
        String staff = Api.uniqueEmail();
        Api.bearer(admin).contentType(ContentType.JSON).body(Map.of("name", "S", "email", staff, "password", Api.PASSWORD))
                .post("/api:staff/staff").then().statusCode(200);
        Api.bearer(Api.login("staff", staff, Api.PASSWORD)).delete("/api:staff/user/" + a.id() + "/mfa").then()
                .statusCode(403).body("code", equalTo("ERROR_CODE_ACCESS_DENIED"));
        Api.bearer(admin).delete("/api:staff/user/0/mfa").then().statusCode(404).body("code", equalTo("ERROR_CODE_NOT_FOUND"));
        Api.bearer(admin).delete("/api:staff/nothing/1/mfa").then().statusCode(404);

        Api.bearer(admin).delete("/api:staff/user/" + a.id() + "/mfa").then().statusCode(200)
                .body("reset", equalTo(true)).body("revoked", equalTo(1));
        assertNoFactorsLeft(a.id());
        Api.bearer(a.token()).get("/api:main/auth/me").then().statusCode(401);
        Mfa.login(a.email()).then().statusCode(200).body("authToken", not(equalTo(null)));
    }

    @Test
    void deletingARecordRemovesItsFactors() {
        Mfa.Enrolled a = Mfa.enrolled();
        Mfa.mfaToken(a.email());
        Api.bearer(admin()).delete("/api:staff/user/" + a.id()).then().statusCode(200);
        assertNoFactorsLeft(a.id());
    }

    @Test
    void theConsoleShowsARecordsFactorsAndResetsThem() {
        Mfa.Enrolled a = Mfa.enrolled();
        String session = admin();
        var browser = given().redirects().follow(false).cookie(SESSION, session);
        String page = "/console/staff/records/user/" + a.id();
        String html = browser.get(page).then().statusCode(200).body(containsString("Second factors (1)"))
                .body(containsString("<td>Phone</td>")).body(containsString("id=\"recovery-codes-left\">10<"))
                .body(containsString("id=\"mfa-reset\"")).extract().asString();
        // signed in, the form's CSRF token is bound to the session: the one the page carries
        var csrfField = java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
        org.junit.jupiter.api.Assertions.assertTrue(csrfField.find(), "the page carries its CSRF token");
        String csrf = csrfField.group(1);
        browser.contentType(ContentType.URLENC).formParam("csrf", csrf).post(page + "/mfa/reset").then().statusCode(400)
                .body(containsString("Tick the box to confirm the reset of the second factors."));
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_mfa_factor where dbtable = 'user' and account_id = ? and active", a.id()));
        given().redirects().follow(false).cookie(SESSION, session)
                .contentType(ContentType.URLENC).formParam("csrf", csrf).formParam("confirm", "yes")
                .post(page + "/mfa/reset").then().statusCode(303).header("Location", endsWith(page + "?notice=mfa-reset"));
        assertNoFactorsLeft(a.id());
        given().cookie(SESSION, admin()).get(page).then().statusCode(200)
                .body(containsString("Second factors (0)")).body(containsString("No second factor"));
    }
}
