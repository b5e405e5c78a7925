package dev.authgate.account;

/**
 * An auth table as configured: its entity and its token rules.
 *
 * @param entityName the JPQL name, e.g. {@code User} for the {@code user} table
 * @param tokenExpiration seconds; 0 means never
 */
public record AuthTable(String name, String entityName, Class<? extends Account> entity, long tokenExpiration,
        boolean signup) {

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
