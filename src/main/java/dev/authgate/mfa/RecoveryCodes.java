package dev.authgate.mfa;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.crypto.Mac;

import jakarta.inject.Singleton;

import org.apache.commons.codec.binary.Base32;

import dev.authgate.token.DerivedKeys;

/**
 * Recovery codes: 10 per account, each 80 random bits as 16 base32 characters shown in groups of four
 * ({@code ABCD-EFGH-IJKL-MNOP}); stored as HMAC-SHA-256 under a key derived from the token keys, never as given.
 */
@Singleton
public class RecoveryCodes {

    public static final int COUNT = 10;
    static final String PURPOSE = "mfa recovery code v1";
    private static final int BYTES = 10; // 80 bits: 16 base32 characters, no padding

    /** A stored code: its keyed hash and the token key it is keyed with. */
    public record Hashed(byte[] hash, String kid) {
    }

    private final DerivedKeys keys;
    private final SecureRandom random;

    public RecoveryCodes(DerivedKeys keys, SecureRandom random) {
        this.keys = keys;
        this.random = random;
    }

    /** New codes, as shown to the person (once). */
    public List<String> generate() {
        Base32 base32 = new Base32();
        List<String> codes = new ArrayList<>(COUNT);
        for (int i = 0; i < COUNT; i++) {
            byte[] bytes = new byte[BYTES];
            random.nextBytes(bytes);
            String s = base32.encodeToString(bytes);
            codes.add(s.substring(0, 4) + "-" + s.substring(4, 8) + "-" + s.substring(8, 12) + "-" + s.substring(12, 16));
        }
        return codes;
    }

    /** The code without separators, upper-case, when it has a recovery code's shape; else null. */
    public static String normalized(String code) {
        String s = code.replace("-", "").replace(" ", "").toUpperCase(Locale.ROOT);
        return s.length() == 16 && s.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7')) ? s : null;
    }

    public Hashed hash(String normalizedCode) {
        return hash(normalizedCode, keys.current(PURPOSE));
    }

    /** The hash under the key with this id, or null when that token key left the ring. */
    public byte[] hash(String normalizedCode, String kid) {
        return keys.byKid(kid, PURPOSE).map(k -> hash(normalizedCode, k).hash()).orElse(null);
    }

    private static Hashed hash(String normalizedCode, DerivedKeys.Derived key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key.key());
            return new Hashed(mac.doFinal(normalizedCode.getBytes(StandardCharsets.US_ASCII)), key.kid());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
