package dev.authgate.events;

import java.time.Instant;
import java.util.Map;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.scheduler.Scheduled;

/**
 * Writes the audit trail: one row per security event, in the caller's transaction, so a change that rolls back
 * leaves no event and an event never exists without its change. An event with no change to join (a refused login)
 * gets a transaction of its own. Its webhooks' outbox rows are written with it ({@link Webhooks}). Callers pass ids, names and flags as detail, never a secret (docs/events.md).
 */
@Singleton
public class Audit {

    public static final String OK = "ok";
    public static final String FAILED = "failed";
    public static final String THROTTLED = "throttled";

    private static final Logger LOG = Logger.getLogger(Audit.class);

    private final EntityManager em;
    private final AuditContext context;
    private final ObjectMapper json;
    private final AuditConfig config;
    private final Webhooks webhooks;

    public Audit(EntityManager em, AuditContext context, ObjectMapper json, AuditConfig config,
            Webhooks webhooks) {
        this.em = em;
        this.context = context;
        this.json = json;
        this.config = config;
        this.webhooks = webhooks;
    }

    public void ok(AuditEvent event, String table, Long accountId) {
        record(event, OK, table, accountId, Map.of());
    }

    public void ok(AuditEvent event, String table, Long accountId, Map<String, ?> detail) {
        record(event, OK, table, accountId, detail);
    }

    public void failed(AuditEvent event, String table, Long accountId, Map<String, ?> detail) {
        record(event, FAILED, table, accountId, detail);
    }

    /** One row; the actor is kept only when someone other than the account acted (an administrator). */
    @Transactional(TxType.REQUIRED)
    public void record(AuditEvent event, String outcome, String table, Long accountId, Map<String, ?> detail) {
        var who = context.current();
        boolean self = who.actorId() != null && who.actorId().equals(accountId) && who.actorTable().equals(table);
        Instant at = Instant.now();
        long id = ((Number) em.createNativeQuery("""
                insert into auth_audit (at, dbtable, account_id, event, outcome, ip, user_agent, session, actor_table,
                    actor_id, detail) values (?1, ?2, cast(?3 as bigint), ?4, ?5, ?6, ?7, cast(?8 as uuid), ?9,
                    cast(?10 as bigint), cast(?11 as jsonb)) returning id""")
                .setParameter(1, at).setParameter(2, table).setParameter(3, accountId)
                .setParameter(4, event.wire()).setParameter(5, outcome).setParameter(6, who.ip())
                .setParameter(7, who.userAgent()).setParameter(8, who.session())
                .setParameter(9, self ? null : who.actorTable()).setParameter(10, self ? null : who.actorId())
                .setParameter(11, write(detail)).getSingleResult()).longValue();
        webhooks.enqueue(id, at, event, outcome, table, accountId, detail);
    }

    private String write(Map<String, ?> detail) {
        try {
            return json.writeValueAsString(detail);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit detail is not JSON", e);
        }
    }

    /** Retention: rows older than {@code authgate.audit.retention} go, a bounded batch at a time (any replica). */
    @Scheduled(every = "${authgate.sessions.purge-every:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        long total = 0;
        int deleted;
        do {
            deleted = purgeBatch(Instant.now().minus(config.retention()));
            total += deleted;
        } while (deleted == PURGE_BATCH);
        if (total > 0) {
            LOG.infof("audit rows past retention deleted: %d", total);
        }
    }

    static final int PURGE_BATCH = 10_000;

    @Transactional
    int purgeBatch(Instant before) {
        return em.createNativeQuery("""
                delete from auth_audit where id in (select id from auth_audit where at < ?1 limit ?2)""")
                .setParameter(1, before).setParameter(2, PURGE_BATCH).executeUpdate();
    }
}
