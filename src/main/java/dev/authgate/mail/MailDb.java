package dev.authgate.mail;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import jakarta.inject.Singleton;

import io.agroal.api.AgroalDataSource;

/**
 * Plain JDBC for the flows' few statements. Inside a transaction the connection is the transaction's (Agroal
 * enlists it), so these statements commit or roll back with the throttle, the sessions and the token.
 */
@Singleton
class MailDb {

    static final String UNIQUE_VIOLATION = "23505";

    interface Mapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private final AgroalDataSource dataSource;

    MailDb(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The first row of a query (or of an {@code update ... returning}), if any. */
    <T> Optional<T> first(String sql, Mapper<T> mapper, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, params);
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(mapper.map(rs)) : Optional.empty();
        } catch (SQLException e) {
            throw new MailDbException(e);
        }
    }

    int update(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, params)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new MailDbException(e);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
        return ps;
    }

    /** A failed statement; the SQL state says e.g. whether a unique constraint refused it. */
    static final class MailDbException extends RuntimeException {
        MailDbException(SQLException cause) {
            super(cause.getSQLState(), cause);
        }

        boolean uniqueViolation() {
            return UNIQUE_VIOLATION.equals(((SQLException) getCause()).getSQLState());
        }
    }
}
