package dev.authgate.session;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import dev.authgate.config.AuthgateConfig;
import dev.authgate.token.Assurance;
import dev.authgate.token.Auth;
import dev.authgate.token.TokenService;

/**
 * Issues authTokens: each is a session row (where it was issued from, when it expires) and its JWE. Every way to
 * sign in ends here, so a token always has a session that {@link Revocation} can end, and its {@code aal} and
 * {@code amr} say how it was earned.
 */
@Singleton
public class SessionIssuer {

    private final TokenService tokens;
    private final SessionOrigin origin;
    private final Revocation revocation;
    private final AuthgateConfig config;

    public SessionIssuer(TokenService tokens, SessionOrigin origin, Revocation revocation, AuthgateConfig config) {
        this.tokens = tokens;
        this.origin = origin;
        this.revocation = revocation;
        this.config = config;
    }

    /**
     * Records a session and encrypts its token; joins the caller's transaction so an account and its first
     * token are written together or not at all.
     *
     * @param expiration seconds, 0 = never
     * @param assurance how the holder proved who they are: the token's {@code aal} and {@code amr}
     */
    @Transactional(TxType.MANDATORY)
    public String issue(String dbtable, long accountId, Map<String, Object> extras, long expiration,
            Assurance assurance) {
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
        session.persist();
        revocation.cap(dbtable, accountId, session.jti, config.tables().get(dbtable).maxSessions());
        return tokens.encrypt(new Auth(accountId, dbtable, extras, now, expiration == 0 ? 0 : now + expiration,
                session.jti, assurance));
    }
}
