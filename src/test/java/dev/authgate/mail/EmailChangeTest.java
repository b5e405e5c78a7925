package dev.authgate.mail;

import static dev.authgate.mail.MailApi.CHANGE;
import static dev.authgate.mail.MailApi.NOTICE;
import static dev.authgate.mail.MailApi.post;
import static dev.authgate.mail.MailApi.refused;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

import dev.authgate.support.Api;
import dev.authgate.support.TestDatabase;

@QuarkusTest
@TestProfile(MailProfile.class)
class EmailChangeTest {

    @Test
    void theNewAddressConfirmsTheChangeAndTheOldOneIsTold() {
        String old = Api.uniqueEmail();
        String token = Api.signup(old);
        long id = MailApi.id(old);
        String fresh = Api.uniqueEmail();

        MailApi.post(token, "email-change", Map.of("new_email", " " + fresh.toUpperCase(), "password", Api.PASSWORD))
                .statusCode(200).body("sent", equalTo(true));
        Inbox.Letter link = Inbox.await(fresh, CHANGE);
        assertTrue(link.link().startsWith(Inbox.LINK_BASE + "/confirm-email-change?token="), link.link());
        Inbox.Letter notice = Inbox.await(old, NOTICE);
        assertTrue(notice.text().contains(fresh), notice.text());
        assertEquals(old, TestDatabase.text("select email from \"user\" where id = ?", id), "nothing changes yet");

        // confirmed with the account's token: the password and the session stay (issue 23 #5)
        MailApi.post(token, "email-change/confirm", Map.of("token", link.token())).statusCode(200)
                .body("id", equalTo((int) id)).body("email", equalTo(fresh)).body("verified", equalTo(true))
                .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("password_hash")));
        assertEquals(fresh, TestDatabase.text("select email from \"user\" where id = ?", id));
        Api.login("main", fresh, Api.PASSWORD);
        io.restassured.RestAssured.given().contentType(ContentType.JSON)
                .body(Map.of("email", old, "password", Api.PASSWORD)).post("/api:main/auth/login").then().statusCode(403);
        Api.bearer(token).get("/api:main/auth/me").then().statusCode(200).body("email", equalTo(fresh));

        refused(post("email-change/confirm", Map.of("token", link.token())), "token"); // replay
    }

    @Test
    void theCurrentPasswordAndATokenAreRequired() {
        String email = Api.uniqueEmail();
        String token = Api.signup(email);
        MailApi.post(token, "email-change", Map.of("new_email", Api.uniqueEmail(), "password", "not the password"))
                .statusCode(403).body("code", equalTo("ERROR_CODE_ACCESS_DENIED"));
        post("email-change", Map.of("new_email", Api.uniqueEmail(), "password", Api.PASSWORD)).statusCode(401);
        refused(MailApi.post(token, "email-change", Map.of("password", Api.PASSWORD)), "new_email");
        refused(MailApi.post(token, "email-change", Map.of("new_email", "nope", "password", Api.PASSWORD)), "new_email");
        refused(MailApi.post(token, "email-change", Map.of("new_email", email, "password", Api.PASSWORD)), "new_email");
        refused(MailApi.post(token, "email-change", Map.of("new_email", Api.uniqueEmail())), "password");
        refused(post("email-change/confirm", Map.of("token", "A".repeat(43))), "token");
        refused(post("email-change/confirm", Map.of("token", "A")), "token");
    }

    @Test
    void aTakenAddressGetsTheSameAnswerAndNoLink() {
        String email = Api.uniqueEmail();
        String token = Api.signup(email);
        String taken = Api.uniqueEmail();
        Api.signup(taken);
        MailApi.post(token, "email-change", Map.of("new_email", taken, "password", Api.PASSWORD))
                .statusCode(200).body("sent", equalTo(true));
        Inbox.await(email, NOTICE);
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_email_secret where new_email = ?"
                + " and account_id is null", taken));
        Inbox.sleep(1000);
        assertEquals(0, Inbox.all(taken, CHANGE).size());
    }

    /** Signs up with one address and answers the token mailed to the other after asking for the change. */
    private static String changeLink(String email, String fresh) {
        String token = Api.signup(email);
        MailApi.post(token, "email-change", Map.of("new_email", fresh, "password", Api.PASSWORD)).statusCode(200);
        return Inbox.await(fresh, CHANGE).token();
    }

    @Test
    void anAddressTakenBeforeTheConfirmIsRefused() {
        String email = Api.uniqueEmail();
        String fresh = Api.uniqueEmail();
        String link = changeLink(email, fresh);
        Api.signup(fresh);
        post("email-change/confirm", Map.of("token", link)).statusCode(403).body("code", equalTo("ERROR_CODE_ACCESS_DENIED"));
        assertEquals(email, TestDatabase.text("select email from \"user\" where id = ?", MailApi.id(email)));
    }

    @Test
    void anExpiredLinkIsRefused() {
        String email = Api.uniqueEmail();
        String fresh = Api.uniqueEmail();
        String link = changeLink(email, fresh);
        assertEquals(1, MailApi.age(email, "email-change"));
        refused(post("email-change/confirm", Map.of("token", link)), "token");
    }
}
