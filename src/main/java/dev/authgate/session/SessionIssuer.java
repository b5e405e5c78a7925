package dev.authgate.session;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import dev.authgate.account.AuthTable;
import dev.authgate.token.Auth;
import dev.authgate.token.TokenService;

/**
 * Issues authTokens: each is a session row (where it was issued from, when it expires) and its JWE. Every way to
 * sign in ends here, so a token always has a session that {@link Revocation} can end.
 */
@Singleton
public class SessionIssuer {

    private final TokenService tokens;
    private final SessionOrigin origin;
    private final Revocation revocation;

    public SessionIssuer(TokenService tokens, SessionOrigin origin, Revocation revocation) {
        this.tokens = tokens;
        this.origin = origin;
        this.revocation = revocation;
    }

    /**
     * Records a session and encrypts its token; joins the caller's transaction so an account and its first
     * token are written together or not at all.
     *
     * @param expiration seconds, 0 = never
     */
    @Transactional(TxType.MANDATORY)
    public String issue(AuthTable table, long accountId, Map<String, Object> extras, long expiration) {
        return issue(table, accountId, extras, expiration, false);
    }

    /**
     * As above, for a session opened by proving the account's password ({@link AuthSession#password}).
     *
     * @param byPassword whether the caller proved (or set) the account's password to get this token
     */
    @Transactional(TxType.MANDATORY)
    public String issue(AuthTable table, long accountId, Map<String, Object> extras, long expiration,
            boolean byPassword) {
        return issue(table, accountId, extras, expiration, byPassword, null);
    }

    /** As above, for a service client's {@code auth/issue}: the token names the client (introspection's client_id). */
    @Transactional(TxType.MANDATORY)
    public String issueForClient(String clientId, AuthTable table, long accountId, Map<String, Object> extras,
            long expiration) {
        return issue(table, accountId, extras, expiration, false, clientId);
    }

    private String issue(AuthTable table, long accountId, Map<String, Object> extras, long expiration,
            boolean byPassword, String clientId) {
        Instant issued = Instant.now();
        long now = issued.getEpochSecond(); // the token's iat and exp are whole seconds
        AuthSession session = new AuthSession();
        session.jti = UUID.randomUUID(); // SecureRandom-backed
        session.dbtable = table.name();
        session.accountId = accountId;
        session.issuedAt = issued; // to the microsecond: sessions of one second keep their order (lists, the cap)
        session.expiresAt = expiration == 0 ? null : Instant.ofEpochSecond(now + expiration);
        var from = origin.current();
        session.ip = from.ip();
        session.userAgent = from.userAgent();
        session.password = byPassword;
        session.persist();
        revocation.cap(table.name(), accountId, session.jti, table.maxSessions());
        return tokens.encrypt(new Auth(accountId, table.name(), extras, now, expiration == 0 ? 0 : now + expiration,
                session.jti, clientId));
    }
}
