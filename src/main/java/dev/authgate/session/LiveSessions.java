package dev.authgate.session;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;

import dev.authgate.account.AccountView;
import dev.authgate.account.AuthTable;
import dev.authgate.token.Auth;

/**
 * The check behind every authenticated request: is the token's session live, and what is its record? From the
 * replica's {@link SessionCache} when it may answer, else from PostgreSQL (kept in the cache for next time).
 */
@Singleton
public class LiveSessions {

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final SessionCache cache;
    private final AgroalDataSource dataSource;
    private final ObjectMapper json;

    public LiveSessions(SessionCache cache, AgroalDataSource dataSource, ObjectMapper json) {
        this.cache = cache;
        this.dataSource = dataSource;
        this.json = json;
    }

    /** The record behind a live session from memory alone (no database, no worker thread needed), or null. */
    public AccountView cached(AuthTable table, Auth auth) {
        return cache.cached(table, auth);
    }

    /** The record behind the token's session, blocking: empty when the token was revoked or the record deleted. */
    public Optional<AccountView> record(AuthTable table, Auth auth) {
        AccountView cached = cache.cached(table, auth);
        return cached != null ? Optional.of(cached) : cache.load(table, auth, () -> activeRecord(table, auth));
    }

    /**
     * The session and its record in one query: the hot path of every request the cache cannot answer, so it is
     * plain JDBC.
     */
    private Optional<AccountView> activeRecord(AuthTable table, Auth auth) {
        String sql = "select a.id, a.created_at, a.name, a.email, a.role, a.extras::text, a.verified from "
                + table.sqlName() + " a join auth_session s on s.account_id = a.id and s.dbtable = ? where s.jti = ? and a.id = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, table.name());
            ps.setObject(2, auth.jti());
            ps.setLong(3, auth.id());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new AccountView(rs.getLong(1), rs.getTimestamp(2).getTime(), rs.getString(3),
                        rs.getString(4), rs.getString(5), json.readValue(rs.getString(6), OBJECT), rs.getBoolean(7)));
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("session lookup failed", e);
        }
    }
}
