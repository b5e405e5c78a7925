package dev.authgate.passkey;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.webauthn4j.data.UserVerificationRequirement;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.client.ClientDataType;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

import dev.authgate.support.Api;
import dev.authgate.support.Jwe;
import dev.authgate.support.TestDatabase;

/**
 * Passkeys over HTTP on the real database, with webauthn4j-test's emulated authenticator (attestation none) as the
 * browser: registration, usernameless sign-in, the second step after a password, management, and every refusal
 * (400 {"param":"credential"}, nothing stored, no token).
 */
@QuarkusTest
class PasskeyTest {

    record Account(String email, long id, String token) {
    }

    static Account account() {
        String email = Api.uniqueEmail();
        String token = Api.signup(email);
        return new Account(email, TestDatabase.scalar("select id from \"user\" where email = ?", email), token);
    }

    static Response registerOptions(String token) {
        return Api.bearer(token).contentType(ContentType.JSON).body("{}").post("/api:main/auth/passkeys/register/options");
    }

    static Response register(String token, String challengeId, Object credential) {
        Map<String, Object> body = new HashMap<>();
        body.put("challenge_id", challengeId);
        body.put("credential", credential);
        body.put("name", "Laptop");
        return Api.bearer(token).contentType(ContentType.JSON).body(body).post("/api:main/auth/passkeys/register");
    }

    static Response loginOptions(String mfaToken) {
        return given().contentType(ContentType.JSON).body(mfaToken == null ? Map.of() : Map.of("mfa_token", mfaToken))
                .post("/api:main/auth/passkeys/login/options");
    }

    static Response login(String challengeId, Object credential, String mfaToken) {
        Map<String, Object> body = new HashMap<>();
        body.put("challenge_id", challengeId);
        body.put("credential", credential);
        if (mfaToken != null) {
            body.put("mfa_token", mfaToken);
        }
        return given().contentType(ContentType.JSON).body(body).post("/api:main/auth/passkeys/login");
    }

    /** A passkey of the account on the authenticator: its id. */
    static String registered(Account a, Authenticator device) {
        Response o = registerOptions(a.token());
        o.then().statusCode(200);
        return register(a.token(), o.path("challenge_id"), device.create(o.path("publicKey"))).then().statusCode(200)
                .extract().path("id");
    }

    /** A usernameless sign-in with the authenticator: the answer. */
    static Response signIn(Authenticator device) {
        Response o = loginOptions(null);
        o.then().statusCode(200);
        return login(o.path("challenge_id"), device.get(o.path("publicKey")), null);
    }

    static void refused(Response r) {
        r.then().statusCode(400).body("code", equalTo("ERROR_CODE_INPUT_ERROR"))
                .body("payload.param", equalTo("credential")).body("$", hasKey("message"));
    }

    static long passkeys(long accountId) {
        return TestDatabase.scalar("select count(*) from auth_passkey where dbtable = 'user' and account_id = ?",
                accountId);
    }

    static long sessions(long accountId) {
        return TestDatabase.scalar("select count(*) from auth_session where dbtable = 'user' and account_id = ?",
                accountId);
    }

    @Test
    void registrationOffersResidentKeysWithUserVerificationAndThenSignsInWithoutAName() {
        Account a = account();
        Response o = registerOptions(a.token());
        o.then().statusCode(200).body("challenge_id", notNullValue())
                .body("publicKey.rp.id", equalTo("localhost"))
                .body("publicKey.rp.name", equalTo("Authgate"))
                .body("publicKey.user.name", equalTo(a.email()))
                .body("publicKey.pubKeyCredParams.alg", equalTo(List.of(-7, -8, -257)))
                .body("publicKey.pubKeyCredParams.type", equalTo(List.of("public-key", "public-key", "public-key")))
                .body("publicKey.excludeCredentials", hasSize(0))
                .body("publicKey.authenticatorSelection.residentKey", equalTo("required"))
                .body("publicKey.authenticatorSelection.userVerification", equalTo("required"))
                .body("publicKey.attestation", equalTo("none"))
                .body("publicKey.timeout", equalTo(300000));
        String challenge = o.path("publicKey.challenge");
        assertEquals(32, Authenticator.dec(challenge).length);
        Authenticator device = new Authenticator();
        Map<String, Object> credential = device.create(o.path("publicKey"));
        Response r = register(a.token(), o.path("challenge_id"), credential);
        r.then().statusCode(200).body("name", equalTo("Laptop")).body("created_at", notNullValue());
        String id = r.path("id");
        assertEquals(1, passkeys(a.id()));
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_passkey where id = ?::uuid and credential_id = "
                + "decode(?, 'base64') and not backup_eligible and not backup_state and uv_initialized",
                id, java.util.Base64.getEncoder().encodeToString(Authenticator.dec((String) credential.get("id")))));
        // the next registration excludes it
        registerOptions(Jwe.rewritten(a.token(), Map.of("aal", 2))).then().statusCode(200)
                .body("publicKey.excludeCredentials.id", equalTo(List.of(credential.get("id"))))
                .body("publicKey.excludeCredentials.type", equalTo(List.of("public-key")));

        // usernameless: no allowCredentials, a token of aal 2 from the passkey alone
        Response lo = loginOptions(null);
        lo.then().statusCode(200).body("publicKey.allowCredentials", hasSize(0))
                .body("publicKey.rpId", equalTo("localhost")).body("publicKey.userVerification", equalTo("required"));
        Response in = login(lo.path("challenge_id"), device.get(lo.path("publicKey")), null);
        in.then().statusCode(200);
        Map<String, Object> claims = Jwe.decrypt(in.path("authToken")).claims();
        assertEquals(2L, ((Number) claims.get("aal")).longValue());
        assertEquals(List.of("hwk", "user"), claims.get("amr"));
        Api.bearer(in.path("authToken")).get("/api:main/auth/me").then().statusCode(200).body("email", equalTo(a.email()));
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_passkey where id = ?::uuid and sign_count > 0 "
                + "and last_used_at is not null", id));
        // listed, with its backup flags, here and in auth/mfa
        Api.bearer(in.path("authToken")).get("/api:main/auth/passkeys").then().statusCode(200)
                .body("passkeys.id", equalTo(List.of(id))).body("passkeys[0].name", equalTo("Laptop"))
                .body("passkeys[0].backup_eligible", equalTo(false)).body("passkeys[0].backed_up", equalTo(false))
                .body("passkeys[0].last_used_at", notNullValue());
        Api.bearer(in.path("authToken")).get("/api:main/auth/mfa").then().statusCode(200)
                .body("passkeys.id", equalTo(List.of(id))).body("totp", hasSize(0));
    }

    @Test
    void aPasswordThenThePasskeyIsTheSecondStep() {
        Account a = account();
        Authenticator device = new Authenticator();
        String id = registered(a, device);
        Response step = given().contentType(ContentType.JSON)
                .body(Map.of("email", a.email(), "password", Api.PASSWORD)).post("/api:main/auth/login");
        step.then().statusCode(200).body("mfa_required", equalTo(true)).body("$", org.hamcrest.Matchers.not(hasKey("authToken")))
                .body("factors.id", equalTo(List.of(id))).body("factors.type", equalTo(List.of("passkey")))
                .body("factors.name", equalTo(List.of("Laptop")));
        String mfaToken = step.path("mfa_token");
        Response o = loginOptions(mfaToken);
        o.then().statusCode(200).body("publicKey.allowCredentials", hasSize(1));
        Response in = login(o.path("challenge_id"), device.get(o.path("publicKey")), mfaToken);
        in.then().statusCode(200);
        Map<String, Object> claims = Jwe.decrypt(in.path("authToken")).claims();
        assertEquals(2L, ((Number) claims.get("aal")).longValue());
        assertEquals(List.of("pwd", "hwk", "user"), claims.get("amr"));
        // the mfa_token is used
        loginOptions(mfaToken).then().statusCode(401).body("code", equalTo("ERROR_CODE_UNAUTHORIZED"));
    }

    @Test
    void aChallengeOfTheSecondStepNeedsItsMfaTokenAndItsAccountsPasskey() {
        Account a = account();
        Account b = account();
        Authenticator deviceA = new Authenticator();
        Authenticator deviceB = new Authenticator();
        registered(a, deviceA);
        registered(b, deviceB);
        String mfaToken = given().contentType(ContentType.JSON).body(Map.of("email", a.email(), "password", Api.PASSWORD))
                .post("/api:main/auth/login").then().statusCode(200).extract().path("mfa_token");
        // b's passkey answering a's second step (the emulator signs whatever it is asked)
        Response o = loginOptions(mfaToken);
        Map<String, Object> publicKey = new HashMap<>(o.path("publicKey"));
        publicKey.put("allowCredentials", List.of());
        long before = sessions(a.id());
        refused(login(o.path("challenge_id"), deviceB.get(publicKey), mfaToken));
        // a's own passkey but without the mfa_token the challenge was given for
        Response o2 = loginOptions(mfaToken);
        refused(login(o2.path("challenge_id"), deviceA.get(o2.path("publicKey")), null));
        assertEquals(before, sessions(a.id()));
        loginOptions("not-a-token").then().statusCode(401);
    }

    @Test
    void everyBadRegistrationIs400CredentialAndStoresNothing() {
        Account a = account();
        Authenticator device = new Authenticator();
        // malformed and wrongly typed credentials
        for (Object bad : List.of("text", 5, List.of(), Map.of(), Map.of("id", 1, "response", "x"),
                Map.of("id", "AAAA", "rawId", "AAAA", "type", "public-key", "response",
                        Map.of("clientDataJSON", "!!", "attestationObject", "??")))) {
            Response o = registerOptions(a.token());
            refused(register(a.token(), o.path("challenge_id"), bad));
        }
        refused(register(a.token(), null, device.create(registerOptions(a.token()).path("publicKey"))));
        refused(register(a.token(), "not-a-uuid", device.create(registerOptions(a.token()).path("publicKey"))));
        // wrong origin
        Response o = registerOptions(a.token());
        refused(register(a.token(), o.path("challenge_id"), device.create(o.path("publicKey"), "https://evil.example", null)));
        // wrong type (webauthn.get in a registration)
        o = registerOptions(a.token());
        refused(register(a.token(), o.path("challenge_id"),
                device.create(o.path("publicKey"), Authenticator.ORIGIN, ClientDataType.WEBAUTHN_GET)));
        // another RP ID: the authenticator data's rpIdHash does not match
        o = registerOptions(a.token());
        Map<String, Object> publicKey = new LinkedHashMap<>(o.path("publicKey"));
        publicKey.put("rp", Map.of("id", "evil.example", "name", "Evil"));
        refused(register(a.token(), o.path("challenge_id"), device.create(publicKey)));
        // the answer to another challenge (tampered clientDataJSON)
        o = registerOptions(a.token());
        Response other = registerOptions(a.token());
        refused(register(a.token(), o.path("challenge_id"), device.create(other.path("publicKey"))));
        // a challenge expired
        o = registerOptions(a.token());
        TestDatabase.update("update auth_webauthn_challenge set expires_at = now() - interval '1 second' where id = ?::uuid",
                (String) o.path("challenge_id"));
        refused(register(a.token(), o.path("challenge_id"), device.create(o.path("publicKey"))));
        // another account's challenge
        Account b = account();
        Response ob = registerOptions(b.token());
        refused(register(a.token(), ob.path("challenge_id"), device.create(ob.path("publicKey"))));
        assertEquals(0, passkeys(a.id()));
        assertEquals(0, passkeys(b.id()));

        // a challenge is used once, even by a right answer
        o = registerOptions(a.token());
        Map<String, Object> good = device.create(o.path("publicKey"));
        register(a.token(), o.path("challenge_id"), good).then().statusCode(200);
        refused(register(a.token(), o.path("challenge_id"), good));
        refused(register(a.token(), o.path("challenge_id"), device.create(o.path("publicKey"))));
        assertEquals(1, passkeys(a.id()));

        // a credential registered already (to another account)
        Response oc = registerOptions(b.token());
        Map<String, Object> taken = device.create(oc.path("publicKey"));
        TestDatabase.update("insert into auth_passkey (id, dbtable, account_id, credential_id, attested_data, "
                + "uv_initialized, backup_eligible, backup_state, name) values (gen_random_uuid(), 'user', ?, "
                + "decode(?, 'base64'), '\\x00', true, false, false, 'x')", a.id(),
                java.util.Base64.getEncoder().encodeToString(Authenticator.dec((String) taken.get("id"))));
        refused(register(b.token(), oc.path("challenge_id"), taken));
        assertEquals(0, passkeys(b.id()));
    }

    @Test
    void everyBadSignInIs400CredentialAndIssuesNothing() {
        Account a = account();
        Authenticator device = new Authenticator();
        String id = registered(a, device);
        long before = sessions(a.id());
        // malformed and wrongly typed
        for (Object bad : List.of("text", 5, List.of(), Map.of(), Map.of("id", 1, "response", "x"))) {
            refused(login(loginOptions(null).path("challenge_id"), bad, null));
        }
        // wrong origin
        Response o = loginOptions(null);
        refused(login(o.path("challenge_id"), device.get(o.path("publicKey"), "https://evil.example"), null));
        // tampered signature
        o = loginOptions(null);
        Map<String, Object> c = device.get(o.path("publicKey"));
        @SuppressWarnings("unchecked")
        Map<String, Object> response = new HashMap<>((Map<String, Object>) c.get("response"));
        byte[] signature = Authenticator.dec((String) response.get("signature"));
        signature[signature.length / 2] ^= 1;
        response.put("signature", Authenticator.enc(signature));
        Map<String, Object> tampered = new HashMap<>(c);
        tampered.put("response", response);
        refused(login(o.path("challenge_id"), tampered, null));
        // the answer to another challenge
        o = loginOptions(null);
        refused(login(o.path("challenge_id"), device.get(loginOptions(null).path("publicKey")), null));
        // another RP ID
        o = loginOptions(null);
        Map<String, Object> publicKey = new HashMap<>(o.path("publicKey"));
        publicKey.put("rpId", "evil.example");
        try {
            refused(login(o.path("challenge_id"), device.get(publicKey), null));
        } catch (RuntimeException noCredentialForThatRp) {
            // the emulator has no passkey for that RP: nothing to send
        }
        // expired
        o = loginOptions(null);
        TestDatabase.update("update auth_webauthn_challenge set expires_at = now() - interval '1 second' where id = ?::uuid",
                (String) o.path("challenge_id"));
        refused(login(o.path("challenge_id"), device.get(o.path("publicKey")), null));
        // replayed: the same answer twice, the second refused
        o = loginOptions(null);
        Map<String, Object> good = device.get(o.path("publicKey"));
        login(o.path("challenge_id"), good, null).then().statusCode(200);
        refused(login(o.path("challenge_id"), good, null));
        // a registration challenge is not a login challenge
        Response ro = registerOptions(Jwe.rewritten(a.token(), Map.of("aal", 2)));
        refused(login(ro.path("challenge_id"), device.get(loginOptions(null).path("publicKey")), null));
        assertEquals(before + 1, sessions(a.id()));

        // a passkey removed signs in no more
        String aal2 = signIn(device).then().statusCode(200).extract().path("authToken");
        Api.bearer(aal2).delete("/api:main/auth/passkeys/" + id).then().statusCode(200).body("removed", equalTo(true));
        refused(signIn(device));
    }

    @Test
    void anAnswerWithoutUserVerificationOrPresenceIsRefused() {
        Account a = account();
        // registration: authenticator data without UV (present, not verified), then without UP
        for (byte flag : new byte[] { AuthenticatorData.BIT_UV, AuthenticatorData.BIT_UP }) {
            Response o = registerOptions(a.token());
            refused(register(a.token(), o.path("challenge_id"),
                    Authenticator.withoutFlag(new Authenticator().create(o.path("publicKey")), flag)));
        }
        assertEquals(0, passkeys(a.id()));
        // the control: the same re-encoding with no flag taken away is a passkey
        Authenticator device = new Authenticator();
        Response o = registerOptions(a.token());
        register(a.token(), o.path("challenge_id"), Authenticator.withoutFlag(device.create(o.path("publicKey")),
                (byte) 0)).then().statusCode(200);
        assertEquals(1, passkeys(a.id()));
        // sign-in: the passkey's assertion without the UV flag (its signature is right) issues nothing
        long before = sessions(a.id());
        device.userVerification = UserVerificationRequirement.DISCOURAGED;
        refused(signIn(device));
        assertEquals(before, sessions(a.id()));
        device.userVerification = UserVerificationRequirement.REQUIRED;
        signIn(device).then().statusCode(200);
    }

    @Test
    void aSignatureCounterThatDoesNotGrowIsRefused() {
        Account a = account();
        Authenticator device = new Authenticator();
        String id = registered(a, device);
        signIn(device).then().statusCode(200);
        long count = TestDatabase.scalar("select sign_count from auth_passkey where id = ?::uuid", id);
        // a clone of the authenticator: the counter it sends is below the one seen
        TestDatabase.update("update auth_passkey set sign_count = ?, last_used_at = null where id = ?::uuid",
                count + 1000, id);
        long before = sessions(a.id());
        refused(signIn(device));
        assertEquals(count + 1000, TestDatabase.scalar("select sign_count from auth_passkey where id = ?::uuid", id));
        assertNull(TestDatabase.text("select last_used_at::text from auth_passkey where id = ?::uuid", id));
        assertEquals(before, sessions(a.id()));
    }

    @Test
    void passkeysAreRenamedAndRemovedWithAal2() {
        Account a = account();
        Authenticator device = new Authenticator();
        String id = registered(a, device);
        String aal2 = signIn(device).then().statusCode(200).extract().path("authToken");
        // a factor is active: a one-factor token may not add, rename or remove passkeys
        registerOptions(a.token()).then().statusCode(403).body("code", equalTo("ERROR_CODE_ACCESS_DENIED"));
        Api.bearer(a.token()).contentType(ContentType.JSON).body(Map.of("name", "x"))
                .patch("/api:main/auth/passkeys/" + id).then().statusCode(403);
        Api.bearer(a.token()).delete("/api:main/auth/passkeys/" + id).then().statusCode(403);
        Api.bearer(aal2).contentType(ContentType.JSON).body(Map.of("name", "Work laptop"))
                .patch("/api:main/auth/passkeys/" + id).then().statusCode(200).body("name", equalTo("Work laptop"));
        Api.bearer(aal2).get("/api:main/auth/passkeys").then().body("passkeys.name", equalTo(List.of("Work laptop")));
        // another account's passkey: 404
        Account b = account();
        Api.bearer(Jwe.rewritten(b.token(), Map.of("aal", 2))).delete("/api:main/auth/passkeys/" + id).then()
                .statusCode(404).body("code", equalTo("ERROR_CODE_NOT_FOUND"));
        Api.bearer(aal2).delete("/api:main/auth/passkeys/" + id).then().statusCode(200);
        assertEquals(0, passkeys(a.id()));
        // no factor left: a password signs in alone again
        given().contentType(ContentType.JSON).body(Map.of("email", a.email(), "password", Api.PASSWORD))
                .post("/api:main/auth/login").then().statusCode(200).body("$", hasKey("authToken"));
    }

    @Test
    void atMostTenPasskeysPerAccount() {
        Account a = account();
        Authenticator device = new Authenticator();
        registered(a, device);
        String aal2 = signIn(device).then().statusCode(200).extract().path("authToken");
        for (int i = 1; i < 10; i++) {
            Response o = registerOptions(aal2);
            register(aal2, o.path("challenge_id"), new Authenticator().create(o.path("publicKey"))).then().statusCode(200);
        }
        assertEquals(10, passkeys(a.id()));
        ValidatableResponse r = registerOptions(aal2).then();
        r.statusCode(400).body("payload.param", equalTo("credential"));
        assertEquals(10, passkeys(a.id()));
    }
}
