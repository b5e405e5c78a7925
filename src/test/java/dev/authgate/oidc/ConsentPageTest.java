package dev.authgate.oidc;

import static dev.authgate.oidc.OidcProfile.OTHER;
import static dev.authgate.oidc.OidcProfile.OTHER_REDIRECT;
import static dev.authgate.oidc.OidcProfile.OTHER_SECRET;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

import dev.authgate.support.Api;
import dev.authgate.support.TestDatabase;

/**
 * The consent page for a client that is not first-party ({@code other}): asked once per set of scopes, remembered,
 * asked again for a new scope, with {@code prompt=consent} and after {@code DELETE auth/consents/{client}}; a denial
 * is {@code access_denied} at the client; {@code prompt=none} without consent is {@code consent_required}.
 */
@QuarkusTest
@TestProfile(OidcProfile.class)
class ConsentPageTest {

    static String authorize(String scope, String prompt) {
        Map<String, String> request = OidcFlowTest.request(OTHER, OTHER_REDIRECT, scope, "cs", null);
        if (prompt != null) {
            request.put("prompt", prompt);
        }
        return OidcBrowser.authorize("main", request);
    }

    static long consents(long accountId) {
        return TestDatabase.scalar("select count(*) from auth_oidc_consent where dbtable = 'user' and account_id = ? "
                + "and client_id = ?", accountId, OTHER);
    }

    static void isConsentPage(Response page, String email) {
        page.then().statusCode(200).body(containsString("Allow " + OTHER + "?"), containsString(email),
                containsString("id=\"consent-allow\""), containsString("who you are"))
                .header("Content-Security-Policy", containsString("form-action 'self' https://other.example;"));
    }

    static Response allow(OidcBrowser browser, Response page) {
        Response back = browser.submit(page, Map.of("decision", "allow"));
        back.then().statusCode(303).header("Location", containsString(OTHER_REDIRECT + "?code="));
        return back;
    }

    @Test
    void askedOnceThenRememberedThenAskedForMoreAndAfterRevocation() {
        OidcFlowTest.User user = OidcFlowTest.User.create();
        OidcBrowser browser = new OidcBrowser();
        Response page = browser.signIn(authorize("openid email", null), user.email(), Api.PASSWORD);
        isConsentPage(page, user.email());
        page.then().body(containsString("your email address"));
        assertEquals(0, consents(user.id()));

        Response back = allow(browser, page);
        assertEquals("email openid", TestDatabase.text("select scopes from auth_oidc_consent where dbtable = 'user' "
                + "and account_id = ? and client_id = ?", user.id(), OTHER));
        // the code works at the token endpoint
        OidcFlowTest.exchange(OTHER, OTHER_SECRET, OidcBrowser.query(back.header("Location")).get("code"),
                OTHER_REDIRECT, null).then().statusCode(200);

        // remembered: the next request gets its code at once
        browser.get(authorize("openid email", null)).then().statusCode(303)
                .header("Location", containsString("code="));
        // a scope not granted yet asks again; prompt=consent asks even when granted
        isConsentPage(browser.get(authorize("openid email profile", null)), user.email());
        isConsentPage(browser.get(authorize("openid", "consent")), user.email());

        // taken back through the API: asked again
        Api.bearer(user.apiToken()).delete("/api:main/auth/consents/" + OTHER).then().statusCode(200);
        isConsentPage(browser.get(authorize("openid email", null)), user.email());
    }

    @Test
    void aDenialIsAccessDeniedAtTheClientAndRemembersNothing() {
        OidcFlowTest.User user = OidcFlowTest.User.create();
        OidcBrowser browser = new OidcBrowser();
        Response page = browser.signIn(authorize("openid email", null), user.email(), Api.PASSWORD);
        Response denied = browser.submit(page, Map.of("decision", "deny"));
        denied.then().statusCode(303);
        Map<String, String> q = OidcBrowser.query(denied.header("Location"));
        assertTrue(denied.header("Location").startsWith(OTHER_REDIRECT + "?"));
        assertEquals("access_denied", q.get("error"));
        assertEquals("cs", q.get("state"));
        assertEquals(OidcDiscoveryTest.issuer("main"), q.get("iss"));
        assertTrue(!q.containsKey("code"));
        assertEquals(0, consents(user.id()));
    }

    @Test
    void promptNoneWithoutConsentIsConsentRequired() {
        OidcFlowTest.User user = OidcFlowTest.User.create();
        OidcBrowser browser = new OidcBrowser();
        // signed in through the first-party client, so only the consent is missing
        RelyingParty.signIn(browser, OidcProfile.WEB, OidcProfile.WEB_SECRET, OidcProfile.WEB_REDIRECT, user.email());
        Response r = browser.get(authorize("openid", "none"));
        r.then().statusCode(303);
        Map<String, String> q = OidcBrowser.query(r.header("Location"));
        assertEquals("consent_required", q.get("error"));
        assertEquals("cs", q.get("state"));
    }

    @Test
    void aConsentWithoutThisBrowsersCsrfTokenIsNotTaken() {
        OidcFlowTest.User user = OidcFlowTest.User.create();
        OidcBrowser browser = new OidcBrowser();
        Response page = browser.signIn(authorize("openid email", null), user.email(), Api.PASSWORD);
        Response forged = browser.submit(page, Map.of("decision", "allow", "csrf", "z".repeat(43)));
        forged.then().statusCode(403).body(containsString("id=\"consent-allow\""));
        assertEquals(0, consents(user.id()));
        // a browser that is not signed in posting the form: the sign-in form, nothing granted
        new OidcBrowser().submit(page, Map.of("decision", "allow")).then().statusCode(401)
                .body(containsString("name=\"password\""));
        assertEquals(0, consents(user.id()));
    }
}
