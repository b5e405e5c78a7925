package dev.authgate.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * When a test run ends (every class of the JVM's run, before the database goes away), every audit row the run wrote
 * is scanned for the suite's secrets, and the result written to {@value #FILE}: the unit suite's, read by
 * {@code events/AuditSecretsIT}, which runs after it in {@code ./mvnw verify}.
 */
public final class AuditScanListener implements LauncherSessionListener {

    public static final String FILE = "target/audit-scan.txt";
    private static final String UNDEFINED_TABLE = "42P01";

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        String urls = System.getProperty(PostgresResource.URL_PROPERTY);
        if (urls == null) {
            return; // no test of this run started a database
        }
        long rows = 0;
        List<String> found = new ArrayList<>();
        for (String url : urls.split(" ")) {
            try (Connection c = DriverManager.getConnection(url, "postgres", "postgres")) {
                AuditSecrets.Scan scan = AuditSecrets.scan(c, List.of());
                rows += scan.rows();
                scan.found().forEach(f -> found.add("found " + f));
            } catch (SQLException e) {
                // a database no test migrated has no audit trail; one already closed has nothing left to read
                String state = e.getSQLState() == null ? "" : e.getSQLState();
                if (!state.equals(UNDEFINED_TABLE) && !state.startsWith("08")) {
                    found.add("error " + e.getMessage());
                }
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add("rows " + rows);
        lines.addAll(found);
        try {
            Files.write(Path.of(FILE), lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
