package dev.authgate.mail;

import static dev.authgate.mail.MailApi.VERIFY;
import static dev.authgate.mail.MailApi.post;
import static dev.authgate.mail.MailApi.refused;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import dev.authgate.support.Api;
import dev.authgate.support.Jwe;
import dev.authgate.support.TestDatabase;

@QuarkusTest
@TestProfile(MailProfile.class)
class VerifyEmailTest {

    private static Map<?, ?> extras(String token) {
        return (Map<?, ?>) Jwe.decrypt(token).claims().get("extras");
    }

    @Test
    void signupMailsALinkThatVerifiesTheAccountForTokensIssuedAfterwards() {
        String email = Api.uniqueEmail();
        String before = Api.signup(email);
        assertFalse(extras(before).containsKey("verified"));
        Api.bearer(before).get("/probe/verified").then().statusCode(403);
        Api.bearer(before).get("/api:main/auth/me").then().statusCode(200).body("verified", equalTo(false));

        Inbox.Letter mail = Inbox.await(email, VERIFY);
        assertTrue(mail.link().startsWith(Inbox.LINK_BASE + "/verify-email?token="), mail.link());
        // sent with the sign-up's token: the normal path keeps the password and the session (issue 23 #5)
        MailApi.post(before, "verify-email", Map.of("token", mail.token())).statusCode(200)
                .body("verified", equalTo(true)).body("size()", equalTo(1));

        assertEquals("t", TestDatabase.text("select verified from \"user\" where email = ?", email));
        Api.bearer(before).get("/api:main/auth/me").then().statusCode(200).body("verified", equalTo(true));
        String after = Api.login("main", email, Api.PASSWORD);
        assertEquals(true, extras(after).get("verified"));
        Api.bearer(after).get("/probe/verified").then().statusCode(200);

        refused(post("verify-email", Map.of("token", mail.token())), "token"); // replay
    }

    @Test
    void resendMailsANewLinkAndVoidsTheOldOne() {
        String email = Api.uniqueEmail();
        String token = Api.signup(email);
        String first = Inbox.await(email, VERIFY, 1).token();
        MailApi.post(token, "verify-email/resend", Map.of()).statusCode(200).body("sent", equalTo(true));
        String second = Inbox.await(email, VERIFY, 2).token();
        refused(post("verify-email", Map.of("token", first)), "token");
        MailApi.post(token, "verify-email", Map.of("token", second)).statusCode(200);

        // verified already: the same answer, nothing mailed
        MailApi.post(token, "verify-email/resend", Map.of()).statusCode(200).body("sent", equalTo(true));
        Inbox.sleep(1000);
        assertEquals(2, Inbox.all(email, VERIFY).size());
    }

    @Test
    void resendNeedsAToken() {
        post("verify-email/resend", Map.of()).statusCode(401).body("code", equalTo("ERROR_CODE_UNAUTHORIZED"));
    }

    @Test
    void anExpiredOrMalformedLinkIsRefused() {
        String email = Api.uniqueEmail();
        Api.signup(email);
        String token = Inbox.await(email, VERIFY).token();
        assertEquals(1, MailApi.age(email, "verify"));
        refused(post("verify-email", Map.of("token", token)), "token");
        refused(post("verify-email", Map.of("token", "not-a-token")), "token");
        refused(post("verify-email", Map.of()), "token");
        assertEquals("f", TestDatabase.text("select verified from \"user\" where email = ?", email));
    }

    @Test
    void aLinkIsForTheAddressItWasMailedTo() {
        String email = Api.uniqueEmail();
        Api.signup(email);
        String token = Inbox.await(email, VERIFY).token();
        TestDatabase.update("update \"user\" set email = ? where email = ?", "moved-" + email, email);
        refused(post("verify-email", Map.of("token", token)), "token");
        assertEquals("f", TestDatabase.text("select verified from \"user\" where email = ?", "moved-" + email));
    }
}
