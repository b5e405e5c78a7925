package dev.authgate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

import dev.authgate.support.Api;
import dev.authgate.support.Chromium;
import dev.authgate.support.Jwe;
import dev.authgate.support.PostgresResource;
import dev.authgate.support.TestDatabase;

/** The console in a real browser (Debian's chromium, headless), against the packaged application. */
@QuarkusIntegrationTest
@TestProfile(ConsoleBrowserIT.Console.class)
@Chromium
class ConsoleBrowserIT {

    static final String OPERATOR_KEY = "operator-key-for-the-console-test-32-chars";

    /** The console on (it is off by default in production), and quick tokens on for the workbench. */
    public static class Console implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("authgate.console.enabled", "true", "authgate.quick-tokens.secret", OPERATOR_KEY);
        }
    }

    private ChromeDriver driver;

    @AfterEach
    void close() {
        if (driver != null) {
            driver.quit();
        }
    }

    static String base() {
        return "http://localhost:" + RestAssured.port;
    }

    /** A user, signed up through the API with a name and email no other test has. */
    record Account(long id, String name, String email, String token) {
        static Account create(String marker) {
            String email = "b-" + marker + "@example.com";
            String name = "Browser " + marker;
            String token = RestAssured.given().contentType(ContentType.JSON)
                    .body(Map.of("name", name, "email", email, "password", Api.PASSWORD))
                    .post("/api:main/auth/signup").then().statusCode(200).extract().path("authToken");
            return new Account(TestDatabase.scalar("select id from \"user\" where email = ?", email), name, email, token);
        }
    }

    static String marker() {
        return Long.toHexString(System.nanoTime());
    }

    private <T> T await(Function<WebDriver, T> condition) {
        // htmx swaps parts of the page: an element found a moment ago may be gone, so look again
        return new WebDriverWait(driver, Duration.ofSeconds(15)).ignoring(StaleElementReferenceException.class)
                .until(condition);
    }

    private void signIn() {
        driver.get(base() + "/console/");
        new Select(driver.findElement(By.id("group"))).selectByValue("staff");
        driver.findElement(By.id("email")).sendKeys(PostgresResource.ADMIN_EMAIL);
        driver.findElement(By.id("password")).sendKeys(PostgresResource.ADMIN_PASSWORD);
        driver.findElement(By.cssSelector("form[action='/console/login'] button")).click();
        await(d -> d.getCurrentUrl().endsWith("/console/staff/records/user"));
    }

    private static void me(String token, int status) {
        Api.bearer(token).get("/api:main/auth/me").then().statusCode(status);
    }

    @Test
    void signInSearchAndChangeARoleThatEndsTheRecordsTokens() {
        String marker = marker();
        Account a = Account.create(marker);
        driver = Browser.open(1280, 900);
        signIn();
        assertEquals("object", driver.executeScript("return typeof htmx"), "htmx loads under the CSP");
        // live search: typing is enough, the URL follows
        driver.findElement(By.id("search")).sendKeys(marker);
        await(d -> d.findElement(By.id("results")).getText().contains("1 record matching"));
        assertTrue(driver.getCurrentUrl().contains("search=" + marker), driver.getCurrentUrl());
        assertTrue(driver.findElement(By.id("results")).getText().contains(a.email()));
        Browser.screenshot(driver, "records");

        driver.findElement(By.linkText(a.name())).click();
        await(d -> d.findElement(By.tagName("h1")).getText().contains(a.name()));
        WebElement role = driver.findElement(By.id("role"));
        role.clear();
        role.sendKeys("editor");
        driver.findElement(By.cssSelector("form[action$='/" + a.id() + "'] button")).click();
        await(d -> d.findElement(By.cssSelector(".notice")).getText().contains("tokens have ended"));
        assertEquals("editor", TestDatabase.text("select role from \"user\" where id = ?", a.id()));
        me(a.token(), 401);

        // invalid extras: the API's message, nothing written
        WebElement extras = driver.findElement(By.id("extras"));
        extras.clear();
        extras.sendKeys("{\"tenant\": ");
        driver.findElement(By.cssSelector("form[action$='/" + a.id() + "'] button")).click();
        await(d -> d.findElement(By.id("record-error")).getText().contains("extras is not valid JSON"));
        assertEquals("{}", TestDatabase.text("select extras::text from \"user\" where id = ?", a.id()));
        Browser.screenshot(driver, "record");
    }

    @Test
    void endOneSessionThenMintAndUseAQuickToken() {
        Account a = Account.create(marker());
        String second = Api.login("main", a.email(), Api.PASSWORD);
        String firstJti = (String) Jwe.decrypt(a.token()).claims().get("jti");
        driver = Browser.open(1280, 900);
        signIn();
        driver.get(base() + "/console/staff/records/user/" + a.id());
        driver.findElement(By.cssSelector("form[action$='/sessions/" + firstJti + "/end'] button")).click();
        await(d -> d.findElement(By.cssSelector(".notice")).getText().contains("The session has ended."));
        me(a.token(), 401);
        me(second, 200);

        driver.findElement(By.linkText("Token workbench")).click();
        await(d -> d.findElement(By.id("mint-id")).isDisplayed());
        new Select(driver.findElement(By.id("mint-table"))).selectByValue("user");
        driver.findElement(By.id("mint-id")).sendKeys(Long.toString(a.id()));
        driver.findElement(By.cssSelector("form[action$='/workbench/mint'] button")).click();
        String token = await(d -> d.findElement(By.id("minted-token")).getAttribute("value"));
        assertTrue(driver.getPageSource().contains("/api:main/auth/me"), "the curl for auth/me");
        assertEquals(a.email(), Api.bearer(token).get("/api:main/auth/me").then().extract().path("email"));

        driver.findElement(By.id("inspect-token")).sendKeys(token);
        driver.findElement(By.cssSelector("form[action$='/workbench/inspect'] button")).click();
        await(d -> d.findElement(By.id("verdict")).getText().equals("valid"));
        assertTrue(driver.findElement(By.id("inspection")).getText().contains(Long.toString(a.id())));
    }

    @Test
    void aFormWithoutTheCsrfTokenIsRefused() {
        Account a = Account.create(marker());
        driver = Browser.open(1280, 900);
        signIn();
        driver.get(base() + "/console/staff/records/user/" + a.id());
        // the page's own form, its token taken out: the browser posts it with the cookies
        driver.executeScript("document.querySelectorAll('input[name=csrf]').forEach(e => e.remove());"
                + "document.getElementById('role').value = 'editor';");
        driver.findElement(By.cssSelector("form[action$='/" + a.id() + "'] button")).click();
        await(d -> d.findElement(By.tagName("h1")).getText().contains("This form has expired"));
        assertEquals("", TestDatabase.text("select coalesce(role, '') from \"user\" where id = ?", a.id()));
        me(a.token(), 200);
    }

    @Test
    void theMainFlowsWorkWithTheKeyboardAlone() {
        String marker = marker();
        Account a = Account.create(marker);
        driver = Browser.open(1280, 900);
        driver.get(base() + "/console/");
        // the email field has the focus; the group is staff, the only group with a console
        type(PostgresResource.ADMIN_EMAIL);
        type(Keys.TAB);
        type(PostgresResource.ADMIN_PASSWORD, Keys.ENTER);
        await(d -> d.getCurrentUrl().endsWith("/console/staff/records/user"));
        // the search field has the focus
        type(marker, Keys.ENTER);
        await(d -> d.findElement(By.id("results")).getText().contains("1 record matching"));
        tabTo(a.name());
        type(Keys.ENTER);
        await(d -> d.findElement(By.tagName("h1")).getText().contains(a.name()));
        // on a page loaded afresh the skip link is the first stop, then the navigation
        driver.get(driver.getCurrentUrl());
        type(Keys.TAB);
        assertEquals("Skip to content", driver.switchTo().activeElement().getText());
        tabTo("Token workbench");
        type(Keys.ENTER);
        await(d -> d.getCurrentUrl().endsWith("/console/staff/workbench"));
    }

    @Test
    void aNarrowScreenShowsEverythingWithoutScrollingSideways() {
        Account a = Account.create(marker());
        driver = Browser.open(375, 812);
        signIn();
        assertEquals(375L, driver.executeScript("return window.innerWidth"));
        driver.get(base() + "/console/staff/records/user/" + a.id());
        long overflow = (Long) driver.executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertTrue(overflow <= 0, "the page is " + overflow + " px wider than a 375 px screen");
        for (String link : new String[] { "user", "staff", "Lockouts", "Token workbench" }) {
            assertTrue(driver.findElement(By.linkText(link)).isDisplayed(), link);
        }
        assertTrue(driver.findElement(By.id("extras")).isDisplayed());
        Browser.screenshot(driver, "mobile");
    }

    @Test
    void noTokenReachesTheLog() throws IOException {
        Account a = Account.create(marker());
        driver = Browser.open(1280, 900);
        signIn();
        String session = driver.manage().getCookieNamed(ConsoleClient.SESSION).getValue();
        assertTrue(driver.manage().getCookieNamed(ConsoleClient.SESSION).isHttpOnly());
        assertEquals("Strict", driver.manage().getCookieNamed(ConsoleClient.SESSION).getSameSite());
        driver.get(base() + "/console/staff/workbench");
        driver.findElement(By.id("inspect-token")).sendKeys(a.token());
        driver.findElement(By.cssSelector("form[action$='/workbench/inspect'] button")).click();
        await(d -> d.findElement(By.id("verdict")).getText().equals("valid"));
        Path log = Path.of("target/quarkus.log");
        String written = Files.exists(log) ? Files.readString(log) : "";
        assertTrue(written.contains("inspected a token"), "the inspection is logged");
        assertFalse(written.contains(a.token()), "a pasted token in the log");
        assertFalse(written.contains(session), "the console's session token in the log");
    }

    private void type(CharSequence... keys) {
        driver.switchTo().activeElement().sendKeys(keys);
    }

    /** Tabs forward until the focused element's text is this (at most 40 stops). */
    private void tabTo(String text) {
        for (int i = 0; i < 40; i++) {
            if (driver.switchTo().activeElement().getText().equals(text)) {
                return;
            }
            type(Keys.TAB);
        }
        throw new AssertionError("no focusable element '" + text + "' within 40 tabs");
    }
}
