package dev.authgate.oidc;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

import dev.authgate.federation.CookieJar;
import dev.authgate.mfa.Mfa;
import dev.authgate.support.Api;
import dev.authgate.support.Chromium;
import dev.authgate.support.KeycloakServer;
import dev.authgate.support.RealServer;
import dev.authgate.support.TestDatabase;

/**
 * The relying-party test 2: a real Keycloak 26 brokers to Authgate (its "OpenID Connect v1.0" identity
 * provider, configured from Authgate's discovery URL) and a person signs in to the Keycloak realm with an Authgate
 * account, through Authgate's sign-in page, followed as a browser without JavaScript would. Keycloak checks the
 * id_token's signature (jwks), issuer, audience and nonce, and sends PKCE S256 and client_secret_basic.
 */
@QuarkusIntegrationTest
@TestProfile(KeycloakBrokerIT.Broker.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Chromium
@RealServer
class KeycloakBrokerIT {

    public static class Broker implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KeycloakBroker.class));
        }
    }

    private static boolean registered;

    /** Loopback by address, as Keycloak reaches it: the issuer it learns from discovery is this one. */
    static String authgate() {
        return "http://127.0.0.1:" + RestAssured.port;
    }

    static synchronized void provider() {
        if (!registered) {
            KeycloakBroker.registerProvider(authgate() + "/oidc/main/.well-known/openid-configuration");
            registered = true;
        }
    }

    static final Predicate<String> AT_APP = url -> url.startsWith(KeycloakServer.APP_REDIRECT);

    /** The realm application's PKCE (its Keycloak client requires S256); one verifier for every sign-in here. */
    static final OidcBrowser.Pkce PKCE = OidcBrowser.Pkce.create();

    /** The realm's application asks Keycloak to sign someone in, straight through the Authgate provider. */
    static String realmLogin(String state) {
        return KeycloakServer.issuer() + "/protocol/openid-connect/auth?client_id=" + KeycloakServer.CLIENT_ID
                + "&redirect_uri=" + CookieJar.enc(KeycloakServer.APP_REDIRECT) + "&response_type=code&scope=openid"
                + "&state=" + state + "&nonce=n-" + state + "&kc_idp_hint=" + KeycloakBroker.ALIAS
                + "&code_challenge=" + PKCE.challenge() + "&code_challenge_method=S256";
    }

    /** From the realm's login, through Keycloak, to Authgate's sign-in page. */
    static PageBrowser.Stop atAuthgate(PageBrowser browser, String state) throws Exception {
        PageBrowser.Stop page = browser.open(realmLogin(state), AT_APP);
        assertEquals(200, page.status(), page.url() + "\n" + page.response().body());
        assertTrue(page.url().startsWith(authgate() + "/oidc/main/"), "Keycloak sent the browser to Authgate: "
                + page.url());
        return page;
    }

    static PageBrowser.Stop password(PageBrowser browser, PageBrowser.Stop page, String email, String password)
            throws Exception {
        return browser.submit(page, "form:has(input[name=password])", Map.of("email", email, "password", password),
                AT_APP);
    }

    /**
     * Keycloak's first broker login may ask to review the profile (its user profile wants a first and a last name,
     * which an Authgate id_token does not carry): filled in as a person would.
     */
    static PageBrowser.Stop reviewProfileIfAsked(PageBrowser browser, PageBrowser.Stop stop) throws Exception {
        if (stop.status() == 200 && stop.url().startsWith(KeycloakServer.base())
                && stop.page().selectFirst("form:has(input[name=firstName])") != null) {
            return browser.submit(stop, "form:has(input[name=firstName])", Map.of("firstName", "Brokered",
                    "lastName", "Person"), AT_APP);
        }
        return stop;
    }

    /** The realm application's code, exchanged at Keycloak: Keycloak's own id_token's claims. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> realmTokens(PageBrowser.Stop atApp, String state) throws Exception {
        assertTrue(atApp.location() != null && AT_APP.test(atApp.location()),
                "back at the realm's application: " + atApp.status() + " " + atApp.url() + "\n" + atApp.response().body());
        Map<String, String> q = CookieJar.query(atApp.location());
        assertEquals(state, q.get("state"));
        String idToken = given().auth().preemptive().basic(KeycloakServer.CLIENT_ID, KeycloakServer.CLIENT_SECRET)
                .contentType(ContentType.URLENC).formParam("grant_type", "authorization_code")
                .formParam("code", q.get("code")).formParam("redirect_uri", KeycloakServer.APP_REDIRECT)
                .formParam("code_verifier", PKCE.verifier())
                .post(KeycloakServer.issuer() + "/protocol/openid-connect/token").then().statusCode(200)
                .extract().path("id_token");
        String payload = new String(Base64.getUrlDecoder().decode(idToken.split("\\.")[1]), StandardCharsets.UTF_8);
        return new ObjectMapper().readValue(payload, Map.class);
    }

    static long sessions(long accountId) {
        return TestDatabase.scalar("select count(*) from auth_session where dbtable = 'user' and account_id = ?",
                accountId);
    }

    static long lastStep(Mfa.Enrolled account) {
        return TestDatabase.scalar("select last_step from auth_mfa_factor where id = ?::uuid", account.factorId());
    }

    @Test
    @Order(1)
    void anAuthgateAccountSignsInToTheKeycloakRealmAndComesBackToTheSameUser() throws Exception {
        provider();
        String email = Api.uniqueEmail();
        Api.signup(email);
        long id = TestDatabase.scalar("select id from \"user\" where email = ?", email);
        long before = sessions(id);

        PageBrowser browser = new PageBrowser();
        PageBrowser.Stop page = atAuthgate(browser, "s1");
        PageBrowser.Stop back = reviewProfileIfAsked(browser, password(browser, page, email, Api.PASSWORD));
        Map<String, Object> claims = realmTokens(back, "s1");
        assertEquals(email, claims.get("email"), "Keycloak's user carries the Authgate account's email");
        assertEquals("n-s1", claims.get("nonce"));
        assertTrue(sessions(id) > before, "Keycloak's access token at Authgate is a session of the account");

        String kcUser = KeycloakBroker.userId(email);
        assertNotNull(kcUser, "the first broker login made a realm user");
        List<Map<String, String>> links = KeycloakBroker.federatedIdentities(kcUser);
        assertEquals(1, links.size(), links.toString());
        assertEquals(KeycloakBroker.ALIAS, links.get(0).get("identityProvider"));
        String subject = links.get(0).get("userId");
        assertNotNull(subject, "linked by Authgate's sub");

        // a second sign-in in another browser: the same realm user, found by the same sub, nothing new made
        PageBrowser again = new PageBrowser();
        PageBrowser.Stop second = password(again, atAuthgate(again, "s2"), email, Api.PASSWORD);
        assertEquals(email, realmTokens(second, "s2").get("email"));
        assertEquals(kcUser, KeycloakBroker.userId(email));
        assertEquals(subject, KeycloakBroker.federatedIdentities(kcUser).get(0).get("userId"));
    }

    @Test
    @Order(2)
    void aWrongPasswordStaysOnAuthgatesPageAndKeycloakLearnsNothing() throws Exception {
        provider();
        String email = Api.uniqueEmail();
        Api.signup(email);
        PageBrowser browser = new PageBrowser();
        PageBrowser.Stop refused = password(browser, atAuthgate(browser, "s3"), email, "not the password at all");
        assertTrue(refused.status() >= 400 && refused.status() < 500, refused.status() + " " + refused.url());
        assertTrue(refused.url().startsWith(authgate() + "/oidc/main/"), refused.url());
        assertTrue(refused.page().selectFirst("input[name=password]") != null, "the form again");
        assertNull(KeycloakBroker.userId(email), "no realm user");
    }

    @Test
    @Order(3)
    void anAccountWithASecondFactorGivesItsCodeOnAuthgatesPage() throws Exception {
        provider();
        Mfa.Enrolled account = Mfa.enrolled();
        long activatedAt = lastStep(account);
        PageBrowser browser = new PageBrowser();
        PageBrowser.Stop factor = password(browser, atAuthgate(browser, "s4"), account.email(), Api.PASSWORD);
        assertEquals(200, factor.status(), factor.response().body());
        assertTrue(factor.page().selectFirst("input[name=code]") != null, "the second step asks for the code");
        assertNull(KeycloakBroker.userId(account.email()), "nothing reached Keycloak after the password alone");

        PageBrowser.Stop back = reviewProfileIfAsked(browser, browser.submit(factor, "form:has(input[name=code])",
                Map.of("code", account.code(1)), AT_APP));
        assertEquals(account.email(), realmTokens(back, "s4").get("email"));
        assertTrue(lastStep(account) > activatedAt, "the code's time step was taken: it cannot be used again");
    }
}
