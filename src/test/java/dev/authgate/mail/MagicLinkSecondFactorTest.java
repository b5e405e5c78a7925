package dev.authgate.mail;

import static dev.authgate.mail.MailApi.MAGIC;
import static dev.authgate.mail.MailApi.post;
import static dev.authgate.mail.MailApi.sent;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import dev.authgate.mfa.Mfa;
import dev.authgate.support.Jwe;

/** A mailed code or link is one factor: an account with a second factor gets the login step, as from auth/login. */
@QuarkusTest
@TestProfile(MailProfile.class)
class MagicLinkSecondFactorTest {

    @Test
    void theMagicLinkOfAnAccountWithAFactorWaitsForTheCodeAndGivesMailAndOtp() {
        Mfa.Enrolled a = Mfa.enrolled();
        int before = Inbox.all(a.email(), MAGIC).size();
        sent("magic-link", Map.of("email", a.email()));
        Inbox.Letter mail = Inbox.await(a.email(), MAGIC, before + 1);
        String mfaToken = post("magic-link/login", Map.of("token", mail.token())).statusCode(200)
                .body("mfa_required", equalTo(true)).body("$", not(hasKey("authToken")))
                .body("factors[0].id", equalTo(a.factorId())).extract().path("mfa_token");
        String token = Mfa.verify(mfaToken, a.code(1)).then().statusCode(200).extract().path("authToken");
        Map<String, Object> claims = Jwe.decrypt(token).claims();
        assertEquals(2L, ((Number) claims.get("aal")).longValue());
        assertEquals(List.of("mail", "otp"), claims.get("amr"));
    }

    @Test
    void aRecoveryCodeUsedToSignInIsNoticedByMail() {
        Mfa.Enrolled a = Mfa.enrolled();
        String token = Mfa.verify(Mfa.mfaToken(a.email()), a.recoveryCodes().get(0)).then().statusCode(200)
                .extract().path("authToken");
        assertEquals(List.of("pwd", "otp", "rc"), Jwe.decrypt(token).claims().get("amr"));
        Inbox.Letter notice = Inbox.await(a.email(), "A recovery code was used to sign in");
        org.junit.jupiter.api.Assertions.assertTrue(notice.text().contains("9 recovery codes are left"), notice.text());
        org.junit.jupiter.api.Assertions.assertFalse(notice.text().contains(a.recoveryCodes().get(0)));
    }
}
