package dev.authgate.mail;

import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.authgate.jdbc.Jdbc;
import dev.authgate.account.AccountView;
import dev.authgate.account.AuthTable;
import dev.authgate.token.TokenService;

/**
 * The rows of an auth table as the flows read and change them. Every change names the id <em>and</em> the email
 * the secret was mailed to: a link for an address the account no longer has changes nothing.
 */
@Singleton
class AccountRows {

    private static final String COLUMNS = "id, created_at, name, email, password_hash, role, extras::text, verified";
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    record Row(long id, long createdAt, String name, String email, String passwordHash, String role,
            Map<String, Object> extras, boolean verified) {

        AccountView view() {
            return new AccountView(id, createdAt, name, email, role, extras, verified);
        }

        Map<String, Object> tokenExtras() {
            return TokenService.extrasOf(role, extras, verified);
        }
    }

    private final Jdbc db;
    private final ObjectMapper json;

    AccountRows(Jdbc db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    Optional<Row> byEmail(AuthTable table, String email) {
        return db.first("select " + COLUMNS + " from " + table.sqlName() + " where email = ?", this::row, email);
    }

    Optional<Row> byId(AuthTable table, long id) {
        return db.first("select " + COLUMNS + " from " + table.sqlName() + " where id = ?", this::row, id);
    }

    /** The address is proved: {@code verified} becomes true. */
    Optional<Row> markVerified(AuthTable table, long id, String email) {
        return db.first("update " + table.sqlName() + " set verified = true where id = ? and email = ? returning "
                + COLUMNS, this::row, id, email);
    }

    /** A reset also proves the address. */
    Optional<Row> resetPassword(AuthTable table, long id, String email, String passwordHash) {
        return db.first("update " + table.sqlName() + " set password_hash = ?, verified = true where id = ?"
                + " and email = ? returning " + COLUMNS, this::row, passwordHash, id, email);
    }

    /** The new address is proved by the link mailed to it. A taken address fails on the unique constraint. */
    Optional<Row> changeEmail(AuthTable table, long id, String email, String newEmail) {
        return db.first("update " + table.sqlName() + " set email = ?, verified = true where id = ? and email = ?"
                + " returning " + COLUMNS, this::row, newEmail, id, email);
    }

    /** The password is replaced by one nobody knows: only a reset (or a session that outlives this) gets in. */
    void voidPassword(AuthTable table, long id, String unknownHash) {
        db.update("update " + table.sqlName() + " set password_hash = ? where id = ?", unknownHash, id);
    }

    /** Whether the session is the account's and was opened by proving its password (migration V11). */
    boolean passwordSession(AuthTable table, long id, java.util.UUID jti) {
        return db.first("select password from auth_session where jti = ? and dbtable = ? and account_id = ?",
                rs -> rs.getBoolean(1), jti, table.name(), id).orElse(false);
    }

    private Row row(ResultSet rs) throws SQLException {
        try {
            return new Row(rs.getLong(1), rs.getTimestamp(2).getTime(), rs.getString(3), rs.getString(4),
                    rs.getString(5), rs.getString(6), json.readValue(rs.getString(7), OBJECT), rs.getBoolean(8));
        } catch (IOException e) {
            throw new SQLException("extras is not a JSON object", e);
        }
    }
}
