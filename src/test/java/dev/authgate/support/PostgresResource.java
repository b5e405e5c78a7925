package dev.authgate.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL for the tests, started by the build from a Maven dependency (no Docker, no install).
 * One server per test JVM, shared by @QuarkusTest and @QuarkusIntegrationTest classes.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    public static final String ADMIN_EMAIL = "admin@authgate.test";
    public static final String ADMIN_PASSWORD = "admin-password-for-tests";

    /**
     * The JDBC URLs of the servers this JVM started, space-separated, as a system property: JVM-wide, so that code
     * outside Quarkus' test class loaders (AuditScanListener, at the end of the run) finds the JVM's databases.
     */
    public static final String URL_PROPERTY = "dev.authgate.test.postgres-url";

    private static EmbeddedPostgres postgres;

    public static synchronized EmbeddedPostgres server() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // every server this JVM started (Quarkus' test class loaders may each start one), space-separated
            String url = postgres.getJdbcUrl("postgres", "postgres");
            String before = System.getProperty(URL_PROPERTY);
            System.setProperty(URL_PROPERTY, before == null ? url : before + " " + url);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
        }
        return postgres;
    }

    public static String jdbcUrl() {
        return server().getJdbcUrl("postgres", "postgres");
    }

    @Override
    public Map<String, String> start() {
        // Also what the packaged application (prod profile, in *IT tests) needs to start: a token key that is
        // not a dev key, and the bootstrap administrator that tests log in as.
        return Map.ofEntries(
                Map.entry("quarkus.datasource.jdbc.url", jdbcUrl()),
                Map.entry("quarkus.datasource.username", "postgres"),
                Map.entry("quarkus.datasource.password", "postgres"),
                // the packaged application does not migrate at start in production: the tests' database is migrated
                // by the first start instead of a migration Job
                Map.entry("quarkus.flyway.migrate-at-start", "true"),
                Map.entry("authgate.token.keys", Jwe.jwks(Jwe.TEST_KID, Jwe.TEST_KEY)),
                Map.entry("authgate.bootstrap.admin-email", ADMIN_EMAIL),
                Map.entry("authgate.bootstrap.admin-password", ADMIN_PASSWORD),
                // every test comes from 127.0.0.1: only the throttling tests use the real thresholds
                Map.entry("authgate.throttle.login.max-failures-per-address", "1000000"),
                Map.entry("authgate.throttle.login.max-successes", "1000000"),
                Map.entry("authgate.throttle.signup.max-per-address", "1000000"));
    }

    @Override
    public void stop() {
        // kept for the next test class; closed when the JVM exits
    }
}
