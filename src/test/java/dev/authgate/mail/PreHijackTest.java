package dev.authgate.mail;

import static dev.authgate.mail.MailApi.CHANGE;
import static dev.authgate.mail.MailApi.MAGIC;
import static dev.authgate.mail.MailApi.RESET;
import static dev.authgate.mail.MailApi.VERIFY;
import static dev.authgate.mail.MailApi.post;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

import dev.authgate.support.Api;
import dev.authgate.support.Jwe;
import dev.authgate.support.TestDatabase;

/**
 * Issue 23 #5, account pre-hijacking: the attacker signs up the victim's address with their own password; the victim
 * later proves the address (verification link, magic link or code). The attacker's password and sessions must not
 * survive that proof. The owner's own "sign up, then verify with the sign-up's token" keeps both.
 */
@QuarkusTest
@TestProfile(MailProfile.class)
class PreHijackTest {

    private static final String ATTACKERS = "the attacker's password";

    private static void loginRefused(String email, String password) {
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", password))
                .post("/api:main/auth/login").then().statusCode(403).body("code", equalTo("ERROR_CODE_ACCESS_DENIED"));
    }

    private static long sessions(long id) {
        return TestDatabase.scalar("select count(*) from auth_session where dbtable = 'user' and account_id = ?", id);
    }

    private static void attackerIsOut(String victim, String attackersToken, long id) {
        Api.bearer(attackersToken).get("/api:main/auth/me").then().statusCode(401);
        loginRefused(victim, ATTACKERS);
        assertEquals(0, TestDatabase.scalar("select count(*) from auth_email_secret where dbtable = 'user'"
                + " and account_id = ? and used_at is null", id), "no mailed secret outlives the proof");
    }

    @Test
    void theOwnersVerificationVoidsThePasswordAndSessionsSetBeforeIt() {
        String victim = Api.uniqueEmail();
        String attackersToken = Api.signup("main", victim, ATTACKERS);
        String attackersLogin = Api.login("main", victim, ATTACKERS);
        long id = MailApi.id(victim);

        post("verify-email", Map.of("token", Inbox.await(victim, VERIFY).token())).statusCode(200)
                .body("verified", equalTo(true));

        attackerIsOut(victim, attackersToken, id);
        Api.bearer(attackersLogin).get("/api:main/auth/me").then().statusCode(401);
        assertEquals(0, sessions(id));
        // the owner sets a password through the address they just proved
        MailApi.sent("password-reset", Map.of("email", victim));
        post("password-reset/confirm", Map.of("token", Inbox.await(victim, RESET).token(), "new_password",
                "the owner's password")).statusCode(200);
        Api.login("main", victim, "the owner's password");
    }

    @Test
    void theOwnersMagicLinkVoidsThePasswordAndSessionsSetBeforeIt() {
        String victim = Api.uniqueEmail();
        String attackersToken = Api.signup("main", victim, ATTACKERS);
        long id = MailApi.id(victim);

        MailApi.sent("magic-link", Map.of("email", victim));
        String owners = post("magic-link/login", Map.of("token", Inbox.await(victim, MAGIC).token())).statusCode(200)
                .extract().path("authToken");

        attackerIsOut(victim, attackersToken, id);
        assertEquals(1, sessions(id), "only the magic link's session");
        Api.bearer(owners).get("/api:main/auth/me").then().statusCode(200);
        assertEquals(true, ((Map<?, ?>) Jwe.decrypt(owners).claims().get("extras")).get("verified"));
    }

    @Test
    void theOwnersMagicCodeVoidsThePasswordAndSessionsSetBeforeIt() {
        String victim = Api.uniqueEmail();
        String attackersToken = Api.signup("main", victim, ATTACKERS);
        long id = MailApi.id(victim);

        MailApi.sent("magic-link", Map.of("email", victim));
        String owners = post("magic-link/login", Map.of("email", victim, "code", Inbox.await(victim, MAGIC).code()))
                .statusCode(200).extract().path("authToken");

        attackerIsOut(victim, attackersToken, id);
        Api.bearer(owners).get("/api:main/auth/me").then().statusCode(200);
    }

    @Test
    void confirmingAChangeToTheVictimsAddressVoidsThePasswordThatAskedForIt() {
        String attackers = Api.uniqueEmail();
        String attackersToken = Api.signup("main", attackers, ATTACKERS);
        long id = MailApi.id(attackers);
        String victim = Api.uniqueEmail();
        MailApi.post(attackersToken, "email-change", Map.of("new_email", victim, "password", ATTACKERS))
                .statusCode(200);

        post("email-change/confirm", Map.of("token", Inbox.await(victim, CHANGE).token())).statusCode(200)
                .body("email", equalTo(victim));

        Api.bearer(attackersToken).get("/api:main/auth/me").then().statusCode(401);
        loginRefused(victim, ATTACKERS);
        assertEquals(0, sessions(id));
    }

    @Test
    void aTokenOfAnotherAccountOrNotOpenedWithThePasswordDoesNotKeepIt() {
        String victim = Api.uniqueEmail();
        String attackersToken = Api.signup("main", victim, ATTACKERS);
        String stranger = Api.signup(Api.uniqueEmail());
        MailApi.post(stranger, "verify-email", Map.of("token", Inbox.await(victim, VERIFY).token())).statusCode(200);
        Api.bearer(attackersToken).get("/api:main/auth/me").then().statusCode(401);
        loginRefused(victim, ATTACKERS);
        Api.bearer(stranger).get("/api:main/auth/me").then().statusCode(200);
    }

    @Test
    void signingUpThenVerifyingWithTheSignUpsTokenKeepsThePasswordAndTheOtherSessions() {
        String email = Api.uniqueEmail();
        String signup = Api.signup(email);
        String otherDevice = Api.login("main", email, Api.PASSWORD);

        MailApi.post(signup, "verify-email", Map.of("token", Inbox.await(email, VERIFY).token())).statusCode(200);

        Api.bearer(signup).get("/api:main/auth/me").then().statusCode(200);
        assertEquals("t", TestDatabase.text("select verified from \"user\" where email = ?", email));
        Api.bearer(otherDevice).get("/api:main/auth/me").then().statusCode(200);
        Api.login("main", email, Api.PASSWORD);
    }

    @Test
    void aMagicLinkToAnAddressProvedAlreadyLeavesThePassword() {
        String email = Api.uniqueEmail();
        String signup = Api.signup(email);
        MailApi.post(signup, "verify-email", Map.of("token", Inbox.await(email, VERIFY).token())).statusCode(200);

        MailApi.sent("magic-link", Map.of("email", email));
        post("magic-link/login", Map.of("token", Inbox.await(email, MAGIC).token())).statusCode(200);

        Api.bearer(signup).get("/api:main/auth/me").then().statusCode(200);
        Api.login("main", email, Api.PASSWORD);
    }
}
