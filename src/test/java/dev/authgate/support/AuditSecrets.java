package dev.authgate.support;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/** The secrets the tests use, and a scan of every audit row for them: no row may hold one. */
public final class AuditSecrets {

    /** Passwords, hash prefixes and secret prefixes the test suite sends or stores. */
    public static final List<String> SECRETS = List.of(Api.PASSWORD, PostgresResource.ADMIN_PASSWORD,
            "another secret 123", "a new password 1", "wrong password here", "whsec_", "$2a$", "$2b$");

    /** A JWE (authToken): five base64url parts. */
    private static final Pattern JWE = Pattern.compile("[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]{10,}\\.");

    /** A refresh token: a 22-character id, a dot, a 43-character secret (docs/sessions.md). */
    private static final Pattern REFRESH_TOKEN = Pattern.compile("(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])");

    /** What a scan saw: how many rows, and which of them hold a secret or a token. */
    public record Scan(long rows, List<String> found) {
    }

    private AuditSecrets() {
    }

    public static Scan scan(Connection c, Collection<String> more) throws SQLException {
        List<String> secrets = new ArrayList<>(SECRETS);
        secrets.addAll(more);
        List<String> found = new ArrayList<>();
        long rows = 0;
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select id, auth_audit::text from auth_audit")) {
            while (rs.next()) {
                rows++;
                String row = rs.getString(2);
                long id = rs.getLong(1);
                secrets.stream().filter(row::contains).forEach(x -> found.add(id + " holds a secret"));
                if (JWE.matcher(row).find() || REFRESH_TOKEN.matcher(row).find()) {
                    found.add(id + " holds a token");
                }
            }
        }
        return new Scan(rows, found);
    }
}
