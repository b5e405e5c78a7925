package dev.authgate.account;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.quarkus.scheduler.Scheduled;

import dev.authgate.config.AuthgateConfig;
import dev.authgate.failure.Failure;

/**
 * Attempt counting in PostgreSQL, so every replica sees the same counts: a sliding window of
 * {@code authgate.throttle.window}; past a limit, {@link Failure.Kind#TOO_MANY_ATTEMPTS} with the time to wait.
 */
@Singleton
public class Throttle {

    /** A counter and its limit. */
    public record Limit(String key, int max) {
    }

    private final EntityManager em;
    private final AuthgateConfig.Throttle config;

    public Throttle(EntityManager em, AuthgateConfig config) {
        this.em = em;
        this.config = config.throttle();
    }

    /** A login's counters: the account's (forgiven by a success) and the client address's (never forgiven). */
    public record LoginLimits(Limit account, Limit address) {
        List<Limit> all() {
            return List.of(account, address);
        }
    }

    public LoginLimits login(String table, String email, String address) {
        return new LoginLimits(new Limit("login:" + table + ":" + email, config.login().maxFailures()),
                new Limit("login-address:" + address, config.login().maxFailuresPerAddress()));
    }

    public Limit signup(String address) {
        return new Limit("signup-address:" + address, config.signup().maxPerAddress());
    }

    /** Refuses when any limit is reached; otherwise nothing. Joins the caller's transaction, or makes a short one. */
    @Transactional
    public void check(List<Limit> limits) {
        Instant since = Instant.now().minus(config.window());
        for (Limit limit : limits) {
            Object[] row = (Object[]) em.createNativeQuery(
                    "select count(*), min(at) from auth_attempt where key = ?1 and at > ?2")
                    .setParameter(1, limit.key()).setParameter(2, since).getSingleResult();
            long count = ((Number) row[0]).longValue();
            if (count >= limit.max()) {
                Instant oldest = row[1] instanceof Instant i ? i
                        : row[1] instanceof java.sql.Timestamp t ? t.toInstant() : Instant.now();
                throw Failure.tooManyAttempts(Duration.between(Instant.now(), oldest.plus(config.window())).toSeconds() + 1);
            }
        }
    }

    @Transactional
    public void record(List<Limit> limits) {
        limits.forEach(l -> em.createNativeQuery("insert into auth_attempt (key) values (?1)")
                .setParameter(1, l.key()).executeUpdate());
    }

    /** A successful login forgives the account's failures (not the address's). */
    @Transactional
    public void clear(Limit limit) {
        em.createNativeQuery("delete from auth_attempt where key = ?1").setParameter(1, limit.key()).executeUpdate();
    }

    @Scheduled(every = "${authgate.sessions.purge-every}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void purge() {
        em.createNativeQuery("delete from auth_attempt where at < ?1")
                .setParameter(1, Instant.now().minus(config.window())).executeUpdate();
    }
}
