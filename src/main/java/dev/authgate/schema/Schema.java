package dev.authgate.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Whether the database has the schema this build needs. Production does not migrate at start (a migration Job
 * does, see docs/deploy.md); a replica that starts on a database without it says so, stays unready
 * ({@link SchemaCheck}) and turns ready by itself once the Job has run. One indexed query per look until the schema
 * is there, none afterwards: a schema never goes back, and losing the database is the datasource check's business.
 */
@ApplicationScoped
public class Schema {

    /** The newest migration in src/main/resources/db/migration; {@code SchemaVersionTest} keeps the two in step. */
    public static final String LATEST = "20";

    static final String HOW_TO_MIGRATE = "Run the migration first: the Kubernetes Job k8s/base/migrate-job.yaml, or "
            + "this image/jar once with QUARKUS_FLYWAY_MIGRATE_AT_START=true QUARKUS_INIT_AND_EXIT=true "
            + "(it migrates and exits).";
    private static final Logger LOG = Logger.getLogger(Schema.class);
    private static final String UNDEFINED_TABLE = "42P01";

    private final AgroalDataSource dataSource;
    private final Event<SchemaMigrated> migratedEvent;
    private volatile boolean migrated;
    private String lastProblem;

    public Schema(AgroalDataSource dataSource, Event<SchemaMigrated> migratedEvent) {
        this.dataSource = dataSource;
        this.migratedEvent = migratedEvent;
    }

    /** Looks once at start, off the start's path, so that an unmigrated database is in the log even unprobed. */
    void onStart(@Observes StartupEvent event) {
        Infrastructure.getDefaultWorkerPool().execute(this::migrated);
    }

    /** True once the database has this build's newest migration; the first time, {@link SchemaMigrated} fires. */
    public boolean migrated() {
        if (migrated) {
            return true;
        }
        synchronized (this) {
            if (migrated) {
                return true;
            }
            String problem = look();
            if (problem == null) {
                LOG.infof("Database schema is at V%s.", LATEST);
                try { // before 'migrated' is set: whoever asks meanwhile waits until the observers are done
                    migratedEvent.fire(new SchemaMigrated(LATEST));
                } catch (RuntimeException e) { // the schema is there all the same; the observer says what failed
                    LOG.error("After the schema check: " + e.getMessage(), e);
                }
                migrated = true;
                return true;
            }
            if (!problem.equals(lastProblem)) { // once per change, not on every probe
                LOG.warn("Not ready: " + problem);
            }
            lastProblem = problem;
            return false;
        }
    }

    /** What {@link #migrated()} last found wrong. */
    public synchronized String problem() {
        return lastProblem;
    }

    /** null when migration V{@value #LATEST} is applied, else what is wrong. */
    private String look() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "select count(*) from flyway_schema_history where version = ? and success")) {
            ps.setString(1, LATEST);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0 ? null
                        : "the database schema is older than this build (migration V" + LATEST + " is not applied). "
                                + HOW_TO_MIGRATE;
            }
        } catch (SQLException e) {
            if (UNDEFINED_TABLE.equals(e.getSQLState())) {
                return "the database has no schema (no flyway_schema_history table): it was never migrated. "
                        + HOW_TO_MIGRATE;
            }
            return "the database is unreachable (" + e.getSQLState() + ").";
        }
    }
}
