package dev.authgate.token;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;

import dev.authgate.config.AuthgateConfig;

/**
 * Issues authTokens (a session row and its JWE) and reads them back: the one place that touches the codec.
 * Created at start, so a missing or refused key stops the service before it serves anything.
 */
@Startup
@Singleton
public class TokenService {

    /** The longest expiration a token may be asked for (10 years); longer, ask for 0 (never). Keeps exp a valid time. */
    public static final long MAX_EXPIRATION = 10L * 366 * 24 * 3600;

    private final TokenCodec codec;
    private final SessionOrigin origin;
    private final Sessions sessions;
    private final AuthgateConfig config;
    private final Cache<String, Auth> decrypted = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterAccess(Duration.ofMinutes(10)).build();

    public TokenService(AuthgateConfig config, SessionOrigin origin, Sessions sessions) {
        this.config = config;
        this.origin = origin;
        this.sessions = sessions;
        boolean devOrTest = LaunchMode.current() != LaunchMode.NORMAL;
        this.codec = new TokenCodec(KeyRing.parse(config.token().keys(), devOrTest), config.token().issuer());
    }

    /**
     * Records a session and encrypts its token; joins the caller's transaction so an account and its first
     * token are written together or not at all.
     *
     * @param expiration seconds, 0 = never
     */
    @Transactional(TxType.MANDATORY)
    public String issue(String dbtable, long accountId, Map<String, Object> extras, long expiration) {
        return issue(dbtable, accountId, extras, expiration, false);
    }

    /**
     * As above, for a session opened by proving the account's password ({@link AuthSession#password}).
     *
     * @param byPassword whether the caller proved (or set) the account's password to get this token
     */
    @Transactional(TxType.MANDATORY)
    public String issue(String dbtable, long accountId, Map<String, Object> extras, long expiration,
            boolean byPassword) {
        Instant issued = Instant.now();
        long now = issued.getEpochSecond(); // the token's iat and exp are whole seconds
        AuthSession session = new AuthSession();
        session.jti = UUID.randomUUID(); // SecureRandom-backed
        session.dbtable = dbtable;
        session.accountId = accountId;
        session.issuedAt = issued; // to the microsecond: sessions of one second keep their order (lists, the cap)
        session.expiresAt = expiration == 0 ? null : Instant.ofEpochSecond(now + expiration);
        var from = origin.current();
        session.ip = from.ip();
        session.userAgent = from.userAgent();
        session.password = byPassword;
        session.persist();
        sessions.cap(dbtable, accountId, session.jti, config.tables().get(dbtable).maxSessions());
        return codec.encrypt(new Auth(accountId, dbtable, extras, now, expiration == 0 ? 0 : now + expiration,
                session.jti));
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
