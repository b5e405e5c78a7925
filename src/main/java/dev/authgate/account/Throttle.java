package dev.authgate.account;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
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
    public record Limit(String key, int max) {
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
        return new LoginKeys(new Limit("login:" + table + ":" + email, login.maxFailures()),
                new Limit("login-pair:" + table + ":" + email + ":" + address, login.maxFailures()),
                new Limit("login-address:" + address, login.maxFailuresPerAddress()),
                new Limit("login-ok:" + table + ":" + email, login.maxSuccesses()));
    }

    public Limit signup(String address) {
        return new Limit("signup-address:" + address, config.signup().maxPerAddress());
    }

    /**
     * Counts a login attempt, or refuses it: a pair refused when it reached the account limit itself, or when it
     * has failed at all while its account or its address is over the limit; an account refused after too many
     * successes in the window (each writes a session).
     */
    @Transactional(TxType.REQUIRES_NEW)
    public Attempt begin(LoginKeys keys) {
        if (!tryLock(keys.account().key())) {
            // another attempt on this account is being counted right now: no connection waits for it (a burst on
            // one account must not drain the pool for everyone); a person's double submit retries in a second
            throw Failure.tooManyAttempts(1);
        }
        Map<String, Count> counts = counts(List.of(keys.account(), keys.pair(), keys.address(), keys.successes()));
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
                .setParameter(1, attempt.keys().account().key()).setParameter(2, attempt.keys().pair().key())
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

    /**
     * A login or sign-up counter at its limit, as administrators see it.
     *
     * @param table the auth table a per-account counter belongs to, null for a per-address one
     * @param subject what is counted: the email (and address, for a pair) or the client address
     */
    public record Lockout(String key, String kind, String table, String subject, long attempts, int limit,
            long retryAfterSeconds) {
    }

    /** The kinds {@link #lockouts} lists, with their limits: the counters this class owns. */
    private Map<String, Integer> lockoutLimits() {
        var login = config.login();
        return Map.of("login", login.maxFailures(), "login-pair", login.maxFailures(),
                "login-ok", login.maxSuccesses(), "login-address", login.maxFailuresPerAddress(),
                "signup-address", config.signup().maxPerAddress());
    }

    /** Per-account counters name their table; per-address ones belong to every table. */
    private static boolean perAccount(String kind) {
        return !kind.endsWith("-address");
    }

    /** The login and sign-up counters at their limit now: per-account ones of these tables, and per-address ones. */
    @Transactional
    public List<Lockout> lockouts(Collection<String> tables) {
        Map<String, Integer> limits = lockoutLimits();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                select key, count(*), min(at) from auth_attempt where at > ?1 and split_part(key, ':', 1) = any(?2)
                group by key having count(*) >= ?3 order by min(at) limit 1000""")
                .setParameter(1, Instant.now().minus(config.window()))
                .setParameter(2, limits.keySet().toArray(String[]::new))
                .setParameter(3, limits.values().stream().mapToInt(Integer::intValue).min().orElseThrow())
                .getResultList();
        List<Lockout> found = new ArrayList<>();
        for (Object[] row : rows) {
            String key = (String) row[0];
            String kind = key.substring(0, key.indexOf(':'));
            String rest = key.substring(kind.length() + 1);
            String table = perAccount(kind) ? rest.substring(0, Math.max(0, rest.indexOf(':'))) : null;
            long n = ((Number) row[1]).longValue();
            if (n >= limits.get(kind) && (table == null || tables.contains(table))) {
                Count count = new Count(n, instant(row[2]));
                found.add(new Lockout(key, kind, table, table == null ? rest : rest.substring(table.length() + 1), n,
                        limits.get(kind), refusal(count).retryAfterSeconds()));
            }
        }
        return found;
    }

    /**
     * Forgets a lockout that {@link #lockouts} lists for these tables (an account's also forgets its failed pairs);
     * false when the key is no such lockout.
     */
    @Transactional
    public boolean clear(String key, Collection<String> tables) {
        var lockout = lockouts(tables).stream().filter(l -> l.key().equals(key)).findFirst();
        if (lockout.isEmpty()) {
            return false;
        }
        em.createNativeQuery("delete from auth_attempt where key = ?1").setParameter(1, key).executeUpdate();
        if (lockout.get().kind().equals("login")) { // login:T:email -> login-pair:T:email:<address>
            em.createNativeQuery("delete from auth_attempt where starts_with(key, ?1)")
                    .setParameter(1, "login-pair:" + key.substring("login:".length()) + ":").executeUpdate();
        }
        return true;
    }

    private record Count(long n, Instant oldest) {
    }

    private Map<String, Count> counts(List<Limit> limits) {
        Map<String, Count> counts = new HashMap<>();
        limits.forEach(l -> counts.put(l.key(), new Count(0, null)));
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                "select key, count(*), min(at) from auth_attempt where key = any(?1) and at > ?2 group by key")
                .setParameter(1, limits.stream().map(Limit::key).toArray(String[]::new))
                .setParameter(2, Instant.now().minus(config.window())).getResultList();
        for (Object[] row : rows) {
            counts.put((String) row[0], new Count(((Number) row[1]).longValue(), instant(row[2])));
        }
        return counts;
    }

    /** Until the oldest counted attempt leaves the window. */
    private Failure refusal(Count count) {
        Instant oldest = count.oldest() == null ? Instant.now() : count.oldest();
        return Failure.tooManyAttempts(Duration.between(Instant.now(), oldest.plus(config.window())).toSeconds() + 1);
    }

    /** A transaction-scoped advisory lock on the key, if free now. */
    private boolean tryLock(String key) {
        return Boolean.TRUE.equals(em.createNativeQuery("select pg_try_advisory_xact_lock(hashtextextended(?1, 0))")
                .setParameter(1, key).getSingleResult());
    }

    private long insert(String key) {
        return ((Number) em.createNativeQuery("insert into auth_attempt (key) values (?1) returning id")
                .setParameter(1, key).getSingleResult()).longValue();
    }

    private static Instant instant(Object value) {
        return value instanceof Instant i ? i
                : value instanceof java.sql.Timestamp t ? t.toInstant()
                : value instanceof java.time.OffsetDateTime o ? o.toInstant() : Instant.now();
    }

    @Scheduled(every = "${authgate.sessions.purge-every}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void purge() {
        em.createNativeQuery("delete from auth_attempt where at < ?1")
                .setParameter(1, Instant.now().minus(config.window())).executeUpdate();
    }
}
