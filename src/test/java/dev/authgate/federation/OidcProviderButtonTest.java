package dev.authgate.federation;

import static dev.authgate.oidc.OidcProfile.STAFF_APP;
import static dev.authgate.oidc.OidcProfile.STAFF_REDIRECT;
import static dev.authgate.oidc.OidcProfile.WEB;
import static dev.authgate.oidc.OidcProfile.WEB_REDIRECT;
import static dev.authgate.oidc.OidcProfile.WEB_SECRET;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.authgate.federation.FakeUpstreams.Email;
import dev.authgate.federation.FakeUpstreams.GitHubUser;
import dev.authgate.http.oidc.ProviderSignInResource;
import dev.authgate.mfa.Mfa;
import dev.authgate.oidc.OidcBrowser;
import dev.authgate.oidc.OidcProfile;
import dev.authgate.support.Api;
import dev.authgate.support.TestDatabase;

/**
 * The OpenID sign-in page's provider buttons, through the fake GitHub ({@link FakeUpstreams}): the button, GitHub,
 * the API's callback, back to the page's flow, and the client's code whose tokens say {@code fed}; the failures end
 * on the page (or an error page), never at the client.
 */
@QuarkusTest
@TestProfile(OidcProfile.class)
class OidcProviderButtonTest {

    static final String SESSION_COOKIE = "__Host-authgate_oidc.main";
    static final String PROVIDER_COOKIE = "__Host-authgate_oidc_provider";
    static final String FLOW_COOKIE = "authgate_federation";
    private static final Pattern BUTTON = Pattern.compile("id=\"provider-([a-z0-9-]+)\" href=\"([^\"]+)\"");

    static Map<String, String> request(String client, String redirectUri, String state) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("response_type", "code");
        p.put("client_id", client);
        p.put("redirect_uri", redirectUri);
        p.put("scope", "openid email");
        p.put("state", state);
        p.put("nonce", "n-" + UUID.randomUUID());
        return p;
    }

    static String authorize(String state) {
        return OidcBrowser.authorize("main", request(WEB, WEB_REDIRECT, state));
    }

    /** The page's buttons: provider → link. */
    static Map<String, String> buttons(Response page) {
        Map<String, String> found = new LinkedHashMap<>();
        Matcher m = BUTTON.matcher(page.asString());
        while (m.find()) {
            found.put(m.group(1), m.group(2).replace("&amp;", "&"));
        }
        return found;
    }

    /** The button of gh pressed: Authgate's answer, a redirect to GitHub. */
    static String toGitHub(OidcBrowser browser, String authorizePath) {
        Response page = browser.get(authorizePath);
        assertEquals(200, page.statusCode(), page.asString());
        String link = buttons(page).get("gh");
        assertNotNull(link, "a button for gh: " + page.asString());
        Response start = browser.get(link);
        assertEquals(303, start.statusCode(), start.asString());
        String location = start.header("Location");
        assertTrue(location.startsWith(FakeUpstreams.base() + "/login/oauth/authorize?"), location);
        assertNotNull(browser.cookies.get(PROVIDER_COOKIE), "the page's secret, in its cookie");
        assertNotNull(browser.cookies.get(FLOW_COOKIE), "the flow's state cookie");
        assertFalse(location.contains(browser.cookies.get(PROVIDER_COOKIE)), "the secret is never in a URL");
        return location;
    }

    /** GitHub's approval of {@code as}: the callback URL it sends the browser to. */
    static String approved(String toGitHub, String as) {
        Response r = given().redirects().follow(false).urlEncodingEnabled(false).get(toGitHub + "&as=" + OidcBrowser.enc(as));
        assertEquals(302, r.statusCode(), r.asString());
        return r.header("Location");
    }

    /** The callback, then where it sends the browser: back to the page's flow. */
    static String callback(OidcBrowser browser, String callbackUrl) {
        Response r = browser.get(callbackUrl);
        assertEquals(302, r.statusCode(), r.asString());
        String back = r.header("Location");
        assertTrue(back.contains("/oidc/main/login/federated?authorization="), back);
        return back;
    }

    static GitHubUser gitHubUser(String email) {
        long id = GitHubUpstreamTest.IDS.incrementAndGet();
        GitHubUser u = new GitHubUser(id, "octo" + id, "Octo " + id, null, List.of(new Email(email, true, true)));
        FakeUpstreams.GITHUB_USERS.put(u.login(), u);
        return u;
    }

    static Response exchange(String code) {
        return given().redirects().follow(false).contentType("application/x-www-form-urlencoded").auth().preemptive()
                .basic(WEB, WEB_SECRET).formParam("grant_type", "authorization_code").formParam("code", code)
                .formParam("redirect_uri", WEB_REDIRECT).post("/oidc/main/token");
    }

    static long sessions() {
        return TestDatabase.scalar("select count(*) from auth_session");
    }

    @Test
    void aPersonSignsInWithGitHubFromThePageAndTheClientsTokensSayFed() throws Exception {
        String email = Api.uniqueEmail();
        GitHubUser u = gitHubUser(email);
        OidcBrowser browser = new OidcBrowser();
        String state = "s-" + UUID.randomUUID();

        Response page = browser.get(authorize(state));
        page.then().statusCode(200).body(containsString("Continue with gh"), not(containsString("<script>")))
                .header("Content-Security-Policy", not(containsString("unsafe-inline")));
        assertEquals(List.of("gh", "trusted", "untrusted"), List.copyOf(buttons(page).keySet()),
                "a button per provider of the group");

        String toGitHub = toGitHub(browser, authorize(state));
        assertTrue(OidcBrowser.query(toGitHub).get("redirect_uri").endsWith("/api:main/auth/oauth/gh/callback"),
                "the API's callback, registered at the provider once");
        String back = callback(browser, approved(toGitHub, u.login()));
        assertFalse(OidcBrowser.query(back).containsKey("state"), "the client's state is not in the URL alone");

        Response toClient = browser.get(back);
        assertEquals(303, toClient.statusCode(), toClient.asString());
        String location = toClient.header("Location");
        assertTrue(location.startsWith(WEB_REDIRECT + "?"), location);
        Map<String, String> q = OidcBrowser.query(location);
        assertEquals(state, q.get("state"));
        assertNotNull(browser.cookies.get(SESSION_COOKIE), "the browser is signed in to Authgate");
        assertNull(browser.cookies.get(PROVIDER_COOKIE), "the page's secret is forgotten");

        Response tokens = exchange(q.get("code"));
        tokens.then().statusCode(200);
        JWTClaimsSet id = SignedJWT.parse(tokens.path("id_token")).getJWTClaimsSet();
        JWTClaimsSet access = SignedJWT.parse(tokens.path("access_token")).getJWTClaimsSet();
        long account = TestDatabase.scalar("select id from \"user\" where email = ?", email);
        assertEquals(Long.toString(account), id.getSubject());
        assertEquals(List.of("fed"), id.getStringListClaim("amr"));
        assertEquals(List.of("fed"), access.getStringListClaim("amr"));
        assertEquals(email, id.getStringClaim("email"));
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_identity where provider = 'gh' and subject = ?",
                Long.toString(u.id())));

        // signed in: the next request gets its code at once, as after a password
        Response next = browser.get(authorize("s2"));
        next.then().statusCode(303).header("Location", containsString("code="));
    }

    @Test
    void anAccountWithASecondFactorIsAskedForItAfterGitHub() throws Exception {
        Mfa.Enrolled account = Mfa.enrolled();
        TestDatabase.update("update \"user\" set verified = true where id = ?", account.id());
        GitHubUser u = gitHubUser(account.email());
        OidcBrowser browser = new OidcBrowser();
        long before = sessions();

        String back = callback(browser, approved(toGitHub(browser, authorize("st")), u.login()));
        Response page = browser.get(back);
        page.then().statusCode(200).body(containsString("Second factor"), containsString("name=\"code\""));
        assertNull(browser.cookies.get(SESSION_COOKIE), "not signed in before the second factor");
        assertEquals(before, sessions(), "nothing issued after the provider alone");

        Response toClient = browser.submit(page, Map.of("code", account.code(1)));
        assertEquals(303, toClient.statusCode(), toClient.asString());
        String location = toClient.header("Location");
        assertTrue(location.startsWith(WEB_REDIRECT + "?code="), location);
        JWTClaimsSet id = SignedJWT.parse(exchange(OidcBrowser.query(location).get("code")).then().statusCode(200)
                .extract().path("id_token")).getJWTClaimsSet();
        assertEquals(Long.toString(account.id()), id.getSubject());
        assertTrue(id.getStringListClaim("amr").contains("fed"), "amr: " + id.getStringListClaim("amr"));
        assertEquals("aal2", id.getStringClaim("acr"));
    }

    @Test
    void aRefusalAtTheProviderComesBackToThePageNotToTheClient() throws Exception {
        OidcBrowser browser = new OidcBrowser();
        long before = sessions();
        String toGitHub = toGitHub(browser, authorize("st"));
        String refused = OidcBrowser.query(toGitHub).get("redirect_uri") + "?error=access_denied&error_description="
                + OidcBrowser.enc("<b>call this number</b>") + "&state=" + OidcBrowser.enc(OidcBrowser.query(toGitHub)
                        .get("state"));
        String back = callback(browser, refused);

        Response page = browser.get(back);
        page.then().statusCode(400).header("Location", nullValue())
                .body(containsString(ProviderSignInResource.PROVIDER_DENIED), containsString("Continue with gh"),
                        not(containsString("call this number")));
        assertNull(browser.cookies.get(SESSION_COOKIE));
        assertNull(browser.cookies.get(PROVIDER_COOKIE), "the page's secret is forgotten");
        assertEquals(before, sessions());

        // GitHub refuses to trade the code: the page again, with a message
        FakeUpstreams.tokenStatus = 404; // a page, not JSON: refused
        try {
            GitHubUser u = gitHubUser(Api.uniqueEmail());
            String failed = callback(browser, approved(toGitHub(browser, authorize("st")), u.login()));
            Response again = browser.get(failed);
            again.then().statusCode(400).header("Location", nullValue())
                    .body(containsString(ProviderSignInResource.PROVIDER_FAILED));
        } finally {
            FakeUpstreams.tokenStatus = 0;
        }
        assertEquals(before, sessions());
    }

    @Test
    void aProviderTheGroupDoesNotOfferIsAnErrorPage() {
        OidcBrowser browser = new OidcBrowser();
        Response page = browser.get(authorize("st"));
        String link = buttons(page).get("gh");
        Response unknown = browser.get(link.replace("/login/provider/gh?", "/login/provider/nope?"));
        unknown.then().statusCode(404).header("Location", nullValue())
                .body(containsString(ProviderSignInResource.NOT_OFFERED));

        // gh is main's only: the staff group's page has no button, and its start is an error page
        String staff = OidcBrowser.authorize("staff", request(STAFF_APP, STAFF_REDIRECT, "st"));
        Response staffPage = browser.get(staff);
        staffPage.then().statusCode(200).body(not(containsString("Continue with")));
        Response start = browser.get("/oidc/staff/login/provider/gh?authorization="
                + OidcBrowser.enc(staff.substring(staff.indexOf('?') + 1)));
        start.then().statusCode(404).header("Location", nullValue())
                .body(containsString(ProviderSignInResource.NOT_OFFERED));

        // a start whose authorization does not hold is an error page too, never a redirect
        browser.get("/oidc/main/login/provider/gh?authorization=" + OidcBrowser.enc("client_id=nobody"))
                .then().statusCode(400).header("Location", nullValue());
    }

    @Test
    void theCodeComesBackOnlyToTheBrowserThatStartedAndOnlyWithItsAuthorization() throws Exception {
        GitHubUser u = gitHubUser(Api.uniqueEmail());
        OidcBrowser started = new OidcBrowser();
        long before = sessions();
        String back = callback(started, approved(toGitHub(started, authorize("st")), u.login()));

        // another browser (a victim sent the link): its sign-in page, nothing signed in
        OidcBrowser other = new OidcBrowser();
        other.get(back).then().statusCode(401).header("Location", nullValue())
                .body(containsString(ProviderSignInResource.EXPIRED));
        assertNull(other.cookies.get(SESSION_COOKIE));

        // the authorization changed on the way (another registered redirect URI): refused, and the code is used up
        String changed = back.replace(OidcBrowser.enc(OidcBrowser.enc(WEB_REDIRECT)),
                OidcBrowser.enc(OidcBrowser.enc("https://app.example/other")));
        assertFalse(changed.equals(back), back);
        String secret = started.cookies.get(PROVIDER_COOKIE);
        started.get(changed).then().statusCode(400).header("Location", nullValue())
                .body(containsString(ProviderSignInResource.EXPIRED));
        started.cookies.put(PROVIDER_COOKIE, secret);
        started.get(back).then().statusCode(400).header("Location", nullValue());
        assertNull(started.cookies.get(SESSION_COOKIE));
        assertEquals(before, sessions(), "nothing issued");
    }
}
