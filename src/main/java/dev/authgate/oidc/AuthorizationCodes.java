package dev.authgate.oidc;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

import dev.authgate.jdbc.Jdbc;
import dev.authgate.session.Revocation;
import dev.authgate.token.Assurance;

/**
 * Authorization codes in PostgreSQL (migration V19), so any replica can exchange what another issued. A code is
 * 256 random bits, stored as its SHA-256 only, valid for {@code authgate.oidc.code-lifetime} and used once: the
 * first exchange marks it used in its own transaction (two racing exchanges: one wins, the row lock decides), a
 * later one marks it replayed and ends the session the first issued (RFC 6749 §4.1.2), and a session opened for a
 * code that was replayed meanwhile is never committed ({@link #bind}).
 */
@Singleton
public class AuthorizationCodes {

    private static final Logger LOG = Logger.getLogger(AuthorizationCodes.class);
    private static final String COLUMNS = "client_id, group_name, dbtable, account_id, redirect_uri, scope, nonce, "
            + "code_challenge, auth_time, aal, amr";

    /**
     * What a code stands for: who signed in, how and when, for which client and redirect URI, with what scope,
     * nonce and PKCE challenge.
     *
     * @param authTime epoch seconds of the sign-in (the id_token's {@code auth_time})
     */
    public record Grant(String clientId, String group, String dbtable, long accountId, String redirectUri,
            String scope, String nonce, String codeChallenge, long authTime, Assurance assurance) {
    }

    private final Jdbc jdbc;
    private final SecureRandom random;
    private final Revocation revocation;
    private final Duration lifetime;

    public AuthorizationCodes(Jdbc jdbc, SecureRandom random, Revocation revocation, OidcConfig config) {
        this.jdbc = jdbc;
        this.random = random;
        this.revocation = revocation;
        this.lifetime = config.codeLifetime();
    }

    /** A new code for this grant. */
    @Transactional
    public String issue(Grant g) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String code = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        jdbc.update("insert into oidc_code (code_hash, " + COLUMNS + ", expires_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                + "?, ?, ?, now() + make_interval(secs => ?))", hash(code), g.clientId(), g.group(), g.dbtable(),
                g.accountId(), g.redirectUri(), g.scope(), g.nonce(), g.codeChallenge(), g.authTime(),
                g.assurance().aal(), String.join(" ", g.assurance().amr()), (double) lifetime.toMillis() / 1000);
        return code;
    }

    /**
     * Uses the code: its grant, or {@code invalid_grant} when it is unknown, expired or already used (then what its
     * first use issued is ended). Commits at once, whatever the exchange does next: a code is tried once.
     */
    public Grant consume(String code) {
        byte[] hash = hash(code);
        Optional<Grant> grant = QuarkusTransaction.requiringNew().call(() -> jdbc.first("update oidc_code set used_at "
                + "= now() where code_hash = ? and used_at is null and expires_at > now() returning " + COLUMNS,
                AuthorizationCodes::grant, hash));
        if (grant.isPresent()) {
            return grant.get();
        }
        Optional<Optional<UUID>> replayed = QuarkusTransaction.requiringNew().call(() -> jdbc.first("update oidc_code "
                + "set replayed = true where code_hash = ? and used_at is not null returning issued_jti",
                rs -> Optional.ofNullable(rs.getObject(1, UUID.class)), hash));
        if (replayed.isPresent()) {
            replayed.get().ifPresent(jti -> {
                long ended = revocation.revoke(jti);
                LOG.infof("authorization code used twice: ended %d session(s) it had issued", ended);
            });
            throw OidcFailure.of(OidcFailure.Error.INVALID_GRANT,
                    "The authorization code was already used; what it issued is revoked.");
        }
        throw OidcFailure.of(OidcFailure.Error.INVALID_GRANT, "The authorization code is invalid or expired.");
    }

    /**
     * Records the session the code issued, in the transaction that opens it: when the code was replayed meanwhile,
     * {@code invalid_grant}, and the transaction (the session with it) rolls back.
     */
    @Transactional(TxType.MANDATORY)
    public void bind(String code, UUID jti) {
        if (jdbc.update("update oidc_code set issued_jti = ? where code_hash = ? and not replayed", jti,
                hash(code)) == 0) {
            throw OidcFailure.of(OidcFailure.Error.INVALID_GRANT,
                    "The authorization code was already used; what it issued is revoked.");
        }
    }

    /** The session a code issued, if any (tests, and what a refresh family hangs on). */
    public Optional<UUID> issued(String code) {
        return jdbc.first("select issued_jti from oidc_code where code_hash = ?", rs -> rs.getObject(1, UUID.class),
                hash(code));
    }

    /** Every replica may run it. An hour past expiry, a code is not even worth recognising as replayed. */
    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        int purged = QuarkusTransaction.requiringNew()
                .call(() -> jdbc.update("delete from oidc_code where expires_at < now() - interval '1 hour'"));
        LOG.debugf("purged %d authorization codes", purged);
    }

    private static Grant grant(ResultSet rs) throws SQLException {
        String amr = rs.getString(11);
        return new Grant(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getLong(9),
                new Assurance(rs.getInt(10), amr.isEmpty() ? List.of() : Arrays.asList(amr.split(" "))));
    }

    static byte[] hash(String code) {
        return OidcClients.sha256(code);
    }
}
