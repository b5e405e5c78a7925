package dev.authgate.mail;

import static dev.authgate.mail.MailApi.MAGIC;
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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.authgate.oidc.OidcBrowser;
import dev.authgate.support.Api;
import dev.authgate.support.TestDatabase;

/** The OpenID sign-in page's magic link: the email, the mailed code on the page, the client's code with amr mail. */
@QuarkusTest
@TestProfile(MailProfile.class)
class OidcMagicLinkTest {

    static final String SESSION_COOKIE = "__Host-authgate_oidc.main";
    private static final Pattern MAGIC_FORM = Pattern.compile(
            "<form method=\"post\" action=\"([^\"]+/login/magic)\" class=\"magic\">(.*?)</form>", Pattern.DOTALL);
    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

    static Map<String, String> request(String client, String redirectUri) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("response_type", "code");
        p.put("client_id", client);
        p.put("redirect_uri", redirectUri);
        p.put("scope", "openid email");
        p.put("state", "st");
        return p;
    }

    /** The page's magic-link form posted with this email: the code's page. */
    static Response send(OidcBrowser browser, Response page, String email) {
        Matcher form = MAGIC_FORM.matcher(page.asString());
        assertTrue(form.find(), "the page offers the magic link: " + page.asString());
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher hidden = HIDDEN.matcher(form.group(2));
        while (hidden.find()) {
            fields.put(hidden.group(1), hidden.group(2).replace("&amp;", "&"));
        }
        fields.put("email", email);
        Response r = given().redirects().follow(false).cookies(browser.cookies)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8").formParams(fields)
                .post(form.group(1));
        dev.authgate.support.BrowserCookies.keep(r, browser.cookies);
        return r;
    }

    static long sessions() {
        return TestDatabase.scalar("select count(*) from auth_session");
    }

    @Test
    void anAccountSignsInWithTheMailedCodeAndTheClientsTokenSaysMail() throws Exception {
        String email = Api.uniqueEmail();
        Api.signup(email);
        long id = TestDatabase.scalar("select id from \"user\" where email = ?", email);
        OidcBrowser browser = new OidcBrowser();
        Response page = browser.get(OidcBrowser.authorize("main", request(WEB, WEB_REDIRECT)));
        page.then().statusCode(200).body(containsString("Email me a code"));

        int before = Inbox.all(email, MAGIC).size();
        Response codePage = send(browser, page, email);
        codePage.then().statusCode(200).body(containsString("autocomplete=\"one-time-code\""));
        String code = Inbox.await(email, MAGIC, before + 1).code();

        // a wrong code: the code's page again, nothing issued
        long sessions = sessions();
        String wrong = String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);
        browser.submit(codePage, Map.of("code", wrong)).then().statusCode(400).header("Location", nullValue())
                .body(containsString("autocomplete=\"one-time-code\""));
        assertEquals(sessions, sessions());

        Response back = browser.submit(codePage, Map.of("code", code));
        assertEquals(303, back.statusCode(), back.asString());
        String location = back.header("Location");
        assertTrue(location.startsWith(WEB_REDIRECT + "?code="), location);
        assertNotNull(browser.cookies.get(SESSION_COOKIE), "signed in to Authgate");
        Response tokens = given().auth().preemptive().basic(WEB, WEB_SECRET)
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "authorization_code")
                .formParam("code", OidcBrowser.query(location).get("code")).formParam("redirect_uri", WEB_REDIRECT)
                .post("/oidc/main/token");
        tokens.then().statusCode(200);
        JWTClaimsSet claims = SignedJWT.parse(tokens.path("id_token")).getJWTClaimsSet();
        assertEquals(Long.toString(id), claims.getSubject());
        assertEquals(List.of("mail"), claims.getStringListClaim("amr"));

        // the code is used up
        browser.cookies.remove(SESSION_COOKIE);
        browser.submit(codePage, Map.of("code", code)).then().statusCode(400).header("Location", nullValue());
    }

    @Test
    void anUnknownEmailLooksTheSameAndATableWithoutItHasNoForm() {
        OidcBrowser browser = new OidcBrowser();
        Response page = browser.get(OidcBrowser.authorize("main", request(WEB, WEB_REDIRECT)));
        send(browser, page, Api.uniqueEmail()).then().statusCode(200)
                .body(containsString("autocomplete=\"one-time-code\""));

        // staff has no magic link: no form, and its post is an error page
        Response staff = browser.get(OidcBrowser.authorize("staff", request(STAFF_APP, STAFF_REDIRECT)));
        staff.then().statusCode(200).body(not(containsString("Email me a code")));
        given().redirects().follow(false).cookies(browser.cookies).contentType("application/x-www-form-urlencoded")
                .formParam("authorization", "response_type=code&client_id=" + STAFF_APP + "&redirect_uri="
                        + OidcBrowser.enc(STAFF_REDIRECT) + "&scope=openid&state=st")
                .formParam("email", "a@b.example").post("/oidc/staff/login/magic")
                .then().statusCode(404).header("Location", nullValue());
        assertNull(browser.cookies.get("__Host-authgate_oidc.staff"));
    }
}
