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

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        String url = System.getProperty(PostgresResource.URL_PROPERTY);
        if (url == null) {
            return; // no test of this run started the database
        }
        List<String> lines = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres")) {
            AuditSecrets.Scan scan = AuditSecrets.scan(c, List.of());
            lines.add("rows " + scan.rows());
            scan.found().forEach(f -> lines.add("found " + f));
        } catch (SQLException e) {
            lines.add("error " + e.getMessage()); // the schema may not be there (a run without the audit trail)
        }
        try {
            Files.write(Path.of(FILE), lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
