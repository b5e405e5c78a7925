package dev.authgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.authgate.passkey.Authenticator;
import dev.authgate.support.Api;
import dev.authgate.support.Jwe;
import dev.authgate.support.Processes;
import dev.authgate.support.ServiceProcess;

/**
 * Two replicas of the packaged application on one database, started together (so they also race for the
 * migrations): everything a client relies on — tokens, revocation, throttling — holds across them.
 */
@Processes
class TwoInstancesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> ENV = Map.of(
            "AUTHGATE_TOKEN_KEYS", Jwe.jwks("replicas-1", Jwe.randomKey()),
            "AUTHGATE_THROTTLE_LOGIN_MAX_FAILURES", "3",
            // both replicas see the tests as 127.0.0.1: keep the per-address limits out of the way
            "AUTHGATE_THROTTLE_LOGIN_MAX_FAILURES_PER_ADDRESS", "1000000",
            "AUTHGATE_THROTTLE_SIGNUP_MAX_PER_ADDRESS", "1000000",
            "AUTHGATE_TABLES_USER_MFA_TOTP", "true",
            "AUTHGATE_TABLES_USER_MFA_PASSKEYS", "true",
            "AUTHGATE_WEBAUTHN_RP_ID", "localhost",
            "AUTHGATE_WEBAUTHN_ORIGINS", Authenticator.ORIGIN);

    private static ServiceProcess a;
    private static ServiceProcess b;

    @BeforeAll
    static void startBoth() throws Exception {
        a = ServiceProcess.start(ENV);
        b = ServiceProcess.start(ENV);
        a.awaitReady(Duration.ofSeconds(120));
        b.awaitReady(Duration.ofSeconds(120));
    }

    @AfterAll
    static void stopBoth() throws Exception {
        ServiceProcess.closeAll(a, b);
    }

    @Test
    void aTokenFromOneIsAcceptedByTheOther() throws Exception {
        String email = Api.uniqueEmail();
        String token = authToken(a.post("/api:main/auth/signup", credentials(email, "Two")));
        HttpResponse<String> me = b.get("/api:main/auth/me", "Authorization", "Bearer " + token);
        assertEquals(200, me.statusCode(), me.body());
        assertEquals(email, JSON.readTree(me.body()).path("email").asText());
    }

    @Test
    void aLogoutOnOneEndsTheTokenOnTheOtherAtOnce() throws Exception {
        String email = Api.uniqueEmail();
        String first = authToken(a.post("/api:main/auth/signup", credentials(email, "Two")));
        String second = authToken(a.post("/api:main/auth/login", credentials(email, null)));
        assertEquals(200, b.get("/api:main/auth/me", "Authorization", "Bearer " + second).statusCode());

        HttpResponse<String> logout = a.post("/api:main/auth/logout", "{}", "Authorization", "Bearer " + second);
        assertEquals(200, logout.statusCode(), logout.body());
        HttpResponse<String> after = b.get("/api:main/auth/me", "Authorization", "Bearer " + second);
        assertEquals(401, after.statusCode(), "the very next request, on the other replica: " + after.body());
        assertEquals("ERROR_CODE_UNAUTHORIZED", JSON.readTree(after.body()).path("code").asText());
        assertEquals(200, b.get("/api:main/auth/me", "Authorization", "Bearer " + first).statusCode(),
                "a local logout ends only its own token");
    }

    /** A factor enrolled on one, activated on the other; a login begun on one waits for its code on the other. */
    @Test
    void aLoginWaitingForItsSecondFactorIsFinishedByTheOtherReplica() throws Exception {
        String email = Api.uniqueEmail();
        String token = authToken(a.post("/api:main/auth/signup", credentials(email, "Two")));
        HttpResponse<String> enrolled = a.post("/api:main/auth/mfa/totp", "{}", "Authorization", "Bearer " + token);
        assertEquals(200, enrolled.statusCode(), enrolled.body());
        JsonNode e = JSON.readTree(enrolled.body());
        byte[] secret = new org.apache.commons.codec.binary.Base32().decode(e.path("secret").asText());
        long now = dev.authgate.mfa.Totp.step(System.currentTimeMillis() / 1000);
        HttpResponse<String> activated = b.post("/api:main/auth/mfa/totp/" + e.path("id").asText() + "/activate",
                "{\"code\":\"" + dev.authgate.mfa.Totp.code(secret, now, 6) + "\"}", "Authorization", "Bearer " + token);
        assertEquals(200, activated.statusCode(), activated.body());

        HttpResponse<String> login = a.post("/api:main/auth/login", credentials(email, null));
        assertEquals(200, login.statusCode(), login.body());
        JsonNode step = JSON.readTree(login.body());
        assertTrue(step.path("mfa_required").asBoolean() && !step.has("authToken"), login.body());
        String verify = "{\"mfa_token\":\"" + step.path("mfa_token").asText() + "\",\"code\":\""
                + dev.authgate.mfa.Totp.code(secret, now + 1, 6) + "\"}";
        String second = authToken(b.post("/api:main/auth/mfa/verify", verify));
        HttpResponse<String> claims = a.get("/api:main/auth/token", "Authorization", "Bearer " + second);
        assertEquals(200, claims.statusCode(), claims.body());
        assertEquals(2, JSON.readTree(claims.body()).path("aal").asInt(), claims.body());
        // used on b: the same mfa_token is refused on a
        assertEquals(401, a.post("/api:main/auth/mfa/verify", verify).statusCode());
    }

    /**
     * Passkey ceremonies cross replicas: their challenges live in PostgreSQL. Registration options from one, the
     * finish on the other; a usernameless sign-in and a second step likewise; a challenge used on one is refused on
     * the other.
     */
    @Test
    void aPasskeyCeremonyBegunOnOneIsFinishedByTheOther() throws Exception {
        String email = Api.uniqueEmail();
        String token = authToken(a.post("/api:main/auth/signup", credentials(email, "Two")));
        Authenticator device = new Authenticator();
        JsonNode options = json(a.post("/api:main/auth/passkeys/register/options", "{}", "Authorization", "Bearer " + token));
        Map<String, Object> created = device.create(map(options.path("publicKey")));
        json(b.post("/api:main/auth/passkeys/register", JSON.writeValueAsString(Map.of("challenge_id",
                options.path("challenge_id").asText(), "credential", created, "name", "Two")),
                "Authorization", "Bearer " + token));
        // the registration's challenge was used on b: a's answer to it now is 400 credential
        HttpResponse<String> again = a.post("/api:main/auth/passkeys/register", JSON.writeValueAsString(Map.of(
                "challenge_id", options.path("challenge_id").asText(), "credential", created)),
                "Authorization", "Bearer " + token);
        assertEquals(400, again.statusCode(), again.body());
        assertEquals("credential", JSON.readTree(again.body()).path("payload").path("param").asText());

        // usernameless: options from b, the answer to a
        JsonNode lo = json(b.post("/api:main/auth/passkeys/login/options", "{}"));
        Map<String, Object> assertion = device.get(map(lo.path("publicKey")));
        String alone = authToken(a.post("/api:main/auth/passkeys/login", JSON.writeValueAsString(Map.of(
                "challenge_id", lo.path("challenge_id").asText(), "credential", assertion))));
        JsonNode claims = JSON.readTree(b.get("/api:main/auth/token", "Authorization", "Bearer " + alone).body());
        assertEquals(2, claims.path("aal").asInt(), claims.toString());
        assertEquals("[\"hwk\",\"user\"]", claims.path("amr").toString());
        // the same answer to b: its challenge is used
        assertEquals(400, b.post("/api:main/auth/passkeys/login", JSON.writeValueAsString(Map.of(
                "challenge_id", lo.path("challenge_id").asText(), "credential", assertion))).statusCode());

        // the second step: the password on a, the passkey's options on b, the answer on a
        JsonNode step = json(a.post("/api:main/auth/login", credentials(email, null)));
        String mfaToken = step.path("mfa_token").asText();
        JsonNode so = json(b.post("/api:main/auth/passkeys/login/options",
                JSON.writeValueAsString(Map.of("mfa_token", mfaToken))));
        String second = authToken(a.post("/api:main/auth/passkeys/login", JSON.writeValueAsString(Map.of(
                "challenge_id", so.path("challenge_id").asText(), "credential", device.get(map(so.path("publicKey"))),
                "mfa_token", mfaToken))));
        assertEquals("[\"pwd\",\"hwk\",\"user\"]",
                JSON.readTree(b.get("/api:main/auth/token", "Authorization", "Bearer " + second).body()).path("amr")
                        .toString());
    }

    @Test
    void aThrottleReachedOnOneHoldsOnTheOther() throws Exception {
        String email = Api.uniqueEmail();
        authToken(a.post("/api:main/auth/signup", credentials(email, "Two")));
        String wrong = "{\"email\":\"" + email + "\",\"password\":\"not the password\"}";
        for (int i = 1; i <= 3; i++) {
            HttpResponse<String> failed = a.post("/api:main/auth/login", wrong);
            assertEquals(403, failed.statusCode(), "failure " + i + " on A: " + failed.body());
        }
        HttpResponse<String> fourth = b.post("/api:main/auth/login", wrong);
        assertEquals(429, fourth.statusCode(), "the 4th attempt, on B: " + fourth.body());
        assertEquals("ERROR_CODE_TOO_MANY_REQUESTS", JSON.readTree(fourth.body()).path("code").asText());
        String retryAfter = fourth.headers().firstValue("Retry-After").orElse("");
        assertTrue(retryAfter.matches("[1-9][0-9]*"), "Retry-After in seconds: '" + retryAfter + "'");
        // the right password does not get past the throttle either, on either replica
        assertEquals(429, b.post("/api:main/auth/login", credentials(email, null)).statusCode());
        assertEquals(429, a.post("/api:main/auth/login", credentials(email, null)).statusCode());
        System.out.println("TwoInstancesIT: 3 failures on A, then B answers 429 with Retry-After " + retryAfter + " s");
    }

    private static String credentials(String email, String name) {
        return "{" + (name == null ? "" : "\"name\":\"" + name + "\",") + "\"email\":\"" + email + "\",\"password\":\""
                + Api.PASSWORD + "\"}";
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(JsonNode node) {
        return JSON.convertValue(node, Map.class);
    }

    private static String authToken(HttpResponse<String> r) throws Exception {
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = JSON.readTree(r.body());
        return body.path("authToken").asText();
    }
}
