package dev.authgate.oidc;

import static dev.authgate.oidc.OidcProfile.OTHER;
import static dev.authgate.oidc.OidcProfile.OTHER_REDIRECT;
import static dev.authgate.oidc.OidcProfile.OTHER_SECRET;
import static dev.authgate.oidc.OidcProfile.WEB;
import static dev.authgate.oidc.OidcProfile.WEB_REDIRECT;
import static dev.authgate.oidc.OidcProfile.WEB_SECRET;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

import dev.authgate.support.Jwe;
import dev.authgate.support.TestDatabase;

/**
 * RP-initiated logout at {@code end-session}: with a valid id_token_hint the browser's sign-in ends at once and the
 * browser goes to the registered post-logout URI with {@code state}; without one the person is asked first; an
 * unregistered URI, a foreign hint or a forged one is an error page and ends nothing.
 */
@QuarkusTest
@TestProfile(OidcProfile.class)
class EndSessionTest {

    static final String BYE = OidcProfile.WEB_LOGOUT_REDIRECT;

    /** The jti of the browser's sign-in to group main (its cookie holds an authToken). */
    static String browserJti(OidcBrowser browser) {
        String token = browser.cookies.get(OidcFlowTest.SESSION_COOKIE);
        assertNotNull(token, "signed in");
        return (String) Jwe.decrypt(token).claims().get("jti");
    }

    static String endSession(String query) {
        return "/oidc/main/end-session?" + query;
    }

    @Test
    void aValidHintEndsTheSignInAtOnceAndGoesBackWithState() {
        OidcFlowTest.User user = OidcFlowTest.User.create();
        RelyingParty.Tokens tokens = RelyingParty.signIn(WEB, WEB_SECRET, WEB_REDIRECT, user.email());
        String jti = browserJti(tokens.browser());

        Response out = tokens.browser().get(endSession("id_token_hint=" + tokens.idToken()
                + "&post_logout_redirect_uri=" + OidcBrowser.enc(BYE) + "&state=bye%201"));
        out.then().statusCode(303);
        assertEquals(BYE + "?state=bye+1", out.header("Location"));
        assertEquals(0, OidcFlowTest.sessions(jti), "the sign-in's session is gone");
        assertNull(tokens.browser().cookies.get(OidcFlowTest.SESSION_COOKIE), "and its cookie");
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_audit where event = 'logout' and dbtable = 'user' "
                + "and account_id = ? and detail->>'scope' = 'oidc' and detail->>'client' = ?", user.id(), WEB));

        // the next authorization request needs a new sign-in
        Response again = tokens.browser().get(OidcBrowser.authorize("main", OidcFlowTest.request(WEB, WEB_REDIRECT,
                "openid", "s", null)));
        again.then().statusCode(200).body(containsString("name=\"password\""));
    }

    @Test
    void withoutAHintThePersonIsAskedFirst() {
        OidcFlowTest.User user = OidcFlowTest.User.create();
        RelyingParty.Tokens tokens = RelyingParty.signIn(WEB, WEB_SECRET, WEB_REDIRECT, user.email());
        String jti = browserJti(tokens.browser());

        Response asked = tokens.browser().get(endSession("client_id=" + WEB + "&post_logout_redirect_uri="
                + OidcBrowser.enc(BYE)));
        asked.then().statusCode(200).body(containsString("Sign out?")).body(containsString(WEB))
                .header("Content-Security-Policy", containsString("default-src 'none'"));
        assertEquals(1, OidcFlowTest.sessions(jti), "nothing ended by a link alone");

        // a confirmation without this browser's CSRF token asks again
        Response forged = tokens.browser().submit(asked, Map.of("csrf", "x".repeat(43)));
        forged.then().statusCode(200).body(containsString("Sign out?"));
        assertEquals(1, OidcFlowTest.sessions(jti));

        Response confirmed = tokens.browser().submit(asked, Map.of());
        confirmed.then().statusCode(303);
        assertEquals(BYE, confirmed.header("Location"));
        assertEquals(0, OidcFlowTest.sessions(jti));
    }

    @Test
    void withoutAClientTheBrowserSeesThatItIsSignedOut() {
        OidcFlowTest.User user = OidcFlowTest.User.create();
        RelyingParty.Tokens tokens = RelyingParty.signIn(WEB, WEB_SECRET, WEB_REDIRECT, user.email());
        String jti = browserJti(tokens.browser());
        Response asked = tokens.browser().get("/oidc/main/end-session");
        asked.then().statusCode(200).body(containsString("Sign out?"));
        tokens.browser().submit(asked, Map.of()).then().statusCode(200).body(containsString("id=\"signed-out\""));
        assertEquals(0, OidcFlowTest.sessions(jti));
    }

    @Test
    void aHintOfAnotherAccountIsAskedAboutNotObeyed() {
        OidcFlowTest.User someone = OidcFlowTest.User.create();
        String foreignHint = RelyingParty.signIn(WEB, WEB_SECRET, WEB_REDIRECT, someone.email()).idToken();
        OidcFlowTest.User user = OidcFlowTest.User.create();
        RelyingParty.Tokens tokens = RelyingParty.signIn(WEB, WEB_SECRET, WEB_REDIRECT, user.email());
        String jti = browserJti(tokens.browser());
        tokens.browser().get(endSession("id_token_hint=" + foreignHint)).then().statusCode(200)
                .body(containsString("Sign out?"));
        assertEquals(1, OidcFlowTest.sessions(jti));
    }

    @Test
    void badRequestsAreErrorPagesNeverRedirectsAndEndNothing() {
        OidcFlowTest.User user = OidcFlowTest.User.create();
        RelyingParty.Tokens tokens = RelyingParty.signIn(WEB, WEB_SECRET, WEB_REDIRECT, user.email());
        String otherHint = RelyingParty.signIn(OTHER, OTHER_SECRET, OTHER_REDIRECT, user.email()).idToken();
        String jti = browserJti(tokens.browser());
        String hint = tokens.idToken();
        String forged = hint.substring(0, hint.lastIndexOf('.') + 1) + "AAAA";
        Map<String, String> cases = Map.of(
                "an unregistered post-logout URI", "id_token_hint=" + hint + "&post_logout_redirect_uri="
                        + OidcBrowser.enc("https://evil.example/bye"),
                "a post-logout URI of another client", "client_id=" + OTHER + "&post_logout_redirect_uri="
                        + OidcBrowser.enc(BYE),
                "a prefix of the registered one", "client_id=" + WEB + "&post_logout_redirect_uri="
                        + OidcBrowser.enc(BYE.substring(0, BYE.length() - 1)),
                "a URI without a client", "post_logout_redirect_uri=" + OidcBrowser.enc(BYE),
                "a hint issued to another client", "id_token_hint=" + otherHint + "&client_id=" + WEB,
                "a forged hint", "id_token_hint=" + forged,
                "an access token as hint", "id_token_hint=" + tokens.accessToken(),
                "an unknown client", "client_id=nobody");
        cases.forEach((why, query) -> {
            Response r = tokens.browser().get(endSession(query));
            assertEquals(400, r.statusCode(), why + ": " + r.asString());
            assertNull(r.header("Location"), why);
            assertTrue(r.asString().contains("id=\"oidc-error\""), why);
        });
        assertEquals(1, OidcFlowTest.sessions(jti), "still signed in");
    }

    @Test
    void aBrowserThatIsNotSignedInIsSentBackAtOnce() {
        OidcFlowTest.User user = OidcFlowTest.User.create();
        RelyingParty.Tokens tokens = RelyingParty.signIn(WEB, WEB_SECRET, WEB_REDIRECT, user.email());
        Response out = new OidcBrowser().get(endSession("id_token_hint=" + tokens.idToken()
                + "&post_logout_redirect_uri=" + OidcBrowser.enc(BYE)));
        out.then().statusCode(303);
        assertEquals(BYE, out.header("Location"));
        assertEquals(1, OidcFlowTest.sessions(browserJti(tokens.browser())), "another browser's sign-in is untouched");
    }
}
