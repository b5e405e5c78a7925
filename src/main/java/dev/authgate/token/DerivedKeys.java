package dev.authgate.token;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Singleton;

/**
 * Keys for other purposes than tokens (second factors' secrets, recovery codes), derived from the token keys with
 * HKDF-SHA-256 (RFC 5869) and a purpose label, and named by the token key's id. So they rotate with the token keys:
 * what was sealed under a key stays readable while that key is in the ring. Token key material never leaves this
 * package; a derived key tells nothing about it.
 */
@Singleton
public class DerivedKeys {

    /** A derived key and the id of the token key it comes from. */
    public record Derived(String kid, SecretKey key) {
    }

    private final TokenService tokens;

    public DerivedKeys(TokenService tokens) {
        this.tokens = tokens;
    }

    /** Derived from the encrypting key: for what is written now. */
    public Derived current(String purpose) {
        return derive(tokens.codec().keys().current(), purpose);
    }

    /** Derived from the key with this id, while it is in the ring. */
    public Optional<Derived> byKid(String kid, String purpose) {
        return tokens.codec().keys().byKid(kid).map(k -> derive(k, purpose));
    }

    private static Derived derive(KeyRing.NamedKey named, String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            // extract (salt: a fixed label), then one block of expand with the purpose as info
            mac.init(new SecretKeySpec("authgate derived keys".getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
            byte[] prk = mac.doFinal(named.key().getEncoded());
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            mac.update(purpose.getBytes(StandardCharsets.UTF_8));
            byte[] okm = mac.doFinal(new byte[] { 1 });
            return new Derived(named.kid(), new SecretKeySpec(okm, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
