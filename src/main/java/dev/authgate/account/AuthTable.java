package dev.authgate.account;

import dev.authgate.config.AuthgateConfig;

/**
 * An auth table as configured: its entity and its settings ({@code authgate.tables.<table>.*}). Code reads a
 * table's settings here, never from the configuration.
 *
 * @param entityName the JPQL name, e.g. {@code User} for the {@code user} table
 * @param tokenExpiration seconds; 0 means never
 * @param maxSessions live sessions per account; a new one past it ends the oldest
 * @param email which accounts-by-email flows are on
 * @param refreshTokens whether sign-ins answer a refresh token and {@code auth/refresh} exists
 * @param refreshExpiration seconds a refresh family lives from its sign-in
 */
public record AuthTable(String name, String entityName, Class<? extends Account> entity, long tokenExpiration,
        boolean signup, int maxSessions, AuthgateConfig.Table.Email email, boolean refreshTokens,
        long refreshExpiration) {

    /** A table without refresh tokens. */
    public AuthTable(String name, String entityName, Class<? extends Account> entity, long tokenExpiration,
            boolean signup, int maxSessions, AuthgateConfig.Table.Email email) {
        this(name, entityName, entity, tokenExpiration, signup, maxSessions, email, false, 0);
    }

    /** The SQL name, quoted: {@code user} is a reserved word in PostgreSQL. */
    public String sqlName() {
        return '"' + name + '"';
    }

    public Account newRow() {
        try {
            return entity.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot instantiate " + entity, e);
        }
    }
}
