package dev.authgate.mail;

import static dev.authgate.mail.MailApi.MAGIC;
import static dev.authgate.mail.MailApi.post;
import static dev.authgate.mail.MailApi.refused;
import static dev.authgate.mail.MailApi.sent;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import dev.authgate.support.Api;
import dev.authgate.support.Jwe;
import dev.authgate.support.TestDatabase;

@QuarkusTest
@TestProfile(MailProfile.class)
class MagicLinkTest {

    private static Inbox.Letter request(String email) {
        int before = Inbox.all(email, MAGIC).size();
        sent("magic-link", Map.of("email", email));
        return Inbox.await(email, MAGIC, before + 1);
    }

    private static String wrong(String code) {
        return String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);
    }

    @Test
    void theLinkSignsInOnceAndVoidsTheCode() {
        String email = Api.uniqueEmail();
        Api.signup(email);
        Inbox.Letter mail = request(email);
        assertTrue(mail.link().startsWith(Inbox.LINK_BASE + "/magic-link?token="), mail.link());
        assertTrue(mail.html().contains(mail.code()), "the HTML part shows the code too");
        String token = post("magic-link/login", Map.of("token", mail.token())).statusCode(200)
                .extract().path("authToken");
        Api.bearer(token).get("/api:main/auth/me").then().statusCode(200).body("email", equalTo(email))
                .body("verified", equalTo(true));
        assertEquals(true, ((Map<?, ?>) Jwe.decrypt(token).claims().get("extras")).get("verified"));
        assertEquals(MailApi.id(email), ((Number) Jwe.decrypt(token).claims().get("id")).longValue());

        refused(post("magic-link/login", Map.of("token", mail.token())), "token");
        refused(post("magic-link/login", Map.of("email", email, "code", mail.code())), "code");
    }

    @Test
    void theCodeSignsInOnceAndVoidsTheLink() {
        String email = Api.uniqueEmail();
        Api.signup(email);
        Inbox.Letter mail = request(email);
        assertEquals(900, TestDatabase.scalar("select extract(epoch from expires_at - created_at)::bigint"
                + " from auth_email_secret where email = ? and purpose = 'magic-code' and used_at is null", email));
        post("magic-link/login", Map.of("email", " " + email.toUpperCase(), "code", mail.code())).statusCode(200);
        refused(post("magic-link/login", Map.of("email", email, "code", mail.code())), "code");
        refused(post("magic-link/login", Map.of("token", mail.token())), "token");
    }

    @Test
    void fiveWrongCodesVoidTheCode() {
        String email = Api.uniqueEmail();
        Api.signup(email);
        String code = request(email).code();
        for (int i = 0; i < 5; i++) {
            refused(post("magic-link/login", Map.of("email", email, "code", wrong(code))), "code");
        }
        refused(post("magic-link/login", Map.of("email", email, "code", code)), "code");
        assertEquals(5, TestDatabase.scalar("select attempts from auth_email_secret where email = ?"
                + " and purpose = 'magic-code'", email));

        // four wrong tries leave the fifth to the right code
        String next = request(email).code();
        for (int i = 0; i < 4; i++) {
            refused(post("magic-link/login", Map.of("email", email, "code", wrong(next))), "code");
        }
        post("magic-link/login", Map.of("email", email, "code", next)).statusCode(200);
    }

    /** Issue 23 #7: wrong codes count per email across codes; past the budget only the link signs in, for a while. */
    @Test
    void wrongCodesCountAcrossCodesAndPastTheBudgetOnlyTheLinkSignsIn() {
        String email = Api.uniqueEmail();
        Api.signup(email);
        int spent = 0;
        while (spent < MailProfile.MAX_CODE_FAILURES) { // 5 + 5 + 2: each new mail would buy 5 more today
            String code = request(email).code();
            for (int i = 0; i < 5 && spent < MailProfile.MAX_CODE_FAILURES; i++, spent++) {
                refused(post("magic-link/login", Map.of("email", email, "code", wrong(code))), "code");
            }
        }
        assertEquals(MailProfile.MAX_CODE_FAILURES, TestDatabase.scalar("select count(*) from auth_code_failure"
                + " where dbtable = 'user' and email = ?", email));

        Inbox.Letter mail = request(email);
        refused(post("magic-link/login", Map.of("email", email, "code", mail.code())), "code");
        assertEquals(0, TestDatabase.scalar("select attempts from auth_email_secret where email = ? and purpose ="
                + " 'magic-code' and used_at is null", email) - 1, "the code was not compared, only its try spent");
        post("magic-link/login", Map.of("token", mail.token())).statusCode(200);

        // once the window has passed, codes work again
        TestDatabase.update("update auth_code_failure set at = at - interval '25 hours' where email = ?", email);
        Inbox.Letter later = request(email);
        post("magic-link/login", Map.of("email", email, "code", later.code())).statusCode(200);
    }

    @Test
    void ofTwoSimultaneousCodeLoginsExactlyOneWins() throws Exception {
        String email = Api.uniqueEmail();
        Api.signup(email);
        String code = request(email).code();
        assertEquals(List.of(200, 400), MailApi.race(() -> post("magic-link/login",
                Map.of("email", email, "code", code)).extract().statusCode()));
    }

    @Test
    void expiredCodesAndLinksAreRefused() {
        String email = Api.uniqueEmail();
        Api.signup(email);
        Inbox.Letter mail = request(email);
        assertEquals(1, MailApi.age(email, "magic-code"));
        assertEquals(1, MailApi.age(email, "magic-link"));
        refused(post("magic-link/login", Map.of("email", email, "code", mail.code())), "code");
        refused(post("magic-link/login", Map.of("token", mail.token())), "token");
    }

    @Test
    void anUnknownEmailGetsTheSameAnswerAndItsCodesFailLikeAnyOther() {
        String unknown = Api.uniqueEmail();
        sent("magic-link", Map.of("email", unknown));
        assertEquals(2, TestDatabase.scalar("select count(*) from auth_email_secret where email = ?"
                + " and account_id is null and purpose in ('magic-link', 'magic-code')", unknown));
        refused(post("magic-link/login", Map.of("email", unknown, "code", "123456")), "code");
        Inbox.sleep(1000);
        assertEquals(0, Inbox.all(unknown, MAGIC).size());
    }

    @Test
    void badInputNamesTheField() {
        refused(post("magic-link", Map.of()), "email");
        refused(post("magic-link/login", Map.of()), "email");
        refused(post("magic-link/login", Map.of("email", Api.uniqueEmail())), "code");
        refused(post("magic-link/login", Map.of("email", Api.uniqueEmail(), "code", "12345")), "code");
        refused(post("magic-link/login", Map.of("email", Api.uniqueEmail(), "code", "12345a")), "code");
        refused(post("magic-link/login", Map.of("token", "../../etc")), "token");
    }
}
