package dev.authgate.mfa;

import static dev.authgate.support.OperatorProfile.RETIRED_KEY;
import static dev.authgate.support.OperatorProfile.RETIRED_KID;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import dev.authgate.support.Jwe;
import dev.authgate.support.OperatorProfile;
import dev.authgate.support.TestDatabase;

/**
 * Factors sealed under a token key that is no longer the encrypting one still open (the scheme of docs/mfa.md,
 * computed here independently: HKDF-SHA-256 of the token key, AES-256-GCM with the factor id as associated data),
 * and a use seals the secret again under the current key.
 */
@QuarkusTest
@TestProfile(OperatorProfile.class)
class MfaKeyRotationTest {

    static byte[] derive(byte[] tokenKey, String purpose) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("authgate derived keys".getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
        byte[] prk = mac.doFinal(tokenKey);
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        mac.update(purpose.getBytes(StandardCharsets.UTF_8));
        return mac.doFinal(new byte[] { 1 });
    }

    static byte[] seal(byte[] tokenKey, String factorId, byte[] secret) throws Exception {
        byte[] nonce = new byte[12];
        new java.security.SecureRandom().nextBytes(nonce);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(derive(tokenKey, "mfa factor secret v1"), "AES"),
                new GCMParameterSpec(128, nonce));
        c.updateAAD(factorId.getBytes(StandardCharsets.US_ASCII));
        byte[] ct = c.doFinal(secret);
        return ByteBuffer.allocate(12 + ct.length).put(nonce).put(ct).array();
    }

    static byte[] open(byte[] tokenKey, String factorId, byte[] sealed) throws Exception {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(derive(tokenKey, "mfa factor secret v1"), "AES"),
                new GCMParameterSpec(128, sealed, 0, 12));
        c.updateAAD(factorId.getBytes(StandardCharsets.US_ASCII));
        return c.doFinal(sealed, 12, sealed.length - 12);
    }

    private static byte[] storedSecret(String factorId) {
        return HexFormat.of().parseHex(TestDatabase.text("select encode(secret, 'hex') from auth_mfa_factor "
                + "where id = ?::uuid", factorId));
    }

    @Test
    void aFactorSealedUnderTheOldKeyStillWorksAndIsResealedUnderTheCurrentOne() throws Exception {
        Mfa.Enrolled a = Mfa.enrolled();
        assertArrayEquals(a.secret(), open(Jwe.TEST_KEY, a.factorId(), storedSecret(a.factorId())),
                "sealed under the current key as documented");
        // as if it had been enrolled before the rotation
        TestDatabase.update("update auth_mfa_factor set secret = decode(?, 'hex'), kid = ? where id = ?::uuid",
                HexFormat.of().formatHex(seal(RETIRED_KEY, a.factorId(), a.secret())), RETIRED_KID, a.factorId());

        Mfa.verify(Mfa.mfaToken(a.email()), a.code(1)).then().statusCode(200);

        assertEquals(Jwe.TEST_KID, TestDatabase.text("select kid from auth_mfa_factor where id = ?::uuid", a.factorId()));
        assertArrayEquals(a.secret(), open(Jwe.TEST_KEY, a.factorId(), storedSecret(a.factorId())));
    }

    @Test
    void aRecoveryCodeHashedUnderTheOldKeyStillWorks() throws Exception {
        Mfa.Enrolled a = Mfa.enrolled();
        String code = a.recoveryCodes().get(0);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(derive(RETIRED_KEY, "mfa recovery code v1"), "HmacSHA256"));
        byte[] oldHash = mac.doFinal(code.replace("-", "").getBytes(StandardCharsets.US_ASCII));
        assertEquals(10, TestDatabase.update("update auth_mfa_recovery_code set hash = decode(?, 'hex'), kid = ? "
                + "where account_id = ? and dbtable = 'user'", HexFormat.of().formatHex(oldHash), RETIRED_KID, a.id()));
        Mfa.verify(Mfa.mfaToken(a.email()), code).then().statusCode(200);
        assertEquals(9, TestDatabase.scalar("select count(*) from auth_mfa_recovery_code where dbtable = 'user' and account_id = ? "
                + "and dbtable = 'user'", a.id()));
    }
}
