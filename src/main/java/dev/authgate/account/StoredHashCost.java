package dev.authgate.account;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

import dev.authgate.schema.Schema;
import dev.authgate.schema.SchemaMigrated;


/**
 * Keeps {@link PasswordHasher}'s decoy at the cost most stored hashes have. After {@code bcrypt-cost} changes, the
 * stored hashes keep their old cost until their owners log in again; a decoy at the new cost would make an unknown
 * email answer faster or slower than a known one.
 */
@Singleton
public class StoredHashCost {

    private final EntityManager em;
    private final AuthTables tables;
    private final PasswordHasher hasher;
    private final Schema schema;

    public StoredHashCost(EntityManager em, AuthTables tables, PasswordHasher hasher, Schema schema) {
        this.em = em;
        this.tables = tables;
        this.hasher = hasher;
        this.schema = schema;
    }

    /** As soon as there are tables to read: at start, or once the migration Job has run. */
    void onMigrated(@Observes SchemaMigrated event) {
        update(); // not through schema.migrated(): this runs while the schema check fires its event
    }

    @Scheduled(every = "1h", delayed = "1h", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        if (schema.migrated()) {
            update();
        }
    }

    private void update() {
        int common = mostCommon();
        if (common > 0) {
            hasher.decoyCost(common);
        }
    }

    /** The cost of most stored bcrypt hashes over all auth tables; 0 when there are none. */
    int mostCommon() {
        Map<Integer, Long> counts = new HashMap<>();
        for (AuthTable table : tables.all()) {
            List<?> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                    "select substring(password_hash from 5 for 2), count(*) from " + table.sqlName()
                            + " where password_hash ~ '^\\$2[abxy]\\$[0-9]{2}\\$' group by 1").getResultList());
            for (Object row : rows) {
                Object[] r = (Object[]) row;
                counts.merge(Integer.parseInt((String) r[0]), ((Number) r[1]).longValue(), Long::sum);
            }
        }
        return counts.entrySet().stream().max(Map.Entry.<Integer, Long>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey())).map(Map.Entry::getKey).orElse(0);
    }
}
