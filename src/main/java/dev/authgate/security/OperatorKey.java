package dev.authgate.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

import jakarta.inject.Singleton;

import dev.authgate.config.AuthgateConfig;

/** The operator's key for quick test tokens ({@code authgate.quick-tokens.secret}); unset means the feature is off. */
@Singleton
public class OperatorKey {

    public static final String HEADER = "X-Authgate-Operator-Key";

    private final Optional<byte[]> digest;

    public OperatorKey(AuthgateConfig config) {
        this.digest = config.quickTokens().secret().filter(s -> !s.isBlank()).map(OperatorKey::sha256);
    }

    /** Constant time: both sides are hashed first, so neither content nor length leaks through timing. */
    public boolean accepts(String presented) {
        return digest.isPresent() && presented != null && MessageDigest.isEqual(digest.get(), sha256(presented));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
