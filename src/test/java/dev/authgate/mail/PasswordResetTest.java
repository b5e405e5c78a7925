package dev.authgate.mail;

import static dev.authgate.mail.MailApi.RESET;
import static dev.authgate.mail.MailApi.post;
import static dev.authgate.mail.MailApi.refused;
import static dev.authgate.mail.MailApi.sent;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.mail.internet.InternetAddress;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

import dev.authgate.support.Api;
import dev.authgate.support.Jwe;
import dev.authgate.support.SmtpResource;
import dev.authgate.support.TestDatabase;

@QuarkusTest
@TestProfile(MailProfile.class)
class PasswordResetTest {

    static final String NEW_PASSWORD = "a brand new passphrase";

    @Test
    void theMailedLinkSetsTheNewPasswordAndEndsEveryOtherToken() throws Exception {
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = capture(logged);
        Logger.getLogger("").addHandler(capture);
        try {
            String email = Api.uniqueEmail();
            String first = Api.signup(email);
            String second = Api.login("main", email, Api.PASSWORD);
            long id = MailApi.id(email);
            String oldHash = TestDatabase.text("select password_hash from \"user\" where id = ?", id);

            sent("password-reset", Map.of("email", "  " + email.toUpperCase() + " "));
            Inbox.Letter mail = Inbox.await(email, RESET);
            assertEquals(new InternetAddress(SmtpResource.FROM), mail.message().getFrom()[0]);
            assertEquals(email, mail.message().getAllRecipients()[0].toString());
            assertTrue(mail.link().startsWith(Inbox.LINK_BASE + "/reset?token="), mail.link());
            String token = mail.token();
            assertEquals(43, token.length(), "256 bits, base64url");
            assertTrue(mail.html().contains("href=\"" + mail.link() + "\""), "the HTML part links too");
            // stored only as its SHA-256
            assertEquals(1, TestDatabase.scalar("select count(*) from auth_email_secret where hash ="
                    + " sha256(convert_to(?, 'UTF8')) and purpose = 'reset' and account_id = ?", token, id));
            assertEquals(0, TestDatabase.scalar("select count(*) from auth_email_secret where position("
                    + "convert_to(?, 'UTF8') in hash) > 0 or email = ? or coalesce(new_email, '') = ?", token, token, token));
            assertEquals(3600, TestDatabase.scalar("select extract(epoch from expires_at - created_at)::bigint"
                    + " from auth_email_secret where hash = sha256(convert_to(?, 'UTF8'))", token));

            String fresh = post("password-reset/confirm", Map.of("token", token, "new_password", NEW_PASSWORD))
                    .statusCode(200).extract().path("authToken");

            assertNotEquals(oldHash, TestDatabase.text("select password_hash from \"user\" where id = ?", id));
            assertEquals(1, TestDatabase.scalar("select count(*) from auth_session where dbtable = 'user' and account_id = ?", id));
            Api.bearer(first).get("/api:main/auth/me").then().statusCode(401);
            Api.bearer(second).get("/api:main/auth/me").then().statusCode(401);
            Api.bearer(fresh).get("/api:main/auth/me").then().statusCode(200).body("email", equalTo(email))
                    .body("verified", equalTo(true));
            assertEquals(true, ((Map<?, ?>) Jwe.decrypt(fresh).claims().get("extras")).get("verified"),
                    "the reset proved the address");
            Api.login("main", email, NEW_PASSWORD);
            io.restassured.RestAssured.given().contentType(ContentType.JSON)
                    .body(Map.of("email", email, "password", Api.PASSWORD)).post("/api:main/auth/login")
                    .then().statusCode(403);

            // replay
            refused(post("password-reset/confirm", Map.of("token", token, "new_password", "yet another one")), "token");
            Api.login("main", email, NEW_PASSWORD);
            assertFalse(logged.stream().anyMatch(line -> line.contains(token)), "the token is in no log line");
        } finally {
            Logger.getLogger("").removeHandler(capture);
        }
    }

    @Test
    void ofTwoSimultaneousConfirmsExactlyOneWins() throws Exception {
        String email = Api.uniqueEmail();
        String token = resetToken(email);
        assertEquals(List.of(200, 400), MailApi.race(() -> post("password-reset/confirm",
                Map.of("token", token, "new_password", NEW_PASSWORD)).extract().statusCode()));
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_session s join \"user\" u on u.id = s.account_id"
                + " and s.dbtable = 'user' where u.email = ?", email), "one token: the winner's");
    }

    /** Signs up and answers the token of a requested reset. */
    private static String resetToken(String email) {
        Api.signup(email);
        sent("password-reset", Map.of("email", email));
        return Inbox.await(email, RESET).token();
    }

    @Test
    void anExpiredLinkIsRefused() {
        String email = Api.uniqueEmail();
        String token = resetToken(email);
        assertEquals(1, MailApi.age(email, "reset"));
        refused(post("password-reset/confirm", Map.of("token", token, "new_password", NEW_PASSWORD)), "token");
        Api.login("main", email, Api.PASSWORD);
    }

    @Test
    void onlyTheNewestLinkWorks() {
        String email = Api.uniqueEmail();
        Api.signup(email);
        sent("password-reset", Map.of("email", email));
        sent("password-reset", Map.of("email", email));
        String older = Inbox.await(email, RESET, 1).token();
        String newer = Inbox.await(email, RESET, 2).token();
        refused(post("password-reset/confirm", Map.of("token", older, "new_password", NEW_PASSWORD)), "token");
        post("password-reset/confirm", Map.of("token", newer, "new_password", NEW_PASSWORD)).statusCode(200);
    }

    @Test
    void anUnknownEmailGetsTheSameAnswerAndTheSameWorkButNoMail() {
        String unknown = Api.uniqueEmail();
        String known = Api.uniqueEmail();
        Api.signup(known);
        String unknownBody = post("password-reset", Map.of("email", unknown)).statusCode(200).extract().asString();
        String knownBody = post("password-reset", Map.of("email", known)).statusCode(200).extract().asString();
        assertEquals("{\"sent\":true}", unknownBody);
        assertEquals(knownBody, unknownBody);
        // the same statements ran: a decoy secret, owned by no account
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_email_secret where email = ? and purpose = 'reset'"
                + " and account_id is null", unknown));
        Inbox.await(known, RESET);
        Inbox.sleep(1000);
        assertEquals(0, Inbox.all(unknown, RESET).size(), "nothing mailed");
    }

    @Test
    void aResetForADeletedAccountFailsCleanly() {
        String email = Api.uniqueEmail();
        String token = resetToken(email);
        TestDatabase.update("delete from \"user\" where email = ?", email);
        refused(post("password-reset/confirm", Map.of("token", token, "new_password", NEW_PASSWORD)), "token");
    }

    @Test
    void badInputNamesTheField() {
        refused(post("password-reset", Map.of()), "email");
        refused(post("password-reset", Map.of("email", "not an address")), "email");
        refused(post("password-reset/confirm", Map.of("new_password", NEW_PASSWORD)), "token");
        refused(post("password-reset/confirm", Map.of("token", "short", "new_password", NEW_PASSWORD)), "token");
        refused(post("password-reset/confirm", Map.of("token", "x".repeat(42) + "=", "new_password", NEW_PASSWORD)), "token");
        // well-formed but never issued
        refused(post("password-reset/confirm", Map.of("token", "A".repeat(43), "new_password", NEW_PASSWORD)), "token");
        refused(post("password-reset/confirm", Map.of("token", "A".repeat(43), "new_password", "short")), "new_password");
        refused(post("password-reset/confirm", Map.of("token", "A".repeat(43))), "new_password");
    }

    @Test
    void requestsAreThrottledPerEmailAndPerAddress() {
        String email = Api.uniqueEmail();
        Api.signup(email);
        for (int i = 0; i < 5; i++) {
            sent("password-reset", Map.of("email", email));
        }
        String retry = post("password-reset", Map.of("email", email)).statusCode(429)
                .body("code", equalTo("ERROR_CODE_TOO_MANY_REQUESTS")).extract().header("Retry-After");
        assertTrue(Long.parseLong(retry) >= 1 && Long.parseLong(retry) <= 901, retry);
        // an unknown email is throttled the same way
        String unknown = Api.uniqueEmail();
        for (int i = 0; i < 5; i++) {
            sent("password-reset", Map.of("email", unknown));
        }
        post("password-reset", Map.of("email", unknown)).statusCode(429).header("Retry-After", startsWith(""));

        String address = MailApi.client();
        for (int i = 0; i < MailProfile.MAX_PER_ADDRESS; i++) {
            MailApi.from(address).body(Map.of("email", Api.uniqueEmail())).post("/api:main/auth/password-reset")
                    .then().statusCode(200);
        }
        MailApi.from(address).body(Map.of("email", Api.uniqueEmail())).post("/api:main/auth/password-reset")
                .then().statusCode(429).body("code", equalTo("ERROR_CODE_TOO_MANY_REQUESTS"));
    }

    static Handler capture(List<String> into) {
        return new Handler() {
            @Override
            public void publish(LogRecord record) {
                into.add(String.valueOf(record.getMessage()) + " " + java.util.Arrays.toString(record.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }
}
