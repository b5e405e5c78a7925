package dev.authgate.events;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Delivers the webhook outbox, at least once, on any replica. A due row is claimed with {@code FOR UPDATE SKIP
 * LOCKED} and posted while the claim holds, so no two replicas deliver it at once, and a replica that dies
 * mid-delivery leaves it pending (its transaction rolls back) for the next. A row waits while an earlier row of the
 * same webhook and account is pending: an account's events arrive in order. Failures back off exponentially with
 * jitter, up to {@code authgate.audit.delivery.max-backoff}; past {@code give-up-after} a row is marked failed, and
 * waits for an administrator's retry (console).
 */
@Singleton
public class Deliverer {

    static final String PENDING = "pending";
    static final String DELIVERED = "delivered";
    static final String FAILED = "failed";
    /** Deliveries per run of one replica, so that one run does not go on forever under a flood. */
    static final int PER_RUN = 1000;
    private static final Logger LOG = Logger.getLogger(Deliverer.class);

    private final EntityManager em;
    private final Webhooks webhooks;
    private final SignedPost post;
    private final AuditConfig.Delivery config;
    private final MeterRegistry registry;

    public Deliverer(EntityManager em, Webhooks webhooks, SignedPost post, AuditConfig config, MeterRegistry registry) {
        this.em = em;
        this.webhooks = webhooks;
        this.post = post;
        this.config = config.delivery();
        this.registry = registry;
    }

    @Scheduled(every = "${authgate.audit.delivery.every:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        drain();
    }

    /** Delivers due rows until none is left (or {@link #PER_RUN}); how many were attempted. */
    public int drain() {
        int n = 0;
        while (n < PER_RUN && deliverOne()) {
            n++;
        }
        return n;
    }

    /**
     * Claims and posts one due row of a webhook this replica knows. Rows of a webhook it does not know are left to a
     * replica that does (in a rolling deployment that adds a webhook, the old replicas must not fail its rows).
     */
    private boolean deliverOne() {
        String[] known = webhooks.names();
        if (known.length == 0) {
            return false;
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> claimed = em.createNativeQuery("""
                    select id, webhook, msg_id, payload, attempts, created_at from auth_webhook_outbox o
                    where status = 'pending' and next_at <= now() and webhook = any(?1) and (account_id is null or not exists (
                        select 1 from auth_webhook_outbox e where e.status = 'pending' and e.webhook = o.webhook
                        and e.dbtable = o.dbtable and e.account_id = o.account_id and e.id < o.id))
                    order by next_at, id limit 1 for update skip locked""").setParameter(1, known).getResultList();
            if (claimed.isEmpty()) {
                return false;
            }
            Object[] row = claimed.get(0);
            long id = ((Number) row[0]).longValue();
            String name = (String) row[1];
            int attempts = ((Number) row[4]).intValue() + 1;
            Webhooks.Target target = webhooks.target(name);
            String error;
            if (target == null) {
                error = "webhook no longer configured";
            } else {
                error = attempt(target, (String) row[2], (String) row[3]);
            }
            if (error == null) {
                em.createNativeQuery("update auth_webhook_outbox set status = 'delivered', attempts = ?2, "
                        + "delivered_at = now(), last_error = null where id = ?1").setParameter(1, id)
                        .setParameter(2, attempts).executeUpdate();
                count(name, DELIVERED);
                return true;
            }
            Instant created = instant(row[5]);
            boolean giveUp = target == null || Instant.now().isAfter(created.plus(config.giveUpAfter()));
            em.createNativeQuery("update auth_webhook_outbox set status = ?2, attempts = ?3, last_error = ?4, "
                    + "next_at = ?5 where id = ?1").setParameter(1, id).setParameter(2, giveUp ? FAILED : PENDING)
                    .setParameter(3, attempts).setParameter(4, error)
                    .setParameter(5, Instant.now().plus(backoff(attempts))).executeUpdate();
            LOG.infof("webhook %s: delivery %s attempt %d failed (%s)%s", name, row[2], attempts, error,
                    giveUp ? ", given up" : "");
            count(name, giveUp ? FAILED : "retry");
            return true;
        });
    }

    /** null when the receiver took it (2xx), else why not: a status or a failure's type, never a body. */
    private String attempt(Webhooks.Target target, String msgId, String payload) {
        try {
            var answer = post.post(target.url(), target.key(), msgId, payload, config.timeout());
            return answer.ok() ? null : "status " + answer.status();
        } catch (SignedPost.Failed e) {
            return e.getMessage();
        }
    }

    /** Exponential from {@code backoff}, capped, with full jitter over its upper half (no herd after an outage). */
    Duration backoff(int attempts) {
        long base = config.backoff().toMillis();
        long max = config.maxBackoff().toMillis();
        long exp = attempts >= 40 ? max : Math.min(max, base << Math.min(attempts - 1, 40));
        long jittered = exp / 2 + ThreadLocalRandom.current().nextLong(exp / 2 + 1);
        return Duration.ofMillis(Math.max(1, jittered));
    }

    /** A delivery given up on, as administrators see it (never its payload's secrets: it has none, but no body). */
    public record Failed(long id, String webhook, String event, String table, Long accountId, int attempts,
            String lastError, long createdAt) {
    }

    /** The newest failed deliveries of events of these tables (and of events of no record), at most 100. */
    public List<Failed> failed(List<String> tables) {
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("select id, webhook, event, dbtable, account_id, attempts, "
                    + "last_error, created_at from auth_webhook_outbox where status = 'failed' and (dbtable in (?1) "
                    + "or dbtable is null) order by id desc limit 100").setParameter(1, tables).getResultList();
            return rows.stream().map(r -> new Failed(((Number) r[0]).longValue(), (String) r[1], (String) r[2],
                    (String) r[3], r[4] == null ? null : ((Number) r[4]).longValue(), ((Number) r[5]).intValue(),
                    (String) r[6], instant(r[7]).toEpochMilli())).toList();
        });
    }

    /**
     * An administrator's retry of a failed delivery (of one of these tables' events): pending again, due now, its
     * attempts and its give-up clock from zero. False when there is no such failed delivery.
     */
    public boolean retry(long id, List<String> tables) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("update auth_webhook_outbox set "
                + "status = 'pending', attempts = 0, next_at = now(), created_at = now() where id = ?1 "
                + "and status = 'failed' and (dbtable in (?2) or dbtable is null)").setParameter(1, id)
                .setParameter(2, tables).executeUpdate() == 1);
    }

    private void count(String webhook, String outcome) {
        registry.counter("authgate.webhook.deliveries", "webhook", webhook, "outcome", outcome).increment();
    }

    private static Instant instant(Object value) {
        return value instanceof Instant i ? i : value instanceof java.time.OffsetDateTime o ? o.toInstant()
                : ((java.sql.Timestamp) value).toInstant();
    }
}
