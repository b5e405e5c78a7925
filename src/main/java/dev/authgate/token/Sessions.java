package dev.authgate.token;

import java.time.Instant;
import java.util.UUID;

import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

/**
 * Revocation: a token lives while its session row does. Deleting rows is immediate on every replica, because
 * each request reads its session from PostgreSQL (no cache can extend a token past its revocation).
 */
@Singleton
public class Sessions {

    private static final Logger LOG = Logger.getLogger(Sessions.class);

    /** This token only (Supabase's "local" scope). */
    @Transactional
    public long revoke(UUID jti) {
        return AuthSession.delete("jti", jti);
    }

    /** Every token of the account ("global"): logout everywhere, deletion, role or password change. */
    @Transactional
    public long revokeAll(String dbtable, long accountId) {
        return AuthSession.delete("dbtable = ?1 and accountId = ?2", dbtable, accountId);
    }

    /** Every token of the account but this one ("others"). */
    @Transactional
    public long revokeOthers(String dbtable, long accountId, UUID keep) {
        return AuthSession.delete("dbtable = ?1 and accountId = ?2 and jti <> ?3", dbtable, accountId, keep);
    }

    /** Keeps an account's {@code max} newest sessions, {@code keep} among them; ends the rest (the oldest). */
    @Transactional(Transactional.TxType.MANDATORY)
    public long cap(String dbtable, long accountId, UUID keep, int max) {
        return AuthSession.getEntityManager().createNativeQuery("""
                delete from auth_session where dbtable = ?1 and account_id = ?2 and jti <> ?3 and jti not in (
                    select jti from auth_session where dbtable = ?1 and account_id = ?2 and jti <> ?3
                    order by issued_at desc, jti limit ?4)""")
                .setParameter(1, dbtable).setParameter(2, accountId).setParameter(3, keep).setParameter(4, max - 1)
                .executeUpdate();
    }

    /** Sessions whose tokens have expired name nothing that could still be presented. */
    @Transactional
    public long purgeExpired() {
        return AuthSession.delete("expiresAt < ?1", Instant.now());
    }

    /** Every replica may run it: deleting rows that are already gone is harmless. */
    @Scheduled(every = "${authgate.sessions.purge-every}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purgeRegularly() {
        LOG.debugf("purged %d expired sessions", purgeExpired());
    }
}
