package dev.authgate.federation;

import static dev.authgate.federation.UpstreamSignIn.codeOf;
import static dev.authgate.federation.UpstreamSignIn.exchange;
import static dev.authgate.federation.UpstreamSignIn.landing;
import static dev.authgate.federation.UpstreamSignIn.startUrl;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

import dev.authgate.mfa.Mfa;
import dev.authgate.oidc.OidcProfile;
import dev.authgate.support.Jwe;
import dev.authgate.support.TestDatabase;

/**
 * {@code authgate.providers.<p>.trust-mfa}: an account with a second factor that signs in through a provider still
 * gets the mfa_required step, unless the provider is trusted for it AND its id_token's amr says it did MFA; then the
 * token is aal 2 with amr {@code ["fed","mfa"]}. {@link FakeUpstreams}' OpenID provider chooses the amr; providers
 * {@code trusted} and {@code untrusted} are the same issuer with trust-mfa on and off.
 */
@QuarkusTest
@TestProfile(OidcProfile.class)
class TrustMfaTest {

    /** An account with an active TOTP factor, verified (so a provider that verified its address is linked to it). */
    static Mfa.Enrolled withFactor() {
        Mfa.Enrolled a = Mfa.enrolled();
        TestDatabase.update("update \"user\" set verified = true where id = ?", a.id());
        return a;
    }

    static Response signIn(String provider, Mfa.Enrolled a, String... amr) throws Exception {
        String subject = "sub-" + UUID.randomUUID();
        FakeUpstreams.OIDC_USERS.put(subject, new FakeUpstreams.OidcUser(subject, a.email(), true, List.of(amr)));
        return exchange(codeOf(landing(startUrl(provider), subject)));
    }

    static Map<String, Object> claims(Response r) {
        return Jwe.decrypt(r.then().statusCode(200).body("$", not(hasKey("mfa_required"))).extract().path("authToken"))
                .claims();
    }

    @Test
    void aTrustedProviderThatDidMfaStandsForTheSecondFactor() throws Exception {
        Mfa.Enrolled a = withFactor();
        long sessions = TestDatabase.scalar("select count(*) from auth_mfa_token where account_id = ?", a.id());
        Map<String, Object> claims = claims(signIn("trusted", a, "pwd", "mfa"));
        assertEquals(a.id(), ((Number) claims.get("id")).longValue());
        assertEquals(2, ((Number) claims.get("aal")).intValue());
        assertEquals(List.of("fed", "mfa"), claims.get("amr"));
        assertEquals(sessions, TestDatabase.scalar("select count(*) from auth_mfa_token where account_id = ?", a.id()),
                "no login waits for a factor");
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_audit where event = 'identity.login' and"
                + " account_id = ? and detail->>'mfa_trusted' = 'true'", a.id()), "the audit row says the provider's MFA stood in");

        // a possession factor named by RFC 8176 reads as MFA too (Keycloak: ["pwd","otp"]; a security key: hwk)
        assertEquals(List.of("fed", "mfa"), claims(signIn("trusted", a, "pwd", "otp")).get("amr"));
        assertEquals(List.of("fed", "mfa"), claims(signIn("trusted", a, "hwk", "user")).get("amr"));
    }

    @Test
    void aTrustedProviderThatDidNotSayMfaStillNeedsTheFactor() throws Exception {
        Mfa.Enrolled a = withFactor();
        for (String[] amr : List.of(new String[] { "pwd" }, new String[0], new String[] { "pwd", "kba" })) {
            Response r = signIn("trusted", a, amr);
            r.then().statusCode(200).body("mfa_required", equalTo(true)).body("$", not(hasKey("authToken")))
                    .body("factors[0].type", equalTo("totp"));
            String mfaToken = r.path("mfa_token");
            a.forgetSteps();
            Map<String, Object> claims = Jwe.decrypt(Mfa.verify(mfaToken, a.code(0)).then().statusCode(200)
                    .extract().path("authToken")).claims();
            assertEquals(2, ((Number) claims.get("aal")).intValue());
            assertEquals(List.of("fed", "otp"), claims.get("amr"), "the provider, then Authgate's factor");
        }
    }

    @Test
    void anUntrustedProviderNeedsTheFactorWhateverItsAmrSays() throws Exception {
        Mfa.Enrolled a = withFactor();
        Response r = signIn("untrusted", a, "pwd", "mfa", "otp");
        r.then().statusCode(200).body("mfa_required", equalTo(true)).body("$", not(hasKey("authToken")));
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_mfa_token where account_id = ?", a.id()));
    }

    @Test
    void anAccountWithoutAFactorGetsTheProvidersMfaInItsToken() throws Exception {
        Mfa.Enrolled none = withFactor();
        TestDatabase.update("delete from auth_mfa_factor where account_id = ? and dbtable = 'user'", none.id());
        Map<String, Object> trusted = claims(signIn("trusted", none, "pwd", "mfa"));
        assertEquals(2, ((Number) trusted.get("aal")).intValue());
        assertEquals(List.of("fed", "mfa"), trusted.get("amr"));
        Map<String, Object> plain = claims(signIn("untrusted", none, "pwd", "mfa"));
        assertEquals(1, ((Number) plain.get("aal")).intValue());
        assertEquals(List.of("fed"), plain.get("amr"));
    }

    @Test
    void theReadingOfAmr() {
        assertTrue(Federation.didMfa(List.of("mfa")));
        assertTrue(Federation.didMfa(List.of("pwd", "otp")));
        assertTrue(Federation.didMfa(List.of("swk", "user")));
        assertTrue(Federation.didMfa(List.of("pwd", "sms")));
        assertFalse(Federation.didMfa(List.of("pwd")));
        assertFalse(Federation.didMfa(List.of("pwd", "kba", "user")));
        assertFalse(Federation.didMfa(List.of()));
        assertFalse(Federation.didMfa(List.of("MFA")), "RFC 8176 values are case-sensitive");
    }
}
