package dev.authgate.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import dev.authgate.support.Api;
import dev.authgate.support.Jwe;
import dev.authgate.support.OperatorProfile;
import dev.authgate.support.PostgresResource;
import dev.authgate.support.TestDatabase;

/** The console over HTTP: sign-in, its cookies and headers, CSRF, and everything an administrator does there. */
@QuarkusTest
@TestProfile(OperatorProfile.class)
class ConsoleTest {

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    private static final Pattern TOKEN_AREA = Pattern.compile("id=\"minted-token\"[^>]*>([^<]+)</textarea>");

    static ConsoleClient admin() {
        ConsoleClient c = new ConsoleClient();
        c.signIn("staff", PostgresResource.ADMIN_EMAIL, PostgresResource.ADMIN_PASSWORD).then().statusCode(303)
                .header("Location", endsWith("/console/staff/"));
        return c;
    }

    /** A user signed up through the API: its id and token. */
    record Account(long id, String email, String token) {
        static Account create() {
            String email = Api.uniqueEmail();
            String token = Api.signup(email);
            return new Account(TestDatabase.scalar("select id from \"user\" where email = ?", email), email, token);
        }

        String page() {
            return "/console/staff/records/user/" + id;
        }
    }

    /** A staff member made through the records API, with this role or none. */
    static String staff(String role) {
        String email = Api.uniqueEmail();
        var body = new java.util.HashMap<String, Object>(Map.of("name", "Staff", "email", email, "password", Api.PASSWORD));
        if (role != null) {
            body.put("role", role);
        }
        Api.bearer(Api.login("staff", PostgresResource.ADMIN_EMAIL, PostgresResource.ADMIN_PASSWORD))
                .contentType(ContentType.JSON).body(body).post("/api:staff/staff").then().statusCode(200);
        return email;
    }

    static long sessionsOf(String table, String email) {
        return TestDatabase.scalar("select count(*) from auth_session s join \"" + table
                + "\" a on a.id = s.account_id where s.dbtable = ? and a.email = ?", table, email);
    }

    @Test
    void theSignInFormComesWithStrictHeadersAndACsrfCookie() {
        Response r = new ConsoleClient().get("/console/");
        r.then().statusCode(200).contentType(containsString("text/html"))
                .header("Content-Security-Policy", CSP).header("X-Frame-Options", "DENY")
                .header("X-Content-Type-Options", "nosniff").header("Cache-Control", "no-store")
                .body(containsString("action=\"/console/login\"")).body(containsString("<option value=\"staff\""));
        String cookie = r.getHeaders().getValues("Set-Cookie").stream().filter(c -> c.startsWith(ConsoleClient.CSRF))
                .findFirst().orElseThrow();
        assertTrue(cookie.matches("__Host-authgate_console_csrf=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict; Secure"),
                cookie);
        // no inline script, style or event handler for the CSP to refuse
        String html = r.asString();
        assertFalse(Pattern.compile("<script(?![^>]*\\bsrc=)").matcher(html).find(), html);
        assertFalse(Pattern.compile("\\sstyle=|\\son[a-z]+=").matcher(html).find(), html);
        // the style sheet and htmx are served
        given().get("/console/assets/console.css").then().statusCode(200).contentType(containsString("text/css"));
        given().get("/webjars/htmx.org/2.0.4/dist/htmx.min.js").then().statusCode(200);
    }

    @Test
    void signInIsTheGroupsLoginUnderTheRecordsApisRule() {
        String adminEmail = staff("administrator");
        ConsoleClient c = new ConsoleClient();
        c.signIn("staff", adminEmail, "wrong password").then().statusCode(403)
                .body(containsString("Invalid Credentials.")).header("Set-Cookie", not(containsString(ConsoleClient.SESSION + "=")));
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_attempt where key = ?", "login:staff:" + adminEmail));

        String support = staff("support");
        c.signIn("staff", support, Api.PASSWORD).then().statusCode(403)
                .body(containsString("This account is not an administrator of staff."));
        assertFalse(c.cookies.containsKey(ConsoleClient.SESSION));
        assertEquals(0, sessionsOf("staff", support), "the token of a sign-in refused for its role is ended at once");

        c.signIn("staff", "", Api.PASSWORD).then().statusCode(400).body(containsString("Missing param: email"));
        c.signIn("nowhere", adminEmail, Api.PASSWORD).then().statusCode(400)
                .body(containsString("Choose the group you administer."));
        c.signIn("main", adminEmail, Api.PASSWORD).then().statusCode(400); // main manages no tables: no console

        Response ok = c.signIn("staff", adminEmail, Api.PASSWORD);
        ok.then().statusCode(303).header("Location", endsWith("/console/staff/"));
        String cookie = ok.getHeaders().getValues("Set-Cookie").stream()
                .filter(v -> v.startsWith(ConsoleClient.SESSION + "=")).findFirst().orElseThrow();
        assertTrue(cookie.endsWith("; Path=/; HttpOnly; SameSite=Strict; Secure"), cookie);
        var claims = Jwe.decrypt(c.cookies.get(ConsoleClient.SESSION)).claims();
        assertEquals("staff", claims.get("dbtable"));
        assertEquals(Map.of("role", "administrator"), claims.get("extras"));
        assertEquals(1, sessionsOf("staff", adminEmail));
        c.get("/console/staff/").then().statusCode(303).header("Location", endsWith("/console/staff/records/user"));
        c.get("/console/").then().statusCode(303).header("Location", endsWith("/console/staff/"));
    }

    @Test
    void signedOutRevokedAndForeignSessionsAreSentToTheForm() {
        new ConsoleClient().get("/console/staff/records/user").then().statusCode(303)
                .header("Location", endsWith("/console/?group=staff"));
        ConsoleClient forged = new ConsoleClient();
        forged.cookies.put(ConsoleClient.SESSION, "not-a-token");
        forged.get("/console/staff/records/user").then().statusCode(303);
        // a user token in the cookie: another table than the staff group's
        forged.cookies.put(ConsoleClient.SESSION, Account.create().token());
        forged.get("/console/staff/records/user").then().statusCode(303);

        ConsoleClient c = admin();
        c.get("/console/staff/records/user").then().statusCode(200);
        String token = c.cookies.get(ConsoleClient.SESSION);
        Api.bearer(token).contentType(ContentType.JSON).body(Map.of("scope", "local")).post("/api:staff/auth/logout")
                .then().statusCode(200);
        c.get("/console/staff/records/user").then().statusCode(303); // the API's logout ended the console too

        ConsoleClient d = admin();
        d.get("/console/staff/records/user").then().statusCode(200);
        String jti = (String) Jwe.decrypt(d.cookies.get(ConsoleClient.SESSION)).claims().get("jti");
        Response out = d.post("/console/logout");
        out.then().statusCode(303).header("Location", endsWith("/console/"))
                .header("Set-Cookie", containsString(ConsoleClient.SESSION + "=; Path=/; HttpOnly; SameSite=Strict; Secure; Max-Age=0"));
        assertEquals(0, TestDatabase.scalar("select count(*) from auth_session where jti = ?::uuid", jti));
        Api.bearer(d.cookies.getOrDefault(ConsoleClient.SESSION, token)).get("/api:staff/auth/me").then().statusCode(401);
    }

    @Test
    void everyFormIsRefusedWithoutThisBrowsersCsrfToken() {
        ConsoleClient c = admin();
        Account a = Account.create();
        c.get(a.page()).then().statusCode(200);
        String session = (String) Jwe.decrypt(a.token()).claims().get("jti");
        List<String> forms = List.of("/console/login", "/console/logout", a.page(), a.page() + "/delete",
                a.page() + "/sessions/end", a.page() + "/sessions/" + session + "/end", "/console/staff/lockouts/clear",
                "/console/staff/workbench/mint", "/console/staff/workbench/inspect");
        for (String form : forms) {
            Map<String, Object> fields = ConsoleClient.fields("role", "editor", "confirm", "yes", "table", "user",
                    "id", Long.toString(a.id()), "token", a.token(), "key", "login:user:" + a.email(), "group", "staff",
                    "email", PostgresResource.ADMIN_EMAIL, "password", PostgresResource.ADMIN_PASSWORD, "name", "X",
                    "extras", "{}");
            c.postRaw(form, fields).then().statusCode(403).body(containsString("This form has expired"));
            fields.put("csrf", "A".repeat(43));
            c.postRaw(form, fields).then().statusCode(403);
            fields.put("csrf", c.csrf);
            c.request().header("Sec-Fetch-Site", "cross-site").contentType("application/x-www-form-urlencoded")
                    .formParams(fields).post(form).then().statusCode(403);
        }
        // nothing happened: the record, its role, its session and the console's own session are as they were
        assertEquals("", TestDatabase.text("select coalesce(role, '') from \"user\" where id = ?", a.id()));
        Api.bearer(a.token()).get("/api:main/auth/me").then().statusCode(200);
        c.get("/console/staff/records/user").then().statusCode(200);
    }

    /**
     * Issue 23 #8: a signed-in form's CSRF token is bound to the session (an HMAC of its jti), not only equal to a
     * cookie: one seen in another session (an old one, or one planted with a CSRF cookie) opens nothing.
     */
    @Test
    void theCsrfTokenIsBoundToTheSession() {
        ConsoleClient first = admin();
        first.get("/console/staff/records/user").then().statusCode(200);
        String firstCsrf = first.csrf;
        String firstCookie = first.cookies.get(ConsoleClient.CSRF);
        assertFalse(firstCsrf.equals(firstCookie), "signed in, the form's token is not the double-submit cookie");

        ConsoleClient second = admin();
        second.get("/console/staff/records/user").then().statusCode(200);
        assertFalse(firstCsrf.equals(second.csrf));
        Account a = Account.create();
        // the first session's token, with the second session and a CSRF cookie equal to that token
        second.cookies.put(ConsoleClient.CSRF, firstCsrf);
        second.postRaw(a.page(), ConsoleClient.fields("csrf", firstCsrf, "role", "editor")).then().statusCode(403)
                .body(containsString("This form has expired"));
        // the double-submit pair that passed before the binding: the cookie's own value in the field
        second.postRaw(a.page(), ConsoleClient.fields("csrf", firstCookie, "role", "editor")).then().statusCode(403);
        assertEquals("", TestDatabase.text("select coalesce(role, '') from \"user\" where id = ?", a.id()));

        second.get("/console/staff/records/user").then().statusCode(200);
        second.post("/console/logout").then().statusCode(303); // its own session's token works
        first.get("/console/staff/records/user").then().statusCode(200); // and the first session is untouched
    }

    @Test
    void searchFindsAPartOfTheEmailOrTheNameWithXanoPaging() {
        String marker = "srch" + Long.toHexString(System.nanoTime());
        for (int i = 0; i < 27; i++) {
            given().contentType(ContentType.JSON).body(Map.of("name", "Quinn " + marker.toUpperCase() + " " + i,
                    "email", "p" + i + "-" + marker + "@example.com", "password", Api.PASSWORD))
                    .post("/api:main/auth/signup").then().statusCode(200);
        }
        ConsoleClient c = admin();
        String list = "/console/staff/records/user?search=";
        c.get(list + marker).then().statusCode(200).body(containsString("27 records matching “" + marker + "”"))
                .body(containsString("Page 1 of 2")).body(containsString("rel=\"next\"")).body(containsString("p0-" + marker));
        c.get(list + marker + "&page=2").then().statusCode(200).body(containsString("Page 2 of 2"))
                .body(containsString("rel=\"prev\"")).body(not(containsString("rel=\"next\"")));
        // the name, case-insensitively; one record by its whole email
        c.get(list + "quinn " + marker.toLowerCase()).then().statusCode(200).body(containsString("27 records"));
        c.get(list + "p13-" + marker + "@example.com").then().statusCode(200).body(containsString("1 record matching"));
        // LIKE's characters are plain characters; a search is at most 100 characters
        c.get(list + "%" + marker).then().statusCode(200).body(containsString("0 records"));
        c.get(list + "_" + marker.substring(1)).then().statusCode(200).body(containsString("0 records"));
        c.get(list + "x".repeat(101)).then().statusCode(400).body(containsString("search is at most 100 characters."));
        // the records API answers the same search
        Api.bearer(Api.login("staff", PostgresResource.ADMIN_EMAIL, PostgresResource.ADMIN_PASSWORD))
                .get("/api:staff/user?search=" + marker + "&per_page=10").then().statusCode(200)
                .body("itemsTotal", equalTo(27)).body("pageTotal", equalTo(3)).body("itemsReceived", equalTo(10));
        // a table the group does not manage
        c.get("/console/staff/records/nothing").then().statusCode(404).contentType(containsString("text/html"))
                .body(containsString("Unable to locate request."));
    }

    @Test
    void aRoleChangeEndsTheRecordsTokens() {
        Account a = Account.create();
        ConsoleClient c = admin();
        c.get(a.page()).then().statusCode(200).body(containsString(a.email()));
        c.post(a.page(), "name", "Test User", "email", a.email(), "role", "editor", "extras", "{ }").then()
                .statusCode(303).header("Location", endsWith(a.page() + "?notice=saved"));
        assertEquals("editor", TestDatabase.text("select role from \"user\" where id = ?", a.id()));
        Api.bearer(a.token()).get("/api:main/auth/me").then().statusCode(401);
        c.get(a.page() + "?notice=saved").then().statusCode(200).body(containsString("tokens have ended"))
                .body(containsString("value=\"editor\""));
        // a new login carries the role; clearing the role (an empty field) ends that token too
        String again = Api.login("main", a.email(), Api.PASSWORD);
        assertEquals(Map.of("role", "editor"), Jwe.decrypt(again).claims().get("extras"));
        c.post(a.page(), "name", "Test User", "email", a.email(), "role", "", "extras", "{}").then().statusCode(303);
        assertEquals("", TestDatabase.text("select coalesce(role, '') from \"user\" where id = ?", a.id()));
        Api.bearer(again).get("/api:main/auth/me").then().statusCode(401);
    }

    @Test
    void theExtrasEditorRefusesWhatTheApiRefusesWithItsMessages() {
        Account a = Account.create();
        Account other = Account.create();
        ConsoleClient c = admin();
        c.get(a.page());
        Map<String, String> refused = Map.of(
                "{\"tenant\": ", "extras is not valid JSON (line 1, column",
                "[1, 2]", "extras must be a JSON object.",
                "{\"role\": \"administrator\"}", "extras may not hold role: set the role field instead.",
                "{\"big\": \"" + "x".repeat(5000) + "\"}", "extras are limited to 4096 bytes of JSON.");
        refused.forEach((extras, message) -> c.post(a.page(), "name", "N", "email", a.email(), "role", "", "extras", extras)
                .then().statusCode(400).body(containsString(message)).body(containsString("role=\"alert\"")));
        c.post(a.page(), "name", "N", "email", other.email(), "role", "", "extras", "{}").then().statusCode(403)
                .body(containsString("This account is already in use."));
        c.post(a.page(), "name", "", "email", a.email(), "role", "", "extras", "{}").then().statusCode(400);
        // nothing was written, and the record's token still works
        assertEquals("Test User", TestDatabase.text("select name from \"user\" where id = ?", a.id()));
        assertEquals("{}", TestDatabase.text("select extras::text from \"user\" where id = ?", a.id()));
        Api.bearer(a.token()).get("/api:main/auth/me").then().statusCode(200);
        // and what is allowed is written, and read back in the next token
        c.post(a.page(), "name", "Renamed", "email", a.email(), "role", "", "extras", "{\"tenant\": 7}").then().statusCode(303);
        assertEquals("{\"tenant\": 7}", TestDatabase.text("select extras::text from \"user\" where id = ?", a.id()));
        Api.bearer(a.token()).get("/api:main/auth/me").then().statusCode(401);
        assertEquals(Map.of("tenant", 7L), Jwe.decrypt(Api.login("main", a.email(), Api.PASSWORD)).claims().get("extras"));
    }

    @Test
    void sessionsAreListedAndEndedOneByOneOrAll() {
        Account a = Account.create();
        String second = Api.login("main", a.email(), Api.PASSWORD);
        String first = (String) Jwe.decrypt(a.token()).claims().get("jti");
        ConsoleClient c = admin();
        c.get(a.page()).then().statusCode(200).body(containsString("Live sessions (2)"))
                .body(containsString("/sessions/" + first + "/end"));
        c.post(a.page() + "/sessions/" + first + "/end").then().statusCode(303)
                .header("Location", endsWith("?notice=ended"));
        Api.bearer(a.token()).get("/api:main/auth/me").then().statusCode(401);
        Api.bearer(second).get("/api:main/auth/me").then().statusCode(200);
        c.get(a.page()).then().body(containsString("Live sessions (1)"));
        c.post(a.page() + "/sessions/" + first + "/end").then().statusCode(404).body(containsString("Session not found."));
        // another account's session cannot be ended through this record's page
        Account b = Account.create();
        String bSession = (String) Jwe.decrypt(b.token()).claims().get("jti");
        c.post(a.page() + "/sessions/" + bSession + "/end").then().statusCode(404);
        Api.bearer(b.token()).get("/api:main/auth/me").then().statusCode(200);
        c.post(a.page() + "/sessions/end").then().statusCode(303).header("Location", endsWith("?notice=ended-all"));
        Api.bearer(second).get("/api:main/auth/me").then().statusCode(401);
        assertEquals(0, sessionsOf("user", a.email()));
    }

    @Test
    void deletingAsksForConfirmation() {
        Account a = Account.create();
        ConsoleClient c = admin();
        c.get(a.page());
        c.post(a.page() + "/delete").then().statusCode(400).body(containsString("Tick the box to confirm the deletion."));
        assertEquals(1, TestDatabase.scalar("select count(*) from \"user\" where id = ?", a.id()));
        Api.bearer(a.token()).get("/api:main/auth/me").then().statusCode(200);
        c.post(a.page() + "/delete", "confirm", "yes").then().statusCode(303)
                .header("Location", endsWith("/console/staff/records/user"));
        assertEquals(0, TestDatabase.scalar("select count(*) from \"user\" where id = ?", a.id()));
        Api.bearer(a.token()).get("/api:main/auth/me").then().statusCode(401);
        c.get(a.page()).then().statusCode(404).body(containsString("Record not found."));
        c.get("/console/staff/records/user/abc").then().statusCode(404);
    }

    @Test
    void lockoutsAreListedAndCleared() {
        Account a = Account.create();
        for (int i = 0; i < 10; i++) {
            given().contentType(ContentType.JSON).body(Map.of("email", a.email(), "password", "wrong " + i))
                    .post("/api:main/auth/login").then().statusCode(403);
        }
        given().contentType(ContentType.JSON).body(Map.of("email", a.email(), "password", Api.PASSWORD))
                .post("/api:main/auth/login").then().statusCode(429);
        ConsoleClient c = admin();
        c.get("/console/staff/lockouts").then().statusCode(200).body(containsString(a.email()))
                .body(containsString("value=\"login:user:" + a.email() + "\"")).body(containsString("10 / 10"));
        c.post("/console/staff/lockouts/clear", "key", "login:user:" + a.email()).then().statusCode(303)
                .header("Location", endsWith("/console/staff/lockouts?notice=cleared"));
        c.get("/console/staff/lockouts").then().statusCode(200).body(not(containsString(a.email())));
        Api.login("main", a.email(), Api.PASSWORD);
        // only listed lockouts can be cleared: not a counter under its limit, not one of another group's table
        c.post("/console/staff/lockouts/clear", "key", "login:user:" + a.email()).then().statusCode(404);
        c.post("/console/staff/lockouts/clear", "key", "anything").then().statusCode(404);
    }

    @Test
    void theWorkbenchMintsQuickTokensAndReadsAnyToken() {
        Account a = Account.create();
        ConsoleClient c = admin();
        c.get("/console/staff/workbench").then().statusCode(200).body(containsString("Mint token"));
        Response minted = c.post("/console/staff/workbench/mint", "table", "user", "id", Long.toString(a.id()));
        minted.then().statusCode(200).body(containsString("/api:main/auth/me -H &#39;Authorization: Bearer "));
        Matcher m = TOKEN_AREA.matcher(minted.asString());
        assertTrue(m.find(), minted.asString());
        String token = m.group(1);
        var claims = Jwe.decrypt(token).claims();
        assertEquals(Map.of(), claims.get("extras"), "a quick token carries no extras");
        assertEquals(a.id(), ((Number) claims.get("id")).longValue());
        Api.bearer(token).get("/api:main/auth/me").then().statusCode(200).body("id", equalTo((int) a.id()));
        c.post("/console/staff/workbench/mint", "table", "user", "id", "999999999").then().statusCode(404)
                .body(containsString("Record not found."));
        c.post("/console/staff/workbench/mint", "table", "nothing", "id", "1").then().statusCode(404);

        c.post("/console/staff/workbench/inspect", "token", "Bearer " + token).then().statusCode(200)
                .body(containsString("<dd id=\"verdict\">valid</dd>")).body(containsString("<dd>" + a.id() + "</dd>"))
                .body(containsString("<dd>user</dd>"));
        Api.bearer(token).contentType(ContentType.JSON).body(Map.of()).post("/api:main/auth/logout").then().statusCode(200);
        c.post("/console/staff/workbench/inspect", "token", token).then().statusCode(200)
                .body(containsString("ended (logged out, revoked, or its record is gone)"));
        c.post("/console/staff/workbench/inspect", "token", "garbage").then().statusCode(200)
                .body(containsString("not a token this service can read"));
        String withOtherKey = Jwe.encrypt(Jwe.header("elsewhere").build(), Map.of("id", 1, "dbtable", "user"),
                Jwe.randomKey());
        c.post("/console/staff/workbench/inspect", "token", withOtherKey).then().statusCode(200)
                .body(containsString("encrypted with a key this service does not have"));
        assertNotNull(token);
    }
}
