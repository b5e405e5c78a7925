package dev.authgate.oidc;

import static dev.authgate.oidc.OidcProfile.WEB;
import static dev.authgate.oidc.OidcProfile.WEB_REDIRECT;
import static dev.authgate.oidc.OidcProfile.WEB_SECRET;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.authgate.mfa.Mfa;
import dev.authgate.passkey.Authenticator;
import dev.authgate.support.Api;
import dev.authgate.support.TestDatabase;

/**
 * The sign-in page's second step for an account with a factor: the TOTP code or a recovery code in the form
 * (field {@code code}), or a passkey through the script's endpoints; nothing is issued after the password alone, the
 * waiting login lives in an HttpOnly cookie, and the id_token says how the person signed in ({@code amr}, {@code acr}).
 */
@QuarkusTest
@TestProfile(OidcProfile.class)
class SecondStepTest {

    static final String MFA_COOKIE = "__Host-authgate_oidc_mfa";

    static String authorize() {
        return OidcBrowser.authorize("main", OidcFlowTest.request(WEB, WEB_REDIRECT, "openid email", "st", "nc"));
    }

    static long sessions(long accountId) {
        return TestDatabase.scalar("select count(*) from auth_session where dbtable = 'user' and account_id = ?",
                accountId);
    }

    static JWTClaimsSet idToken(RelyingParty.Tokens tokens) throws Exception {
        return SignedJWT.parse(tokens.idToken()).getJWTClaimsSet();
    }

    /** The password step of an account with a factor: the factor page, and nothing issued. */
    static Response factorPage(OidcBrowser browser, String email, long accountId) {
        long before = sessions(accountId);
        Response page = browser.signIn(authorize(), email, Api.PASSWORD);
        page.then().statusCode(200).body(containsString("Second factor"))
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("Content-Security-Policy", not(containsString("unsafe-inline")));
        assertEquals(before, sessions(accountId), "nothing issued after the password alone");
        assertNull(browser.cookies.get(OidcFlowTest.SESSION_COOKIE), "not signed in yet");
        assertNotNull(browser.cookies.get(MFA_COOKIE), "the waiting login, in its cookie");
        assertTrue(page.getHeaders().getValues("Set-Cookie").stream().anyMatch(c -> c.startsWith(MFA_COOKIE + "=")
                && c.contains("HttpOnly") && c.contains("SameSite=Strict") && c.contains("Secure")
                && c.contains("Max-Age=300")));
        assertFalse(page.asString().contains(browser.cookies.get(MFA_COOKIE)), "the mfa_token is never in the page");
        return page;
    }

    @Test
    void aTotpCodeFinishesTheSignInAtAal2() throws Exception {
        Mfa.Enrolled account = Mfa.enrolled();
        OidcBrowser browser = new OidcBrowser();
        Response page = factorPage(browser, account.email(), account.id());
        page.then().body(containsString("name=\"code\""), containsString("autocomplete=\"one-time-code\""));

        Response back = browser.submit(page, Map.of("code", account.code(1)));
        RelyingParty.Tokens tokens = RelyingParty.exchange(browser, WEB, WEB_SECRET, WEB_REDIRECT, back, null);
        JWTClaimsSet id = idToken(tokens);
        assertEquals("aal2", id.getStringClaim("acr"));
        assertEquals(List.of("pwd", "otp"), id.getStringListClaim("amr"));
        assertNull(browser.cookies.get(MFA_COOKIE), "the waiting login is forgotten");
        assertNotNull(browser.cookies.get(OidcFlowTest.SESSION_COOKIE), "signed in");

        // the browser is signed in at aal 2: the next request gets its code at once
        Response next = browser.get(authorize());
        next.then().statusCode(303).header("Location", containsString("code="));
    }

    @Test
    void aWrongCodeAsksAgainAndARecoveryCodeAlsoFinishes() throws Exception {
        Mfa.Enrolled account = Mfa.enrolled();
        OidcBrowser browser = new OidcBrowser();
        Response page = factorPage(browser, account.email(), account.id());
        String wrong = account.code(1).equals("000000") ? "111111" : "000000";

        Response again = browser.submit(page, Map.of("code", wrong));
        again.then().statusCode(400).body(containsString("The code is not right.")).body(containsString("name=\"code\""));
        assertNotNull(browser.cookies.get(MFA_COOKIE), "the waiting login is kept");
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_audit where event = 'mfa.verified' "
                + "and outcome = 'failed' and dbtable = 'user' and account_id = ?", account.id()));

        Response back = browser.submit(again, Map.of("code", account.recoveryCodes().get(0)));
        RelyingParty.Tokens tokens = RelyingParty.exchange(browser, WEB, WEB_SECRET, WEB_REDIRECT, back, null);
        assertEquals("aal2", idToken(tokens).getStringClaim("acr"));
        assertTrue(idToken(tokens).getStringListClaim("amr").contains("otp"));
        assertEquals(9, TestDatabase.scalar("select count(*) from auth_mfa_recovery_code where dbtable = 'user' "
                + "and account_id = ?", account.id()), "the recovery code is used up");
    }

    @Test
    void aCodeWithoutTheWaitingLoginOrItsCsrfIsRefused() {
        Mfa.Enrolled account = Mfa.enrolled();
        OidcBrowser browser = new OidcBrowser();
        Response page = factorPage(browser, account.email(), account.id());
        long before = sessions(account.id());

        // another browser (no waiting login, no CSRF cookie) posting the same form
        Response elsewhere = new OidcBrowser().submit(page, Map.of("code", account.code(1)));
        elsewhere.then().statusCode(401).body(containsString("name=\"password\""));
        // this browser with a forged CSRF token
        Response forged = browser.submit(page, Map.of("code", account.code(1), "csrf", "y".repeat(43)));
        forged.then().statusCode(401).body(containsString("name=\"password\""));
        assertEquals(before, sessions(account.id()), "nothing issued");
        assertNull(browser.cookies.get(MFA_COOKIE), "the waiting login is forgotten");
    }

    @Test
    void aWaitingLoginIsUsedOnce() {
        Mfa.Enrolled account = Mfa.enrolled();
        OidcBrowser browser = new OidcBrowser();
        Response page = factorPage(browser, account.email(), account.id());
        String mfaCookie = browser.cookies.get(MFA_COOKIE);
        browser.submit(page, Map.of("code", account.code(1))).then().statusCode(303);
        long after = sessions(account.id());

        // the same waiting login replayed (its cookie kept by an attacker) with another valid code
        account.forgetSteps();
        OidcBrowser replay = new OidcBrowser();
        replay.cookies.putAll(browser.cookies);
        replay.cookies.remove(OidcFlowTest.SESSION_COOKIE);
        replay.cookies.put(MFA_COOKIE, mfaCookie);
        replay.submit(page, Map.of("code", account.code(0))).then().statusCode(401);
        assertEquals(after, sessions(account.id()));
    }

    @Test
    void aPasskeyIsTheSecondFactorThroughTheScriptsEndpoints() throws Exception {
        String email = Api.uniqueEmail();
        String token = Api.signup(email);
        long id = TestDatabase.scalar("select id from \"user\" where email = ?", email);
        Authenticator device = new Authenticator();
        Response o = Api.bearer(token).contentType(ContentType.JSON).body("{}")
                .post("/api:main/auth/passkeys/register/options");
        Api.bearer(token).contentType(ContentType.JSON).body(Map.of("challenge_id", o.path("challenge_id"),
                "credential", device.create(o.path("publicKey")), "name", "Laptop"))
                .post("/api:main/auth/passkeys/register").then().statusCode(200);

        OidcBrowser browser = new OidcBrowser();
        Response page = factorPage(browser, email, id);
        page.then().body(containsString("data-passkey=\"factor\""), not(containsString("name=\"code\"")),
                containsString("<script src=\"/console/assets/passkeys.js\" defer></script>"));
        String csrf = browser.cookies.get("__Host-authgate_oidc_csrf");
        String authorization = authorize().substring(authorize().indexOf('?') + 1);

        Response options = browser.request().contentType("application/x-www-form-urlencoded")
                .formParams(Map.of("csrf", csrf, "authorization", authorization, "step", "factor"))
                .post("/oidc/main/login/passkey/options");
        options.then().statusCode(200).contentType(ContentType.JSON);
        String credential = new ObjectMapper().writeValueAsString(device.get(options.path("publicKey")));
        Response done = browser.request().contentType("application/x-www-form-urlencoded")
                .formParams(Map.of("csrf", csrf, "authorization", authorization, "step", "factor",
                        "challenge_id", options.path("challenge_id"), "credential", credential))
                .post("/oidc/main/login/passkey");
        done.then().statusCode(200).body("location", containsString(WEB_REDIRECT + "?code="));
        assertTrue(done.getHeaders().getValues("Set-Cookie").stream()
                .anyMatch(c -> c.startsWith(OidcFlowTest.SESSION_COOKIE + "=")), "signed in");
        String code = OidcBrowser.query(done.path("location")).get("code");
        String idToken = OidcFlowTest.exchange(WEB, WEB_SECRET, code, WEB_REDIRECT, null).then().statusCode(200)
                .extract().path("id_token");
        JWTClaimsSet claims = SignedJWT.parse(idToken).getJWTClaimsSet();
        assertEquals("aal2", claims.getStringClaim("acr"));
        assertTrue(claims.getStringListClaim("amr").contains("pwd"), claims.toString());

        // a usernameless passkey sign-in from the first page (autofill), in a new browser
        OidcBrowser other = new OidcBrowser();
        Response first = other.get(authorize());
        first.then().statusCode(200).body(containsString("autocomplete=\"username webauthn\""));
        String otherCsrf = other.cookies.get("__Host-authgate_oidc_csrf");
        Response o2 = other.request().contentType("application/x-www-form-urlencoded")
                .formParams(Map.of("csrf", otherCsrf, "authorization", authorization, "step", "signin"))
                .post("/oidc/main/login/passkey/options");
        o2.then().statusCode(200);
        other.request().contentType("application/x-www-form-urlencoded")
                .formParams(Map.of("csrf", otherCsrf, "authorization", authorization, "step", "signin",
                        "challenge_id", o2.path("challenge_id"),
                        "credential", new ObjectMapper().writeValueAsString(device.get(o2.path("publicKey")))))
                .post("/oidc/main/login/passkey").then().statusCode(200)
                .body("location", containsString(WEB_REDIRECT + "?code="));

        // the script's calls without this browser's CSRF token: refused in JSON
        new OidcBrowser().request().contentType("application/x-www-form-urlencoded")
                .formParams(Map.of("csrf", csrf, "authorization", authorization, "step", "signin"))
                .post("/oidc/main/login/passkey/options").then().statusCode(403)
                .body("message", equalTo("This form has expired: sign in again."));
    }
}
