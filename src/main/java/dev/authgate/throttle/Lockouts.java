package dev.authgate.throttle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.authgate.throttle.Throttle.Count;

/**
 * The login and sign-up counters at their limit, as administrators see them, and forgetting one (a person locked
 * out by someone else's guesses). Per-account counters are shown for the administrator's tables only; per-address
 * ones concern every table.
 */
@Singleton
public class Lockouts {

    /**
     * A counter at its limit.
     *
     * @param key the stored form, which the console's clear button sends back
     */
    public record Lockout(String key, String kind, String table, String subject, long attempts, int limit,
            long retryAfterSeconds) {
    }

    private final EntityManager em;
    private final Throttle throttle;

    public Lockouts(EntityManager em, Throttle throttle) {
        this.em = em;
        this.throttle = throttle;
    }

    @Transactional
    public List<Lockout> list(Collection<String> tables) {
        List<ThrottleKey.Kind> kinds = Arrays.stream(ThrottleKey.Kind.values()).filter(k -> throttle.limitOf(k) != null)
                .toList();
        int lowest = kinds.stream().mapToInt(throttle::limitOf).min().orElseThrow();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                select key, count(*), min(at) from auth_attempt where at > ?1 and split_part(key, ':', 1) = any(?2)
                group by key having count(*) >= ?3 order by min(at) limit 1000""")
                .setParameter(1, throttle.windowStart())
                .setParameter(2, kinds.stream().map(ThrottleKey.Kind::prefix).toArray(String[]::new))
                .setParameter(3, lowest)
                .getResultList();
        List<Lockout> found = new ArrayList<>();
        for (Object[] row : rows) {
            Optional<ThrottleKey> parsed = ThrottleKey.parse((String) row[0]);
            if (parsed.isEmpty()) {
                continue;
            }
            ThrottleKey key = parsed.get();
            int limit = throttle.limitOf(key.kind());
            Count count = new Count(((Number) row[1]).longValue(), Throttle.instant(row[2]));
            if (count.n() >= limit && (key.table() == null || tables.contains(key.table()))) {
                found.add(new Lockout(key.value(), key.kind().prefix(), key.table(), key.subject(), count.n(), limit,
                        throttle.retryAfterSeconds(count)));
            }
        }
        return found;
    }

    /**
     * Forgets a lockout that {@link #list} shows for these tables (an account's also forgets its failed pairs);
     * empty when the key is no such lockout, else the kind that was cleared.
     */
    @Transactional
    public Optional<ThrottleKey.Kind> clear(String key, Collection<String> tables) {
        Optional<ThrottleKey> cleared = list(tables).stream().filter(l -> l.key().equals(key)).findFirst()
                .flatMap(l -> ThrottleKey.parse(l.key()));
        cleared.ifPresent(k -> {
            em.createNativeQuery("delete from auth_attempt where key = ?1").setParameter(1, k.value()).executeUpdate();
            if (k.kind() == ThrottleKey.Kind.LOGIN) {
                em.createNativeQuery("delete from auth_attempt where starts_with(key, ?1)")
                        .setParameter(1, k.pairPrefix()).executeUpdate();
            }
        });
        return cleared.map(ThrottleKey::kind);
    }
}
