package dev.authgate.mfa;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

import jakarta.inject.Singleton;

import dev.authgate.token.DerivedKeys;

/**
 * Factor secrets at rest: AES-256-GCM under a key derived from a token key, the factor's id as associated data (a
 * ciphertext copied to another row does not open). Stored as nonce (12 bytes) + ciphertext + tag, beside the kid.
 */
@Singleton
public class SecretBox {

    static final String PURPOSE = "mfa factor secret v1";
    private static final int NONCE = 12;

    /** What is stored: the sealed bytes and the id of the token key they are sealed under. */
    public record Sealed(byte[] bytes, String kid) {
    }

    private final DerivedKeys keys;
    private final SecureRandom random;

    public SecretBox(DerivedKeys keys, SecureRandom random) {
        this.keys = keys;
        this.random = random;
    }

    public Sealed seal(byte[] secret, String factorId) {
        DerivedKeys.Derived key = keys.current(PURPOSE);
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key.key(), new GCMParameterSpec(128, nonce));
            c.updateAAD(factorId.getBytes(StandardCharsets.US_ASCII));
            byte[] ct = c.doFinal(secret);
            return new Sealed(ByteBuffer.allocate(NONCE + ct.length).put(nonce).put(ct).array(), key.kid());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
    }

    /** The secret; an unknown kid (its token key left the ring) or a damaged row is an {@link IllegalStateException}. */
    public byte[] open(Sealed sealed, String factorId) {
        DerivedKeys.Derived key = keys.byKid(sealed.kid(), PURPOSE).orElseThrow(() -> new IllegalStateException(
                "a factor is sealed under token key " + sealed.kid() + ", which is no longer configured"));
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key.key(), new GCMParameterSpec(128, sealed.bytes(), 0, NONCE));
            c.updateAAD(factorId.getBytes(StandardCharsets.US_ASCII));
            return c.doFinal(sealed.bytes(), NONCE, sealed.bytes().length - NONCE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a factor's secret does not open", e);
        }
    }

    /** Whether a use should seal the secret again under the current key (a rotation happened since). */
    public boolean stale(String kid) {
        return !keys.current(PURPOSE).kid().equals(kid);
    }
}
