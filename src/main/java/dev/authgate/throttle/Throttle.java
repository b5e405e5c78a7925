package dev.authgate.throttle;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import io.quarkus.scheduler.Scheduled;

import dev.authgate.config.AuthgateConfig;
import dev.authgate.failure.Failure;
import dev.authgate.metrics.AuthMetrics;

/**
 * Attempt counting in PostgreSQL, so every replica sees the same counts, in a sliding window of
 * {@code authgate.throttle.window}. A login attempt is counted <em>before</em> the password is checked, under a lock
 * on its account's key (a second simultaneous attempt is refused, not queued), so simultaneous guesses cannot all
 * pass the same count; a success takes its row back.
 *
 * <p>Login failures count per account, per (account, client address) pair and per client address. Only a pair
 * that has failed is ever refused for the account's or the address's sake: an attacker can make an account or an
 * address (one NAT, an ingress that is not declared trusted) reach its limit, but cannot make a correct password
 * from somewhere else fail. See docs/security.md.
 */
@Singleton
public class Throttle {

    /** A counter and its limit. */
    public record Limit(ThrottleKey key, int max) {
    }

    /** A login's counters (also a password change's: it proves the same password). */
    public record LoginKeys(Limit account, Limit pair, Limit address, Limit successes) {
    }

    /** A login attempt counted before its password is checked; {@link #succeeded} takes it back. */
    public record Attempt(LoginKeys keys, long addressRow) {
    }

    private final EntityManager em;
    private final AuthgateConfig.Throttle config;
    private final AuthMetrics metrics;

    public Throttle(EntityManager em, AuthgateConfig config, AuthMetrics metrics) {
        this.em = em;
        this.config = config.throttle();
        this.metrics = metrics;
    }

    public LoginKeys login(String table, String email, String address) {
        var login = config.login();
        return new LoginKeys(new Limit(ThrottleKey.login(table, email), login.maxFailures()),
                new Limit(ThrottleKey.loginPair(table, email, address), login.maxFailures()),
                new Limit(ThrottleKey.loginAddress(address), login.maxFailuresPerAddress()),
                new Limit(ThrottleKey.loginSuccesses(table, email), login.maxSuccesses()));
    }

    public Limit signup(String address) {
        return new Limit(ThrottleKey.signupAddress(address), config.signup().maxPerAddress());
    }

    /** The limit of a kind that {@link Lockouts} lists; null for the kinds it does not (their limits are elsewhere). */
    Integer limitOf(ThrottleKey.Kind kind) {
        var login = config.login();
        return switch (kind) {
            case LOGIN, LOGIN_PAIR -> login.maxFailures();
            case LOGIN_OK -> login.maxSuccesses();
            case LOGIN_ADDRESS -> login.maxFailuresPerAddress();
            case SIGNUP_ADDRESS -> config.signup().maxPerAddress();
            case MAIL, MAIL_ADDRESS, CLIENT, CLIENT_ADDRESS, OIDC_CLIENT, OPERATOR_KEY_ADDRESS -> null;
        };
    }

    /**
     * Counts a login attempt, or refuses it: a pair refused when it reached the account limit itself, or when it
     * has failed at all while its account or its address is over the limit; an account refused after too many
     * successes in the window (each writes a session).
     */
    @Transactional(TxType.REQUIRES_NEW)
    public Attempt begin(LoginKeys keys) {
        if (!tryLock(keys.account().key().value())) {
            // another attempt on this account is being counted right now: no connection waits for it (a burst on
            // one account must not drain the pool for everyone); a person's double submit retries in a second
            throw Failure.tooManyAttempts(1);
        }
        Map<ThrottleKey, Count> counts = counts(List.of(keys.account(), keys.pair(), keys.address(), keys.successes()));
        Count pair = counts.get(keys.pair().key());
        boolean accountOver = counts.get(keys.account().key()).n() >= keys.account().max();
        boolean addressOver = counts.get(keys.address().key()).n() >= keys.address().max();
        if (pair.n() >= keys.pair().max() || (pair.n() > 0 && (accountOver || addressOver))) {
            throw refusal(pair);
        }
        Count successes = counts.get(keys.successes().key());
        if (successes.n() >= keys.successes().max()) {
            throw refusal(successes);
        }
        if (addressOver) {
            metrics.addressOverLimit(); // let through: this pair has not failed here
        }
        insert(keys.account().key());
        insert(keys.pair().key());
        return new Attempt(keys, insert(keys.address().key()));
    }

    /** The password was right: the account's and the pair's failures are forgiven, the success is counted. */
    @Transactional(TxType.MANDATORY)
    public void succeeded(Attempt attempt) {
        em.createNativeQuery("delete from auth_attempt where key in (?1, ?2) or id = ?3")
                .setParameter(1, attempt.keys().account().key().value())
                .setParameter(2, attempt.keys().pair().key().value())
                .setParameter(3, attempt.addressRow()).executeUpdate();
        insert(attempt.keys().successes().key());
    }

    /**
     * Counts and refuses in one step: for sign-ups and mails, where every attempt counts. Without a lock (these keys
     * are per address, which many people can share): simultaneous attempts can pass a count together, bounded by the
     * requests in flight.
     */
    @Transactional(TxType.REQUIRES_NEW)
    public void count(Limit limit) {
        Count count = counts(List.of(limit)).get(limit.key());
        if (count.n() >= limit.max()) {
            throw refusal(count);
        }
        insert(limit.key());
    }

    /** Refuses when the limit is reached; counts nothing: for secrets where only failures count. */
    @Transactional
    public void check(Limit limit) {
        Count count = counts(List.of(limit)).get(limit.key());
        if (count.n() >= limit.max()) {
            throw refusal(count);
        }
    }

    /** Counts one failure against the limit. */
    @Transactional
    public void record(Limit limit) {
        insert(limit.key());
    }

    /** Attempts of a counter within the window, and the oldest of them (null when none). */
    record Count(long n, Instant oldest) {
    }

    private Map<ThrottleKey, Count> counts(List<Limit> limits) {
        Map<String, ThrottleKey> byValue = new HashMap<>();
        Map<ThrottleKey, Count> counts = new HashMap<>();
        limits.forEach(l -> {
            byValue.put(l.key().value(), l.key());
            counts.put(l.key(), new Count(0, null));
        });
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                "select key, count(*), min(at) from auth_attempt where key = any(?1) and at > ?2 group by key")
                .setParameter(1, byValue.keySet().toArray(String[]::new))
                .setParameter(2, windowStart()).getResultList();
        for (Object[] row : rows) {
            counts.put(byValue.get((String) row[0]), new Count(((Number) row[1]).longValue(), instant(row[2])));
        }
        return counts;
    }

    /** Attempts before this instant have left the window. */
    Instant windowStart() {
        return Instant.now().minus(config.window());
    }

    /** Seconds until the oldest counted attempt leaves the window. */
    long retryAfterSeconds(Count count) {
        Instant oldest = count.oldest() == null ? Instant.now() : count.oldest();
        return Duration.between(Instant.now(), oldest.plus(config.window())).toSeconds() + 1;
    }

    private Failure refusal(Count count) {
        return Failure.tooManyAttempts(retryAfterSeconds(count));
    }

    /** A transaction-scoped advisory lock on the key, if free now. */
    private boolean tryLock(String key) {
        return Boolean.TRUE.equals(em.createNativeQuery("select pg_try_advisory_xact_lock(hashtextextended(?1, 0))")
                .setParameter(1, key).getSingleResult());
    }

    private long insert(ThrottleKey key) {
        return ((Number) em.createNativeQuery("insert into auth_attempt (key) values (?1) returning id")
                .setParameter(1, key.value()).getSingleResult()).longValue();
    }

    static Instant instant(Object value) {
        return value instanceof Instant i ? i
                : value instanceof java.sql.Timestamp t ? t.toInstant()
                : value instanceof java.time.OffsetDateTime o ? o.toInstant() : Instant.now();
    }

    @Scheduled(every = "${authgate.sessions.purge-every}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void purge() {
        em.createNativeQuery("delete from auth_attempt where at < ?1")
                .setParameter(1, windowStart()).executeUpdate();
    }
}
