package dev.authgate.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Singleton;

import io.agroal.api.AgroalDataSource;

/**
 * Plain JDBC for the features whose few statements read better as SQL than as entities (mail's flows and secrets,
 * federation's flows, codes and identities). Inside a transaction the connection is the transaction's (Agroal
 * enlists it), so these statements commit or roll back with the rest of it: the throttle, the sessions, the token.
 */
@Singleton
public class Jdbc {

    static final String UNIQUE_VIOLATION = "23505";

    /** One row to a value; may answer null (then {@link #first} is empty). */
    public interface Mapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private final AgroalDataSource dataSource;

    public Jdbc(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The first row of a query (or of an {@code update ... returning}), if any. */
    public <T> Optional<T> first(String sql, Mapper<T> mapper, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, params);
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.ofNullable(mapper.map(rs)) : Optional.empty();
        } catch (SQLException e) {
            throw new Failed(e);
        }
    }

    public <T> List<T> all(String sql, Mapper<T> mapper, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, params);
                ResultSet rs = ps.executeQuery()) {
            List<T> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(mapper.map(rs));
            }
            return rows;
        } catch (SQLException e) {
            throw new Failed(e);
        }
    }

    public int update(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, params)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new Failed(e);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
        return ps;
    }

    /**
     * A failed statement, its SQLException the cause (so the error mapper still sees an unreachable database); the
     * SQL state says e.g. whether a unique constraint refused it.
     */
    public static final class Failed extends RuntimeException {
        Failed(SQLException cause) {
            super(cause.getSQLState(), cause);
        }

        public boolean uniqueViolation() {
            return UNIQUE_VIOLATION.equals(((SQLException) getCause()).getSQLState());
        }
    }
}
