package dev.authgate.token;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Singleton;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;

import dev.authgate.config.AuthgateConfig;

/**
 * Encrypts authTokens and reads them back: the one place that touches the codec. Tokens are issued with their
 * session by {@code session/SessionIssuer}. Created at start, so a missing or refused key stops the service before
 * it serves anything.
 */
@Startup
@Singleton
public class TokenService {

    /** The longest expiration a token may be asked for (10 years); longer, ask for 0 (never). Keeps exp a valid time. */
    public static final long MAX_EXPIRATION = 10L * 366 * 24 * 3600;

    private final TokenCodec codec;
    private final Cache<String, Auth> decrypted = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterAccess(Duration.ofMinutes(10)).build();

    public TokenService(AuthgateConfig config) {
        boolean devOrTest = LaunchMode.current() != LaunchMode.NORMAL;
        this.codec = new TokenCodec(KeyRing.parse(config.token().keys(), devOrTest), config.token().issuer());
    }

    /** The token for {@code auth}; its session must already be recorded, or the token is refused as revoked. */
    public String encrypt(Auth auth) {
        return codec.encrypt(auth);
    }

    /**
     * Decrypts and checks a token's form and expiry; revocation is checked against the sessions by the caller.
     * Tokens are immutable, so a bounded cache spares repeated decryption; expiry is checked on every read.
     */
    public Auth read(String token) throws InvalidTokenException {
        long now = Instant.now().getEpochSecond();
        Auth auth = decrypted.getIfPresent(token);
        if (auth == null) {
            auth = codec.decrypt(token, now);
            decrypted.put(token, auth);
        } else if (auth.expires() && now >= auth.exp()) {
            throw new InvalidTokenException(InvalidTokenException.Reason.EXPIRED);
        }
        return auth;
    }

    /**
     * HMAC-SHA256 of {@code data} under a key derived for {@code purpose} from the current token key: what every
     * replica computes alike and nobody without the key can (e.g. the console's CSRF token of a session). Rotating
     * the token keys changes it.
     */
    public byte[] mac(String purpose, String data) {
        try {
            Mac derive = Mac.getInstance("HmacSHA256");
            derive.init(new SecretKeySpec(codec.keys().current().key().getEncoded(), "HmacSHA256"));
            byte[] subkey = derive.doFinal(("authgate " + purpose).getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(subkey, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** For {@link TokenKeysCheck}; package-private so key material stays in this package. */
    TokenCodec codec() {
        return codec;
    }

    /** The extras a token carries: the record's extras column, then its role. */
    public static Map<String, Object> extrasOf(String role, Map<String, Object> extras) {
        Map<String, Object> all = new LinkedHashMap<>(extras == null ? Map.of() : extras);
        if (role != null) {
            all.put("role", role);
        }
        return all;
    }

    /** As above, plus {@code verified: true} once the account has proved its email (never {@code false}). */
    public static Map<String, Object> extrasOf(String role, Map<String, Object> extras, boolean verified) {
        Map<String, Object> all = extrasOf(role, extras);
        if (verified) {
            all.put("verified", true);
        }
        return all;
    }
}
