package dev.authgate.console;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import dev.authgate.mfa.Totp;
import dev.authgate.passkey.Authenticator;
import dev.authgate.support.Api;
import dev.authgate.support.Jwe;
import dev.authgate.support.PostgresResource;
import dev.authgate.support.TestDatabase;

/**
 * The console's sign-in with a second factor, through its forms: a TOTP or recovery code after the password, a
 * passkey as the second step or alone (usernameless), and the administrator's own passkey page. The passkey's part
 * of the browser is webauthn4j's emulator; the real browser's is ConsolePasskeyBrowserIT.
 */
@QuarkusTest
class ConsoleFactorTest {

    static final String MFA_COOKIE = "__Host-authgate_console_mfa";
    static final ObjectMapper JSON = new ObjectMapper();

    /** A staff account with a role, made through the records API by an administrator's token. */
    static String staff(String adminToken, String role) {
        String email = Api.uniqueEmail();
        Api.bearer(adminToken).contentType(ContentType.JSON)
                .body(Map.of("name", "Staff", "email", email, "password", Api.PASSWORD, "role", role))
                .post("/api:staff/staff").then().statusCode(200);
        return email;
    }

    static String bootstrapToken() {
        return Api.login("staff", PostgresResource.ADMIN_EMAIL, PostgresResource.ADMIN_PASSWORD);
    }

    /** A staff account with an active TOTP factor (its activation took the current time step). */
    record Enrolled(String email, long id, byte[] secret, List<String> recoveryCodes) {

        String code(int offset) {
            return Totp.code(secret, Totp.step(Instant.now().getEpochSecond()) + offset, Totp.DIGITS);
        }

        /** A well-formed code that no step of the accepted window gives. */
        String wrongCode() {
            for (int i = 0;; i++) {
                String c = String.format("%06d", (Integer.parseInt(code(0)) + 1 + i) % 1_000_000);
                if (!c.equals(code(-1)) && !c.equals(code(0)) && !c.equals(code(1))) {
                    return c;
                }
            }
        }

        void forgetSteps() {
            TestDatabase.update("update auth_mfa_factor set last_step = null where dbtable = 'staff' and account_id = ?",
                    id);
        }
    }

    static Enrolled withTotp(String email) {
        String token = Api.login("staff", email, Api.PASSWORD);
        Map<String, Object> e = Api.bearer(token).contentType(ContentType.JSON).body(Map.of("name", "Phone"))
                .post("/api:staff/auth/mfa/totp").then().statusCode(200).extract().jsonPath().getMap("$");
        byte[] secret = new Base32().decode((String) e.get("secret"));
        String code = Totp.code(secret, Totp.step(Instant.now().getEpochSecond()), Totp.DIGITS);
        Response activated = Api.bearer(token).contentType(ContentType.JSON).body(Map.of("code", code))
                .post("/api:staff/auth/mfa/totp/" + e.get("id") + "/activate");
        activated.then().statusCode(200);
        return new Enrolled(email, TestDatabase.scalar("select id from staff where email = ?", email), secret,
                activated.jsonPath().getList("recovery_codes", String.class));
    }

    static long sessions(String email) {
        return ConsoleTest.sessionsOf("staff", email);
    }

    static Map<String, Object> claims(ConsoleClient c) {
        return Jwe.decrypt(c.cookies.get(ConsoleClient.SESSION)).claims();
    }

    /** The password step of an account with a factor: the second step's page, the login waiting in its cookie. */
    static ConsoleClient passwordStep(String email) {
        ConsoleClient c = new ConsoleClient();
        Response r = c.signIn("staff", email, Api.PASSWORD);
        r.then().statusCode(200).body(containsString("<h1>Second factor</h1>"))
                .body(containsString("action=\"/console/login/code\""));
        String cookie = r.getHeaders().getValues("Set-Cookie").stream().filter(v -> v.startsWith(MFA_COOKIE + "="))
                .findFirst().orElseThrow();
        assertTrue(cookie.endsWith("; Path=/; HttpOnly; SameSite=Strict; Secure; Max-Age=300"), cookie);
        String mfaToken = c.cookies.get(MFA_COOKIE);
        assertFalse(r.asString().contains(mfaToken), "the mfa_token stays out of the page");
        assertFalse(c.cookies.containsKey(ConsoleClient.SESSION), "no session before the second factor");
        return c;
    }

    @Test
    void aTotpCodeFinishesTheSignInAndAWrongOrReplayedOneDoesNot() {
        Enrolled a = withTotp(staff(bootstrapToken(), "administrator"));
        ConsoleClient c = passwordStep(a.email());
        assertEquals(1, sessions(a.email()), "only the enrolment's API login holds a session");

        // a wrong code: the step again with the API's message, the waiting login kept, no session
        c.post("/console/login/code", "group", "staff", "code", a.wrongCode()).then().statusCode(400)
                .body(containsString("The code is not right.")).body(containsString("<h1>Second factor</h1>"))
                .header("Set-Cookie", not(containsString(ConsoleClient.SESSION + "=")));
        c.post("/console/login/code", "group", "staff", "code", "").then().statusCode(400)
                .body(containsString("Missing param: code"));
        c.post("/console/login/code", "group", "staff", "code", "x".repeat(65)).then().statusCode(400)
                .body(containsString("The code is not right."));
        assertEquals(1, TestDatabase.scalar("select attempts from auth_mfa_token where dbtable = 'staff' "
                + "and account_id = ? and used_at is null", a.id()), "the wrong code used one of the login's attempts; the malformed ones none");
        // the form without its CSRF token changes nothing
        c.postRaw("/console/login/code", ConsoleClient.fields("group", "staff", "code", a.code(1))).then()
                .statusCode(403).body(containsString("This form has expired"));

        // the right code (the next step: the activation took this one)
        String code = a.code(1);
        String mfaToken = c.cookies.get(MFA_COOKIE);
        Response ok = c.post("/console/login/code", "group", "staff", "code", code);
        ok.then().statusCode(303).header("Location", endsWith("/console/staff/"));
        assertTrue(ok.getHeaders().getValues("Set-Cookie").stream().anyMatch(v -> v.startsWith(MFA_COOKIE + "=;")),
                "the waiting login's cookie is cleared");
        assertFalse(c.cookies.containsKey(MFA_COOKIE));
        Map<String, Object> claims = claims(c);
        assertEquals(2L, ((Number) claims.get("aal")).longValue());
        assertEquals(List.of("pwd", "otp"), claims.get("amr"));
        c.get("/console/staff/records/user").then().statusCode(200);

        // the used mfa_token is of no use again: back to the sign-in form
        ConsoleClient again = new ConsoleClient();
        again.get("/console/");
        again.cookies.put(MFA_COOKIE, mfaToken);
        again.post("/console/login/code", "group", "staff", "code", a.code(1)).then().statusCode(401)
                .body(containsString("This sign-in has expired")).body(containsString("action=\"/console/login\""));
        assertFalse(again.cookies.containsKey(MFA_COOKIE));

        // the same code in a new sign-in: its time step was taken, refused
        ConsoleClient replay = passwordStep(a.email());
        replay.post("/console/login/code", "group", "staff", "code", code).then().statusCode(400)
                .body(containsString("The code is not right."));
        assertFalse(replay.cookies.containsKey(ConsoleClient.SESSION));

        // a recovery code (any case, with dashes) finishes it once
        String recovery = a.recoveryCodes().get(0).toLowerCase();
        replay.post("/console/login/code", "group", "staff", "code", recovery).then().statusCode(303);
        assertEquals(List.of("pwd", "otp", "rc"), claims(replay).get("amr"));
        ConsoleClient reused = passwordStep(a.email());
        reused.post("/console/login/code", "group", "staff", "code", recovery).then().statusCode(400);
        assertEquals(9, TestDatabase.scalar("select count(*) from auth_mfa_recovery_code where dbtable = 'staff' "
                + "and account_id = ?", a.id()));
    }

    @Test
    void withoutAWaitingLoginTheCodeFormSendsBackToSignIn() {
        ConsoleClient c = new ConsoleClient();
        c.get("/console/");
        c.post("/console/login/code", "group", "staff", "code", "123456").then().statusCode(401)
                .body(containsString("This sign-in has expired"));
        c.cookies.put(MFA_COOKIE, "not-a-token");
        c.post("/console/login/code", "group", "staff", "code", "123456").then().statusCode(401);
        c.post("/console/login/code", "group", "nowhere", "code", "123456").then().statusCode(401);
    }

    @Test
    void aStaffMemberWithoutTheRoleIsRefusedAfterTheFactorAndItsTokenEnded() {
        Enrolled s = withTotp(staff(bootstrapToken(), "support"));
        long before = sessions(s.email());
        ConsoleClient c = passwordStep(s.email());
        c.post("/console/login/code", "group", "staff", "code", s.code(1)).then().statusCode(403)
                .body(containsString("This account is not an administrator of staff."));
        assertFalse(c.cookies.containsKey(ConsoleClient.SESSION));
        assertEquals(before, sessions(s.email()), "the token the factor earned is ended at once");
    }

    // ---------------------------------------------------------------- passkeys

    static Response script(ConsoleClient c, String path, Object... fields) {
        return c.post(path, fields);
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds a passkey on the console's page for the signed-in administrator, as its script does. */
    static void addPasskey(ConsoleClient c, Authenticator device, String name) {
        c.get("/console/staff/passkeys").then().statusCode(200);
        Response o = script(c, "/console/staff/passkeys/register/options");
        o.then().statusCode(200).contentType(containsString("application/json"))
                .body("publicKey.rp.id", equalTo("localhost"))
                .body("publicKey.authenticatorSelection.residentKey", equalTo("required"));
        Map<String, Object> credential = device.create(o.path("publicKey"));
        script(c, "/console/staff/passkeys/register", "challenge_id", o.path("challenge_id"), "credential",
                json(credential), "name", name).then().statusCode(200)
                .body("location", equalTo("/console/staff/passkeys?notice=added"));
    }

    /** The script's usernameless (step signin) or second-step (step factor) sign-in with a device. */
    static Response passkeySignIn(ConsoleClient c, Authenticator device, String step) {
        Response o = script(c, "/console/login/passkey/options", "group", "staff", "step", step);
        o.then().statusCode(200);
        return script(c, "/console/login/passkey", "group", "staff", "step", step, "challenge_id",
                o.path("challenge_id"), "credential", json(device.get(o.path("publicKey"))));
    }

    @Test
    void anAdministratorAddsAPasskeyAndSignsInWithItAloneOrAfterThePassword() {
        String email = staff(bootstrapToken(), "administrator");
        long id = TestDatabase.scalar("select id from staff where email = ?", email);
        ConsoleClient c = new ConsoleClient();
        c.signIn("staff", email, Api.PASSWORD).then().statusCode(303);
        c.get("/console/staff/passkeys").then().statusCode(200).body(containsString("No passkey yet."))
                .body(containsString("data-passkey=\"register\"")).body(containsString("aria-current=\"page\">Passkeys<"));
        Authenticator device = new Authenticator();
        addPasskey(c, device, "Laptop");
        String passkey = TestDatabase.text("select id::text from auth_passkey where dbtable = 'staff' and account_id = ?",
                id);
        c.get("/console/staff/passkeys?notice=added").then().statusCode(200).body(containsString("Passkeys (1)"))
                .body(containsString("value=\"Laptop\"")).body(containsString("The passkey is added"));
        // this session is of aal 1: renaming and removing want a second factor, as on the API
        c.post("/console/staff/passkeys/" + passkey + "/rename", "name", "Desk").then().statusCode(403)
                .body(containsString("This needs a second factor"));
        assertEquals("Laptop", TestDatabase.text("select name from auth_passkey where id = ?::uuid", passkey));
        // and a second registration, now that a factor is active
        script(c, "/console/staff/passkeys/register/options").then().statusCode(403)
                .body("message", equalTo("This needs a second factor: log in with it (aal 2)."));

        // usernameless: the passkey alone, aal 2
        ConsoleClient p = new ConsoleClient();
        p.get("/console/").then().statusCode(200).body(containsString("data-passkey=\"signin\""));
        Response in = passkeySignIn(p, device, "signin");
        in.then().statusCode(200).body("location", equalTo("/console/staff/"));
        assertEquals(2L, ((Number) claims(p).get("aal")).longValue());
        assertEquals(List.of("hwk", "user"), claims(p).get("amr"));
        p.get("/console/staff/records/user").then().statusCode(200);
        p.get("/console/staff/passkeys");
        p.post("/console/staff/passkeys/" + passkey + "/rename", "name", "Desk").then().statusCode(303)
                .header("Location", endsWith("/console/staff/passkeys?notice=renamed"));
        assertEquals("Desk", TestDatabase.text("select name from auth_passkey where id = ?::uuid", passkey));
        p.post("/console/staff/passkeys/" + passkey + "/rename", "name", " ").then().statusCode(400)
                .body(containsString("Missing param: name"));
        p.post("/console/staff/passkeys/not-an-id/delete").then().statusCode(404).body(containsString("No such passkey."));

        // the password, then the passkey as the second step: the page offers the passkey and no code field
        ConsoleClient two = new ConsoleClient();
        two.signIn("staff", email, Api.PASSWORD).then().statusCode(200).body(containsString("data-passkey=\"factor\""))
                .body(not(containsString("id=\"code\"")));
        passkeySignIn(two, device, "factor").then().statusCode(200).body("location", equalTo("/console/staff/"));
        assertEquals(List.of("pwd", "hwk", "user"), claims(two).get("amr"));
        assertFalse(two.cookies.containsKey(MFA_COOKIE));

        // removed: it signs in no more
        p.post("/console/staff/passkeys/" + passkey + "/delete").then().statusCode(303);
        assertEquals(0, TestDatabase.scalar("select count(*) from auth_passkey where dbtable = 'staff' and account_id = ?",
                id));
        ConsoleClient gone = new ConsoleClient();
        gone.get("/console/");
        passkeySignIn(gone, device, "signin").then().statusCode(400)
                .body("message", equalTo("The passkey could not be verified."));
        assertFalse(gone.cookies.containsKey(ConsoleClient.SESSION));
    }

    @Test
    void everyBadPasskeySignInIsRefusedWithoutASession() {
        String email = staff(bootstrapToken(), "support"); // a passkey of an account that is no administrator
        ConsoleClient c = new ConsoleClient();
        c.signIn("staff", email, Api.PASSWORD).then().statusCode(403);
        // signed out, the passkey page's script is told to sign in
        script(c, "/console/staff/passkeys/register/options").then().statusCode(401)
                .body("message", containsString("sign in again"));
        String token = Api.login("staff", email, Api.PASSWORD);
        Authenticator device = new Authenticator();
        Response o = Api.bearer(token).contentType(ContentType.JSON).body("{}")
                .post("/api:staff/auth/passkeys/register/options");
        o.then().statusCode(200);
        String challengeId = o.path("challenge_id");
        Map<String, Object> publicKey = o.path("publicKey");
        Api.bearer(token).contentType(ContentType.JSON)
                .body(Map.of("challenge_id", challengeId, "credential", device.create(publicKey)))
                .post("/api:staff/auth/passkeys/register").then().statusCode(200);

        ConsoleClient p = new ConsoleClient();
        p.get("/console/");
        long before = sessions(email);
        passkeySignIn(p, device, "signin").then().statusCode(403)
                .body("message", equalTo("This account is not an administrator of staff."));
        assertEquals(before, sessions(email), "the token is ended at once");
        assertFalse(p.cookies.containsKey(ConsoleClient.SESSION));

        // a replayed challenge, garbage, no challenge, a second step without a waiting login, no CSRF token
        Response o2 = script(p, "/console/login/passkey/options", "group", "staff", "step", "signin");
        String answer = json(device.get(o2.path("publicKey")));
        script(p, "/console/login/passkey", "group", "staff", "step", "signin", "challenge_id", o2.path("challenge_id"),
                "credential", answer).then().statusCode(403);
        script(p, "/console/login/passkey", "group", "staff", "step", "signin", "challenge_id", o2.path("challenge_id"),
                "credential", answer).then().statusCode(400).body("message", equalTo("The passkey could not be verified."));
        Response o3 = script(p, "/console/login/passkey/options", "group", "staff", "step", "signin");
        script(p, "/console/login/passkey", "group", "staff", "step", "signin", "challenge_id", o3.path("challenge_id"),
                "credential", "{\"id\": 5}").then().statusCode(400);
        script(p, "/console/login/passkey", "group", "staff", "step", "signin").then().statusCode(400)
                .body("message", equalTo("The passkey could not be verified."));
        script(p, "/console/login/passkey/options", "group", "staff", "step", "factor").then().statusCode(401)
                .body("message", containsString("This sign-in has expired"));
        script(p, "/console/login/passkey/options", "group", "nowhere", "step", "signin").then().statusCode(400);
        p.postRaw("/console/login/passkey/options", ConsoleClient.fields("group", "staff", "step", "signin")).then()
                .statusCode(403);
        assertFalse(p.cookies.containsKey(ConsoleClient.SESSION));
    }

    @Test
    void theSignInFormOffersThePasskeyOnlyThroughTheScriptAndStaysStrict() {
        Response r = new ConsoleClient().get("/console/");
        r.then().statusCode(200).header("Content-Security-Policy", ConsoleTest.CSP)
                .body(containsString("<script src=\"/console/assets/passkeys.js\" defer></script>"))
                .body(containsString("data-passkey-box hidden"));
        io.restassured.RestAssured.given().get("/console/assets/passkeys.js").then().statusCode(200)
                .contentType(containsString("javascript")).body(containsString("navigator.credentials.get"));
        String html = r.asString();
        assertFalse(java.util.regex.Pattern.compile("<script(?![^>]*\\bsrc=)").matcher(html).find(), html);
        assertNotEquals(-1, html.indexOf("id=\"passkey-signin\""));
    }

    @Test
    void thePasskeyPageListsOnlyTheAdministratorsOwn() {
        // an administrator's passkey page shows only their own passkeys
        String email = staff(bootstrapToken(), "administrator");
        ConsoleClient c = new ConsoleClient();
        c.signIn("staff", email, Api.PASSWORD).then().statusCode(303);
        c.get("/console/staff/passkeys").then().statusCode(200).body(containsString("Passkeys (0)"));
        Authenticator other = new Authenticator();
        ConsoleClient d = new ConsoleClient();
        d.signIn("staff", staff(bootstrapToken(), "administrator"), Api.PASSWORD).then().statusCode(303);
        addPasskey(d, other, "Other");
        c.get("/console/staff/passkeys").then().statusCode(200).body(containsString("Passkeys (0)"))
                .body(not(containsString("Other")));
    }
}
