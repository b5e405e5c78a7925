package dev.authgate.session;

import java.time.Instant;
import java.util.UUID;

import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

/**
 * Ends sessions, and so their tokens: a token lives while its session row does. Deleting a row notifies every replica's session cache in
 * the same transaction (migration V4), and this replica's at commit, so no cache extends a token past it.
 */
@Singleton
public class Revocation {

    private static final Logger LOG = Logger.getLogger(Revocation.class);

    private final SessionCache cache;

    public Revocation(SessionCache cache) {
        this.cache = cache;
    }

    /** This token only (Supabase's "local" scope). */
    @Transactional
    public long revoke(UUID jti) {
        AuthSession session = AuthSession.findById(jti);
        if (session == null) {
            return 0;
        }
        cache.changedInThisTransaction(session.dbtable, session.accountId);
        return AuthSession.delete("jti", jti);
    }

    /** Every token of the account ("global"): logout everywhere, deletion, role or password change. */
    @Transactional
    public long revokeAll(String dbtable, long accountId) {
        cache.changedInThisTransaction(dbtable, accountId);
        return AuthSession.delete("dbtable = ?1 and accountId = ?2", dbtable, accountId);
    }

    /** Every token of the account but this one ("others"). */
    @Transactional
    public long revokeOthers(String dbtable, long accountId, UUID keep) {
        cache.changedInThisTransaction(dbtable, accountId);
        return AuthSession.delete("dbtable = ?1 and accountId = ?2 and jti <> ?3", dbtable, accountId, keep);
    }

    /** Keeps an account's {@code max} newest sessions, {@code keep} among them; ends the rest (the oldest). */
    @Transactional(Transactional.TxType.MANDATORY)
    public long cap(String dbtable, long accountId, UUID keep, int max) {
        int ended = AuthSession.getEntityManager().createNativeQuery("""
                delete from auth_session where dbtable = ?1 and account_id = ?2 and jti <> ?3 and jti not in (
                    select jti from auth_session where dbtable = ?1 and account_id = ?2 and jti <> ?3
                    order by issued_at desc, jti limit ?4)""")
                .setParameter(1, dbtable).setParameter(2, accountId).setParameter(3, keep).setParameter(4, max - 1)
                .executeUpdate();
        if (ended > 0) {
            cache.changedInThisTransaction(dbtable, accountId); // this replica's cache, at commit
        }
        return ended;
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
