package dev.authgate.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import io.quarkus.test.common.QuarkusTestResource;

/** Registers {@link PostgresResource} for every test class, and reads the database for side-effect assertions. */
@QuarkusTestResource(PostgresResource.class)
public final class TestDatabase {

    private TestDatabase() {
    }

    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(PostgresResource.jdbcUrl(), "postgres", "postgres");
    }

    private interface Work<T> {
        T on(PreparedStatement statement) throws SQLException;
    }

    private static <T> T run(String sql, Object[] params, Work<T> work) {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return work.on(ps);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The single long value of a query, e.g. a count. */
    public static long scalar(String sql, Object... params) {
        return run(sql, params, ps -> {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** The first column of the first row as text, or null when there is no row. */
    public static String text(String sql, Object... params) {
        return run(sql, params, ps -> {
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
    }

    public static int update(String sql, Object... params) {
        return run(sql, params, PreparedStatement::executeUpdate);
    }
}
