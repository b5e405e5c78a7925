package dev.authgate.mail;

import static dev.authgate.mail.MailApi.CHANGE;
import static dev.authgate.mail.MailApi.NOTICE;
import static dev.authgate.mail.MailApi.RESET;
import static dev.authgate.mail.MailApi.post;
import static dev.authgate.mail.MailApi.refused;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

import dev.authgate.support.Api;
import dev.authgate.support.PostgresResource;
import dev.authgate.support.TestDatabase;

/**
 * Issue 23 #3: an attacker who knows the password asks for an email change to their own address. Whatever the owner
 * does to take the account back voids the link already in the attacker's hands, and the notice to the old address
 * cancels the change, even one already confirmed.
 */
@QuarkusTest
@TestProfile(MailProfile.class)
class PendingChangeTest {

    private static final String NEW_PASSWORD = "a brand new password";

    /** The attacker's session (they know the password) asks for the change; answers the link mailed to them. */
    private static String pendingChange(String owner, String attacker) {
        String token = Api.login("main", owner, Api.PASSWORD);
        MailApi.post(token, "email-change", Map.of("new_email", attacker, "password", Api.PASSWORD)).statusCode(200);
        return Inbox.await(attacker, CHANGE).token();
    }

    private static String emailOf(long id) {
        return TestDatabase.text("select email from \"user\" where id = ?", id);
    }

    @Test
    void aPendingChangeDiesWithAPasswordReset() {
        String owner = Api.uniqueEmail();
        Api.signup(owner);
        long id = MailApi.id(owner);
        String attacker = Api.uniqueEmail();
        String link = pendingChange(owner, attacker);

        MailApi.sent("password-reset", Map.of("email", owner));
        post("password-reset/confirm", Map.of("token", Inbox.await(owner, RESET).token(), "new_password", NEW_PASSWORD))
                .statusCode(200);

        refused(post("email-change/confirm", Map.of("token", link)), "token");
        assertEquals(owner, emailOf(id));
        assertEquals(0, TestDatabase.scalar("select count(*) from auth_email_secret where account_id = ?"
                + " and purpose <> 'email-change-cancel' and used_at is null and dbtable = 'user'", id));
    }

    @Test
    void aPendingChangeDiesWithAPasswordChangeALogoutEverywhereAndAnAdministratorsChange() {
        String admin = Api.login("staff", PostgresResource.ADMIN_EMAIL, PostgresResource.ADMIN_PASSWORD);
        Map<String, BiConsumer<String, Long>> takeBacks = new LinkedHashMap<>();
        takeBacks.put("password change", (owner, id) -> Api.bearer(Api.login("main", owner, Api.PASSWORD))
                .contentType(ContentType.JSON)
                .body(Map.of("current_password", Api.PASSWORD, "new_password", NEW_PASSWORD))
                .post("/api:main/auth/password").then().statusCode(200));
        takeBacks.put("logout everywhere", (owner, id) -> Api.bearer(Api.login("main", owner, Api.PASSWORD))
                .contentType(ContentType.JSON).body(Map.of("scope", "global"))
                .post("/api:main/auth/logout").then().statusCode(200));
        takeBacks.put("administrator ends the sessions", (owner, id) -> Api.bearer(admin)
                .delete("/api:staff/user/" + id + "/sessions").then().statusCode(200));
        takeBacks.put("administrator sets a password", (owner, id) -> Api.bearer(admin).contentType(ContentType.JSON)
                .body(Map.of("password", NEW_PASSWORD)).patch("/api:staff/user/" + id).then().statusCode(200));
        takeBacks.put("administrator sets a role", (owner, id) -> Api.bearer(admin).contentType(ContentType.JSON)
                .body(Map.of("role", "member")).patch("/api:staff/user/" + id).then().statusCode(200));
        takeBacks.forEach((what, takeBack) -> {
            String owner = Api.uniqueEmail();
            Api.signup(owner);
            long id = MailApi.id(owner);
            String link = pendingChange(owner, Api.uniqueEmail());
            takeBack.accept(owner, id);
            refused(post("email-change/confirm", Map.of("token", link)), "token");
            assertEquals(owner, emailOf(id), what);
        });
    }

    @Test
    void theNoticeCancelsThePendingChangeEndsTheSessionsAndVoidsThePassword() {
        String owner = Api.uniqueEmail();
        String ownersToken = Api.signup(owner);
        long id = MailApi.id(owner);
        String attacker = Api.uniqueEmail();
        String link = pendingChange(owner, attacker);
        Inbox.Letter notice = Inbox.await(owner, NOTICE);
        assertTrue(notice.link().startsWith(Inbox.LINK_BASE + "/cancel-email-change?token="), notice.link());

        post("email-change/cancel", Map.of("token", notice.token())).statusCode(200)
                .body("cancelled", equalTo(true)).body("size()", equalTo(1));

        refused(post("email-change/confirm", Map.of("token", link)), "token");
        assertEquals(owner, emailOf(id));
        Api.bearer(ownersToken).get("/api:main/auth/me").then().statusCode(401);
        assertEquals(0, TestDatabase.scalar("select count(*) from auth_session where dbtable = 'user'"
                + " and account_id = ?", id));
        given().contentType(ContentType.JSON).body(Map.of("email", owner, "password", Api.PASSWORD))
                .post("/api:main/auth/login").then().statusCode(403).body("code", equalTo("ERROR_CODE_ACCESS_DENIED"));
        refused(post("email-change/cancel", Map.of("token", notice.token())), "token"); // single use

        // the owner comes back through the old address
        MailApi.sent("password-reset", Map.of("email", owner));
        post("password-reset/confirm", Map.of("token", Inbox.await(owner, RESET).token(), "new_password", NEW_PASSWORD))
                .statusCode(200);
        Api.login("main", owner, NEW_PASSWORD);
    }

    @Test
    void theNoticeUndoesAChangeTheAttackerConfirmedAndFollowedWithAReset() {
        String owner = Api.uniqueEmail();
        Api.signup(owner);
        long id = MailApi.id(owner);
        String attacker = Api.uniqueEmail();
        String attackersToken = Api.login("main", owner, Api.PASSWORD);
        MailApi.post(attackersToken, "email-change", Map.of("new_email", attacker, "password", Api.PASSWORD))
                .statusCode(200);
        MailApi.post(attackersToken, "email-change/confirm", Map.of("token", Inbox.await(attacker, CHANGE).token()))
                .statusCode(200).body("email", equalTo(attacker));
        MailApi.sent("password-reset", Map.of("email", attacker));
        String attackersReset = post("password-reset/confirm", Map.of("token", Inbox.await(attacker, RESET).token(),
                "new_password", NEW_PASSWORD)).statusCode(200).extract().path("authToken");

        post("email-change/cancel", Map.of("token", Inbox.await(owner, NOTICE).token())).statusCode(200);

        assertEquals(owner, emailOf(id));
        Api.bearer(attackersReset).get("/api:main/auth/me").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("email", attacker, "password", NEW_PASSWORD))
                .post("/api:main/auth/login").then().statusCode(403);
        given().contentType(ContentType.JSON).body(Map.of("email", owner, "password", NEW_PASSWORD))
                .post("/api:main/auth/login").then().statusCode(403);
    }

    @Test
    void aCancelTokenIsCheckedForForm() {
        refused(post("email-change/cancel", Map.of("token", "A".repeat(43))), "token");
        refused(post("email-change/cancel", Map.of()), "token");
    }
}
