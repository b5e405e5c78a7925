package dev.authgate.federation;

import static dev.authgate.federation.UpstreamSignIn.codeOf;
import static dev.authgate.federation.UpstreamSignIn.exchange;
import static dev.authgate.federation.UpstreamSignIn.landing;
import static dev.authgate.federation.UpstreamSignIn.startUrl;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

import dev.authgate.federation.FakeUpstreams.GitHubUser;
import dev.authgate.oidc.OidcProfile;
import dev.authgate.support.Api;
import dev.authgate.support.PostgresResource;
import dev.authgate.support.TestDatabase;

/**
 * Administrators see a record's identities at providers and unlink one, in the records API
 * ({@code /api:staff/{table}/{id}/identities}) and on the console's record page; never the record's last way to sign
 * in. Identities are made by signing in through {@link FakeUpstreams}' GitHub.
 */
@QuarkusTest
@TestProfile(OidcProfile.class)
class RecordIdentitiesTest {

    private static final String SESSION = "__Host-authgate_console";
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    static String admin() {
        return Api.login("staff", PostgresResource.ADMIN_EMAIL, PostgresResource.ADMIN_PASSWORD);
    }

    /** A record with a password and a GitHub identity linked to it: its id and the identity's. */
    static long[] linked() throws Exception {
        String email = Api.uniqueEmail();
        String token = Api.signup(email);
        long id = TestDatabase.scalar("select id from \"user\" where email = ?", email);
        GitHubUser u = GitHubUpstreamTest.user("gh-" + email, true);
        String url = Api.bearer(token).contentType(ContentType.JSON)
                .body(Map.of("redirect_uri", FakeUpstreams.APP_REDIRECT))
                .post("/api:main/auth/identities/gh/link").then().statusCode(200).extract().path("url");
        assertEquals(FakeUpstreams.APP_REDIRECT + "?linked=gh", landing(url, u.login()));
        return new long[] { id, TestDatabase.scalar("select id from auth_identity where provider = 'gh' and subject = ?",
                Long.toString(u.id())) };
    }

    /** A record GitHub made: no password, one identity. */
    static long[] madeByGitHub() throws Exception {
        String email = Api.uniqueEmail();
        GitHubUser u = GitHubUpstreamTest.user(email, true);
        exchange(codeOf(landing(startUrl("gh"), u.login()))).then().statusCode(200);
        return new long[] { TestDatabase.scalar("select id from \"user\" where email = ?", email),
                TestDatabase.scalar("select id from auth_identity where provider = 'gh' and subject = ?",
                        Long.toString(u.id())) };
    }

    @Test
    void anAdministratorListsARecordsIdentitiesAndUnlinksOne() throws Exception {
        long[] r = linked();
        String admin = admin();
        String path = "/api:staff/user/" + r[0] + "/identities";
        Api.bearer(admin).get(path).then().statusCode(200).body("size()", equalTo(1))
                .body("[0].id", equalTo((int) r[1])).body("[0].provider", equalTo("gh"))
                .body("[0].email_verified", equalTo(true)).body("[0].created_at", not(equalTo(null)));

        // under the records API's rule: a user's token, a staff member who is no administrator, unknown records
        String user = Api.login("main", TestDatabase.text("select email from \"user\" where id = ?", r[0]), Api.PASSWORD);
        Api.bearer(user).get(path).then().statusCode(401);
        String staff = Api.uniqueEmail();
        Api.bearer(admin).contentType(ContentType.JSON)
                .body(Map.of("name", "S", "email", staff, "password", Api.PASSWORD))
                .post("/api:staff/staff").then().statusCode(200);
        String notAdmin = Api.login("staff", staff, Api.PASSWORD);
        Api.bearer(notAdmin).get(path).then().statusCode(403).body("code", equalTo("ERROR_CODE_ACCESS_DENIED"));
        Api.bearer(notAdmin).delete(path + "/" + r[1]).then().statusCode(403);
        Api.bearer(admin).get("/api:staff/user/0/identities").then().statusCode(404)
                .body("code", equalTo("ERROR_CODE_NOT_FOUND"));
        Api.bearer(admin).get("/api:staff/nothing/" + r[0] + "/identities").then().statusCode(404);

        // another record's identity, or no number, is not found here
        long[] other = linked();
        Api.bearer(admin).delete(path + "/" + other[1]).then().statusCode(404);
        Api.bearer(admin).delete(path + "/x").then().statusCode(404).body("code", equalTo("ERROR_CODE_NOT_FOUND"));
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_identity where id = ?", other[1]));

        Api.bearer(admin).delete(path + "/" + r[1]).then().statusCode(200).body("unlinked", equalTo(true));
        assertEquals(0, TestDatabase.scalar("select count(*) from auth_identity where id = ?", r[1]));
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_audit where event = 'identity.unlinked' and"
                + " dbtable = 'user' and account_id = ? and actor_table = 'staff' and actor_id is not null"
                + " and detail->>'identity' = ?", r[0], Long.toString(r[1])), "the audit trail names the administrator");
        Api.bearer(admin).get(path).then().statusCode(200).body("size()", equalTo(0));
        Api.bearer(admin).delete(path + "/" + r[1]).then().statusCode(404);
    }

    @Test
    void anAdministratorCannotUnlinkTheLastWayIn() throws Exception {
        long[] r = madeByGitHub();
        Api.bearer(admin()).delete("/api:staff/user/" + r[0] + "/identities/" + r[1]).then().statusCode(403)
                .body("code", equalTo("ERROR_CODE_ACCESS_DENIED")).body("message", equalTo(Federation.LAST_WAY_IN));
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_identity where id = ?", r[1]));
    }

    @Test
    void deletingARecordRemovesItsIdentities() throws Exception {
        long[] r = linked();
        Api.bearer(admin()).delete("/api:staff/user/" + r[0]).then().statusCode(200);
        assertEquals(0, TestDatabase.scalar("select count(*) from auth_identity where dbtable = 'user' and account_id = ?",
                r[0]));
    }

    @Test
    void theConsoleShowsARecordsIdentitiesAndUnlinksOne() throws Exception {
        long[] r = linked();
        String session = admin(); // the form's CSRF token is bound to this console session
        String page = "/console/staff/records/user/" + r[0];
        String html = given().cookie(SESSION, session).get(page).then().statusCode(200)
                .body(containsString("Identities at providers (1)")).body(containsString("<td>gh</td>"))
                .body(containsString("(verified)")).body(containsString("id=\"unlink-" + r[1] + "\""))
                .extract().asString();
        Matcher csrf = CSRF.matcher(html);
        assertTrue(csrf.find(), "the page carries its CSRF token");
        // no CSRF token: refused, nothing unlinked
        given().redirects().follow(false).cookie(SESSION, session).contentType(ContentType.URLENC)
                .formParam("x", "y").post(page + "/identities/" + r[1] + "/unlink").then().statusCode(403);
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_identity where id = ?", r[1]));
        given().redirects().follow(false).cookie(SESSION, session).contentType(ContentType.URLENC)
                .formParam("csrf", csrf.group(1)).post(page + "/identities/" + r[1] + "/unlink").then()
                .statusCode(303).header("Location", endsWith(page + "?notice=unlinked"));
        assertEquals(0, TestDatabase.scalar("select count(*) from auth_identity where id = ?", r[1]));
        given().cookie(SESSION, session).get(page).then().statusCode(200)
                .body(containsString("Identities at providers (0)"))
                .body(containsString("No identity at a provider is linked to this record."));

        // the last way in: the page again, with the reason, and the identity kept
        long[] only = madeByGitHub();
        String onlyPage = "/console/staff/records/user/" + only[0];
        Matcher csrf2 = CSRF.matcher(given().cookie(SESSION, session).get(onlyPage).then().statusCode(200)
                .extract().asString());
        assertTrue(csrf2.find());
        given().redirects().follow(false).cookie(SESSION, session).contentType(ContentType.URLENC)
                .formParam("csrf", csrf2.group(1)).post(onlyPage + "/identities/" + only[1] + "/unlink").then()
                .statusCode(403).body(containsString("This is the account&#39;s last way to sign in"))
                .body(containsString("Identities at providers (1)"));
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_identity where id = ?", only[1]));
    }
}
