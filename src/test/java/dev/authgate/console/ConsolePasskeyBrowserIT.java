package dev.authgate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.authgate.mfa.Totp;
import dev.authgate.support.Api;
import dev.authgate.support.Chromium;
import dev.authgate.support.Jwe;
import dev.authgate.support.PostgresResource;
import dev.authgate.support.Processes;
import dev.authgate.support.ServiceProcess;
import dev.authgate.support.TestDatabase;

/**
 * Passkeys in the console in a real browser: Debian's chromium with Chrome's virtual authenticator (CTAP2, internal
 * transport, resident keys, user verification) registers a passkey on the console's page and signs in with it, alone
 * and as the second step; an authenticator that holds no credential signs in nobody. And the console's reset of a
 * record's second factors, seen in the rows. The packaged application runs as a process on a port chosen here, so
 * that its exact origin can be the relying party's ({@code authgate.webauthn.origins}).
 */
@Chromium
@Processes
class ConsolePasskeyBrowserIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] KEY = Jwe.randomKey();
    private static ServiceProcess service;
    private static String base;

    private ChromeDriver driver;

    @BeforeAll
    static void start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        base = "http://localhost:" + port;
        service = ServiceProcess.start(Map.ofEntries(
                Map.entry("QUARKUS_HTTP_PORT", Integer.toString(port)),
                Map.entry("AUTHGATE_TOKEN_KEYS", Jwe.jwks("browser-passkeys", KEY)),
                Map.entry("AUTHGATE_CONSOLE_ENABLED", "true"),
                Map.entry("AUTHGATE_BOOTSTRAP_ADMIN_EMAIL", PostgresResource.ADMIN_EMAIL),
                Map.entry("AUTHGATE_BOOTSTRAP_ADMIN_PASSWORD", PostgresResource.ADMIN_PASSWORD),
                Map.entry("AUTHGATE_TABLES_USER_MFA_TOTP", "true"),
                Map.entry("AUTHGATE_TABLES_STAFF_MFA_PASSKEYS", "true"),
                Map.entry("AUTHGATE_WEBAUTHN_RP_ID", "localhost"),
                Map.entry("AUTHGATE_WEBAUTHN_ORIGINS", base),
                // why a ceremony was refused is logged at DEBUG only: in this test's service log
                Map.entry("QUARKUS_LOG_CATEGORY__DEV_AUTHGATE_PASSKEY__LEVEL", "DEBUG")));
        service.awaitReady(Duration.ofSeconds(180));
    }

    @AfterAll
    static void stop() throws Exception {
        ServiceProcess.closeAll(service);
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.quit();
        }
    }

    private <T> T await(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(20)).ignoring(StaleElementReferenceException.class)
                .until(condition);
    }

    private static JsonNode post(String path, Object body, String token) throws Exception {
        HttpResponse<String> r = token == null ? service.post(path, JSON.writeValueAsString(body))
                : service.post(path, JSON.writeValueAsString(body), "Authorization", "Bearer " + token);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    private static String login(String group, String email, String password) throws Exception {
        return post("/api:" + group + "/auth/login", Map.of("email", email, "password", password), null)
                .path("authToken").asText();
    }

    /** A new administrator of staff, made through the records API; no factor. */
    private static String administrator() throws Exception {
        String email = Api.uniqueEmail();
        post("/api:staff/staff", Map.of("name", "Browser admin", "email", email, "password", Api.PASSWORD, "role",
                "administrator"), login("staff", PostgresResource.ADMIN_EMAIL, PostgresResource.ADMIN_PASSWORD));
        return email;
    }

    private static VirtualAuthenticatorOptions authenticatorOptions() {
        return new VirtualAuthenticatorOptions().setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL).setHasResidentKey(true)
                .setHasUserVerification(true).setIsUserVerified(true).setIsUserConsenting(true);
    }

    private void passwordSignIn(String email) {
        driver.get(base + "/console/");
        new Select(driver.findElement(By.id("group"))).selectByValue("staff");
        driver.findElement(By.id("email")).sendKeys(email);
        driver.findElement(By.id("password")).sendKeys(Api.PASSWORD);
        driver.findElement(By.cssSelector("form[action='/console/login'] button[type=submit]")).click();
    }

    /** The page after the script's registration: its notice, or the script's error shown in the failure. */
    private void added() {
        String outcome = await(d -> {
            var notices = d.findElements(By.cssSelector(".notice"));
            if (!notices.isEmpty()) {
                return notices.get(0).getText();
            }
            var errors = d.findElements(By.cssSelector("[data-passkey-error]"));
            return !errors.isEmpty() && errors.get(0).isDisplayed() ? "error: " + errors.get(0).getText() : null;
        });
        assertTrue(outcome.contains("The passkey is added"), outcome + "\n" + service.log().lines()
                .filter(l -> l.contains("passkey")).collect(java.util.stream.Collectors.joining("\n")));
    }

    private void signOut() {
        driver.findElement(By.cssSelector("form.signout button")).click();
        await(d -> d.findElement(By.id("email")).isDisplayed());
    }

    private Map<String, Object> sessionClaims() {
        Cookie c = driver.manage().getCookieNamed(ConsoleClient.SESSION);
        return Jwe.decrypt(c.getValue(), KEY).claims();
    }

    private static long staffId(String email) {
        return TestDatabase.scalar("select id from staff where email = ?", email);
    }

    @Test
    void aPasskeyAddedInTheConsoleSignsInAloneAndAsTheSecondStepAndAnEmptyAuthenticatorSignsInNobody() throws Exception {
        String email = administrator();
        long id = staffId(email);
        driver = Browser.open(1280, 900);
        driver.get(base + "/console/"); // the virtual authenticator belongs to a page of the origin
        VirtualAuthenticator device = driver.addVirtualAuthenticator(authenticatorOptions());

        passwordSignIn(email);
        await(d -> d.getCurrentUrl().endsWith("/console/staff/records/user"));
        driver.findElement(By.linkText("Passkeys")).click();
        await(d -> d.findElement(By.id("passkey-register")).isDisplayed());
        driver.findElement(By.id("passkey-name")).sendKeys("Virtual laptop");
        driver.findElement(By.id("passkey-register")).click();
        added();
        assertTrue(driver.getPageSource().contains("value=\"Virtual laptop\""));
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_passkey where dbtable = 'staff' and account_id = ? "
                + "and name = 'Virtual laptop' and uv_initialized and sign_count >= 0", id));
        assertEquals(1, device.getCredentials().size());
        assertTrue(device.getCredentials().get(0).isResidentCredential(), "a discoverable credential");
        Browser.screenshot(driver, "passkeys");
        signOut();

        // usernameless: the passkey alone
        driver.findElement(By.id("passkey-signin")).click();
        await(d -> d.getCurrentUrl().endsWith("/console/staff/records/user"));
        Map<String, Object> claims = sessionClaims();
        assertEquals(2L, ((Number) claims.get("aal")).longValue());
        assertEquals(List.of("hwk", "user"), claims.get("amr"));
        assertEquals(((Number) claims.get("id")).longValue(), id);
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_passkey where account_id = ? and dbtable = 'staff' "
                + "and last_used_at is not null", id));
        signOut();

        // the password, then the passkey as the second factor
        passwordSignIn(email);
        await(d -> d.findElement(By.id("passkey-factor")).isDisplayed());
        assertTrue(driver.findElements(By.id("code")).isEmpty(), "no TOTP factor: no code field");
        driver.findElement(By.id("passkey-factor")).click();
        await(d -> d.getCurrentUrl().endsWith("/console/staff/records/user"));
        assertEquals(List.of("pwd", "hwk", "user"), sessionClaims().get("amr"));
        assertNull(driver.manage().getCookieNamed(ConsoleFactorTest.MFA_COOKIE), "the waiting login's cookie is gone");
        signOut();

        // another authenticator, holding no credential of this site: refused, nobody signed in
        driver.removeVirtualAuthenticator(device);
        VirtualAuthenticator empty = driver.addVirtualAuthenticator(authenticatorOptions());
        long sessions = TestDatabase.scalar("select count(*) from auth_session where dbtable = 'staff' and account_id = ?",
                id);
        driver.findElement(By.id("passkey-signin")).click();
        String error = await(d -> {
            var e = d.findElement(By.cssSelector("[data-passkey-error]"));
            return e.isDisplayed() && !e.getText().isEmpty() ? e.getText() : null;
        });
        assertTrue(error.contains("No passkey was used"), error);
        assertTrue(driver.getCurrentUrl().endsWith("/console/"), driver.getCurrentUrl());
        assertNull(driver.manage().getCookieNamed(ConsoleClient.SESSION));
        assertEquals(0, empty.getCredentials().size());
        assertEquals(sessions, TestDatabase.scalar("select count(*) from auth_session where dbtable = 'staff' "
                + "and account_id = ?", id));
    }

    /**
     * A synced passkey (backup eligible and backed up, as a platform's password manager makes them; Chrome's
     * DevTools protocol sets those flags, Selenium's options do not): stored with its flags, shown as such, and its
     * sign-in says {@code swk} where a device-bound one says {@code hwk}.
     */
    @Test
    void aSyncedPasskeySignsInWithSwk() throws Exception {
        String email = administrator();
        long id = staffId(email);
        driver = Browser.open(1280, 900);
        driver.get(base + "/console/");
        driver.executeCdpCommand("WebAuthn.enable", Map.of("enableUI", false));
        driver.executeCdpCommand("WebAuthn.addVirtualAuthenticator", Map.of("options", Map.ofEntries(
                Map.entry("protocol", "ctap2"), Map.entry("transport", "internal"), Map.entry("hasResidentKey", true),
                Map.entry("hasUserVerification", true), Map.entry("isUserVerified", true),
                Map.entry("automaticPresenceSimulation", true), Map.entry("defaultBackupEligibility", true),
                Map.entry("defaultBackupState", true))));
        passwordSignIn(email);
        await(d -> d.getCurrentUrl().endsWith("/console/staff/records/user"));
        driver.get(base + "/console/staff/passkeys");
        driver.findElement(By.id("passkey-register")).click();
        added();
        assertTrue(driver.findElement(By.id("passkey-list")).getText().contains("backed up"));
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_passkey where dbtable = 'staff' and account_id = ? "
                + "and backup_eligible and backup_state and name = 'Passkey'", id));
        signOut();
        driver.findElement(By.id("passkey-signin")).click();
        await(d -> d.getCurrentUrl().endsWith("/console/staff/records/user"));
        assertEquals(List.of("swk", "user"), sessionClaims().get("amr"));
    }

    @Test
    void theConsoleResetsARecordsFactorsAndEndsItsSessions() throws Exception {
        // a user with a TOTP factor, recovery codes, a login waiting for its code, and two sessions
        String email = Api.uniqueEmail();
        String token = post("/api:main/auth/signup", Map.of("name", "Reset me", "email", email, "password",
                Api.PASSWORD), null).path("authToken").asText();
        JsonNode e = post("/api:main/auth/mfa/totp", Map.of("name", "Phone"), token);
        byte[] secret = new Base32().decode(e.path("secret").asText());
        String code = Totp.code(secret, Totp.step(Instant.now().getEpochSecond()), Totp.DIGITS);
        String aal2 = post("/api:main/auth/mfa/totp/" + e.path("id").asText() + "/activate", Map.of("code", code), token)
                .path("authToken").asText();
        String mfaToken = post("/api:main/auth/login", Map.of("email", email, "password", Api.PASSWORD), null)
                .path("mfa_token").asText();
        long id = TestDatabase.scalar("select id from \"user\" where email = ?", email);
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_mfa_factor where dbtable = 'user' and account_id = ?", id));
        assertEquals(10, TestDatabase.scalar("select count(*) from auth_mfa_recovery_code where dbtable = 'user' "
                + "and account_id = ?", id));
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_session where dbtable = 'user' and account_id = ?", id));

        driver = Browser.open(1280, 900);
        passwordSignIn(administrator());
        await(d -> d.getCurrentUrl().endsWith("/console/staff/records/user"));
        driver.get(base + "/console/staff/records/user/" + id);
        await(d -> d.findElement(By.id("factors")).getText().contains("Second factors (1)"));
        assertTrue(driver.findElement(By.id("recovery-codes-left")).getText().equals("10"));
        driver.findElement(By.id("confirm-mfa-reset")).click();
        driver.findElement(By.id("mfa-reset")).click();
        await(d -> d.findElement(By.cssSelector(".notice")).getText().contains("Every second factor of this record"));
        assertTrue(driver.findElement(By.id("factors")).getText().contains("Second factors (0)"));

        assertEquals(0, TestDatabase.scalar("select count(*) from auth_mfa_factor where dbtable = 'user' and account_id = ?", id));
        assertEquals(0, TestDatabase.scalar("select count(*) from auth_mfa_recovery_code where dbtable = 'user' "
                + "and account_id = ?", id));
        assertEquals(0, TestDatabase.scalar("select count(*) from auth_mfa_token where dbtable = 'user' and account_id = ? "
                + "and used_at is null", id), "the waiting login is gone");
        assertEquals(0, TestDatabase.scalar("select count(*) from auth_session where dbtable = 'user' and account_id = ?", id));
        assertEquals(401, service.get("/api:main/auth/me", "Authorization", "Bearer " + aal2).statusCode());
        assertEquals(401, service.post("/api:main/auth/mfa/verify", JSON.writeValueAsString(Map.of("mfa_token", mfaToken,
                "code", code))).statusCode());
        // the record logs in with its password alone again
        assertTrue(login("main", email, Api.PASSWORD).length() > 0);
    }
}
