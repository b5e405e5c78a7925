package dev.authgate.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

import dev.authgate.console.Browser;
import dev.authgate.mfa.Mfa;
import dev.authgate.support.Chromium;
import dev.authgate.support.ExampleApp;
import dev.authgate.support.Jwe;
import dev.authgate.support.RealServer;
import dev.authgate.support.TestDatabase;

/**
 * The relying-party test 1: examples/oidc-web-app, a Quarkus app with quarkus-oidc in web-app mode
 * (authorization code flow + PKCE, its own state cookie, the ID token verified against Authgate's jwks), in Debian's
 * Chromium. The protected page sends the browser to Authgate's sign-in page; password, then the TOTP code; back at
 * the app, signed in as the account; the app's logout goes through Authgate's end-session and ends the sign-in there.
 */
@QuarkusIntegrationTest
@TestProfile(OidcWebAppBrowserIT.WebApp.class)
@Chromium
@RealServer
class OidcWebAppBrowserIT {

    static final String CLIENT = "webapp";
    static final String SECRET = "webapp-secret-0123456789abcdef0123";
    /** The app's port, fixed before Authgate starts: its redirect URIs are registered exactly. */
    static final int APP_PORT = freePort();
    static final String APP = "http://127.0.0.1:" + APP_PORT;

    public static class WebApp implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("authgate.oidc.clients.webapp.group", "main",
                    "authgate.oidc.clients.webapp.secret", SECRET,
                    "authgate.oidc.clients.webapp.redirect-uris", APP + "/callback",
                    "authgate.oidc.clients.webapp.post-logout-redirect-uris", APP + "/signed-out",
                    "authgate.oidc.clients.webapp.scopes", "openid,email,profile",
                    "authgate.oidc.clients.webapp.first-party", "true",
                    // Chromium on http://127.0.0.1: the sign-in cookie cannot be Secure (__Host-) over plain HTTP
                    "authgate.oidc.secure-cookies", "false",
                    // the production profile runs here: a signing key of this run, and TOTP turned on for user
                    "authgate.oidc.signing-keys", Jwe.signingKeys(),
                    "authgate.tables.user.mfa.totp", "true");
        }
    }

    private static ExampleApp app;
    private ChromeDriver driver;

    @BeforeEach
    void appRuns() throws Exception {
        if (app == null) {
            ExampleApp.build("oidc-web-app");
            app = ExampleApp.start("oidc-web-app", Map.of("APP_HOST", "127.0.0.1", "APP_PORT", Integer.toString(APP_PORT),
                    "AUTHGATE_ISSUER", "http://127.0.0.1:" + RestAssured.port + "/oidc/main",
                    "AUTHGATE_CLIENT_ID", CLIENT, "AUTHGATE_CLIENT_SECRET", SECRET,
                    "APP_STATE_SECRET", "state-secret-of-the-web-app-test-0123456789"));
        }
    }

    @AfterEach
    void closeBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @AfterAll
    static void stopApp() throws InterruptedException {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void signInWithPasswordAndTotpThenLogoutEndsTheSignInAtAuthgate() throws Exception {
        Mfa.Enrolled account = Mfa.enrolled();
        long sessionsBefore = sessions(account.id());
        driver = Browser.open(375, 812); // a phone's viewport: the page must work there

        driver.get(APP + "/");
        await(d -> d.getCurrentUrl().contains("/oidc/main/authorize"));
        driver.findElement(By.id("email")).sendKeys(account.email());
        driver.findElement(By.id("password")).sendKeys(dev.authgate.support.Api.PASSWORD);
        driver.findElement(By.cssSelector("form[action$='/login'] button[type=submit]")).click();

        // the second step: a wrong code is refused on the page, the right one lets the person through
        await(d -> !d.findElements(By.id("code")).isEmpty());
        driver.findElement(By.id("code")).sendKeys(wrong(account.code(0)));
        driver.findElement(By.cssSelector("form[action$='/login/code'] button[type=submit]")).click();
        await(d -> !d.findElements(By.id("code")).isEmpty() && d.getPageSource().toLowerCase().contains("code"));
        assertTrue(driver.getCurrentUrl().startsWith("http://127.0.0.1:" + RestAssured.port), driver.getCurrentUrl());
        assertEquals(sessionsBefore, sessions(account.id()), "a wrong code signs no one in");
        account.forgetSteps();
        driver.findElement(By.id("code")).sendKeys(account.code(0));
        driver.findElement(By.cssSelector("form[action$='/login/code'] button[type=submit]")).click();

        await(d -> d.getCurrentUrl().equals(APP + "/") && !d.findElements(By.id("email")).isEmpty()
                && d.findElements(By.id("password")).isEmpty());
        assertEquals(account.email(), driver.findElement(By.id("email")).getText());
        assertEquals(Long.toString(account.id()), driver.findElement(By.id("sub")).getText());
        // at Authgate: the browser's sign-in (aal 2) and the app's access token, each a session
        assertEquals(sessionsBefore + 2, sessions(account.id()));

        driver.findElement(By.id("logout")).click();
        await(d -> d.getCurrentUrl().startsWith(APP + "/signed-out") && !d.findElements(By.id("signed-out")).isEmpty());
        assertEquals(sessionsBefore + 1, sessions(account.id()), "end-session ended the browser's sign-in at Authgate");

        // signed out at both: the protected page asks Authgate again, and Authgate asks for the password again
        driver.get(APP + "/");
        await(d -> d.getCurrentUrl().contains("/oidc/main/authorize") && !d.findElements(By.id("password")).isEmpty());
    }

    @Test
    void aWrongPasswordStaysOnAuthgatesPageAndSignsNoOneIn() throws Exception {
        Mfa.Enrolled account = Mfa.enrolled();
        long sessionsBefore = sessions(account.id());
        driver = Browser.open(1280, 900);
        driver.get(APP + "/");
        await(d -> !d.findElements(By.id("password")).isEmpty());
        driver.findElement(By.id("email")).sendKeys(account.email());
        driver.findElement(By.id("password")).sendKeys("not-the-password-123");
        driver.findElement(By.cssSelector("form[action$='/login'] button[type=submit]")).click();
        await(d -> !d.findElements(By.id("password")).isEmpty() && d.getPageSource().contains("Invalid Credentials"));
        assertTrue(driver.getCurrentUrl().startsWith("http://127.0.0.1:" + RestAssured.port), driver.getCurrentUrl());
        assertTrue(driver.findElements(By.id("code")).isEmpty(), "no second step without the password");
        assertEquals(sessionsBefore, sessions(account.id()));
    }

    private <T> T await(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(60)).ignoring(StaleElementReferenceException.class)
                .until(condition);
    }

    private static long sessions(long accountId) {
        return TestDatabase.scalar("select count(*) from auth_session where dbtable = 'user' and account_id = ?",
                accountId);
    }

    /** Another six digits than the right code. */
    private static String wrong(String code) {
        return code.equals("000000") ? "111111" : "000000";
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
