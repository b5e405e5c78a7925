package dev.authgate.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.authgate.support.Jwe;
import dev.authgate.support.PostgresResource;
import dev.authgate.support.Processes;
import dev.authgate.support.ServiceProcess;
import dev.authgate.support.Wait;

/**
 * Production does not migrate at start. The packaged application on a database nobody migrated: it starts, says in
 * its log what to run, and stays unready; the migration mode (the Job's command) migrates and exits; the waiting
 * replica then turns ready by itself and makes the bootstrap administrator; a replica started afterwards does not
 * touch Flyway at all.
 */
@Processes
class UnmigratedStartIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "root@unmigrated.test";
    private static final String ADMIN_PASSWORD = "unmigrated-admin-pass";

    @Test
    void aReplicaOnAnUnmigratedDatabaseSaysSoStaysUnreadyAndRecoversAfterTheMigrationJob() throws Exception {
        String db = "unmigrated_" + UUID.randomUUID().toString().replace("-", "");
        sql(PostgresResource.jdbcUrl(), "create database " + db);
        String url = PostgresResource.server().getJdbcUrl("postgres", db);
        Map<String, String> replicaEnv = Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", url,
                "QUARKUS_FLYWAY_MIGRATE_AT_START", "false", // the production default, made explicit
                "AUTHGATE_TOKEN_KEYS", Jwe.jwks("unmigrated-1", Jwe.randomKey()),
                "AUTHGATE_BOOTSTRAP_ADMIN_EMAIL", ADMIN,
                "AUTHGATE_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);

        try (ServiceProcess replica = ServiceProcess.start(replicaEnv)) {
            // alive, serving, and saying what is wrong before anything probes its readiness
            replica.awaitStatus("/q/health/live", 200, Duration.ofSeconds(90));
            String warning = awaitLog(replica, "Not ready: the database has no schema");
            assertTrue(warning.contains("QUARKUS_FLYWAY_MIGRATE_AT_START=true QUARKUS_INIT_AND_EXIT=true"), warning);
            assertTrue(warning.contains("k8s/base/migrate-job.yaml"), warning);

            HttpResponse<String> ready = replica.management("/q/health/ready");
            assertEquals(503, ready.statusCode(), ready.body());
            JsonNode schema = check(ready, "schema");
            assertEquals("DOWN", schema.path("status").asText(), ready.body());
            assertEquals("V" + Schema.LATEST, schema.path("data").path("needs").asText(), ready.body());
            assertTrue(schema.path("data").path("problem").asText().contains("never migrated"), ready.body());
            // the database itself is fine: only the schema is missing
            assertEquals("UP", check(ready, "Database connections health check").path("status").asText(), ready.body());
            assertEquals(0, count(url, "select count(*) from pg_tables where schemaname = 'public'"));
            // probed again and again, it says so once
            for (int i = 0; i < 3; i++) {
                assertEquals(503, replica.management("/q/health/ready").statusCode());
            }
            assertEquals(1, occurrences(replica.log(), "Not ready: the database has no schema"), replica.log());
            assertTrue(replica.log().contains("Bootstrap administrator: made once the database schema is migrated"),
                    replica.log());

            // the migration Job's command: migrates and exits, needs no token key
            Map<String, String> jobEnv = Map.of("QUARKUS_DATASOURCE_JDBC_URL", url,
                    "QUARKUS_FLYWAY_MIGRATE_AT_START", "true", "QUARKUS_INIT_AND_EXIT", "true",
                    "QUARKUS_DATASOURCE_JDBC_ACQUISITION_TIMEOUT", "30S"); // as k8s/base/migrate-job.yaml
            try (ServiceProcess job = ServiceProcess.start(jobEnv)) {
                assertEquals(0, job.awaitExit(Duration.ofSeconds(90)), job.log());
                assertFalse(job.log().contains("Listening on"), "it never serves: " + job.log());
            }
            assertEquals(1, count(url, "select count(*) from flyway_schema_history where version = '"
                    + Schema.LATEST + "' and success"));

            // the waiting replica turns ready without a restart, and makes the administrator then
            replica.awaitReady(Duration.ofSeconds(90));
            assertTrue(replica.log().contains("Database schema is at V" + Schema.LATEST), replica.log());
            assertEquals(1, count(url, "select count(*) from staff where email = '" + ADMIN + "'"));
            HttpResponse<String> login = replica.post("/api:staff/auth/login",
                    "{\"email\":\"" + ADMIN + "\",\"password\":\"" + ADMIN_PASSWORD + "\"}");
            assertEquals(200, login.statusCode(), login.body());
            assertTrue(JSON.readTree(login.body()).path("authToken").asText().startsWith("eyJ"), login.body());
        }

        // a replica started on the migrated database: ready, without running Flyway at start
        try (ServiceProcess next = ServiceProcess.start(replicaEnv)) {
            next.awaitReady(Duration.ofSeconds(90));
            assertFalse(next.log().contains("\"loggerName\":\"org.flywaydb"), "Flyway ran at start: " + next.log());
            assertFalse(next.log().contains("Not ready"), next.log());
            assertEquals(1, count(url, "select count(*) from staff where email = '" + ADMIN + "'"));
        }
    }

    private static JsonNode check(HttpResponse<String> health, String name) throws Exception {
        for (JsonNode c : JSON.readTree(health.body()).path("checks")) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no check '" + name + "' in " + health.body());
    }

    private static String awaitLog(ServiceProcess service, String text) {
        Wait.until("'" + text + "' in the log", () -> service.log().contains(text));
        return service.log().lines().filter(line -> line.contains(text)).findFirst().orElseThrow();
    }

    private static int occurrences(String haystack, String needle) {
        return haystack.split(Pattern.quote(needle), -1).length - 1;
    }

    private static void sql(String url, String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static long count(String url, String query) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
