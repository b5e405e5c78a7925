package dev.authgate.client;

import java.util.Set;

/**
 * A configured service client.
 *
 * @param digest SHA-256 of its secret: what a presented secret is compared with, in constant time
 * @param groups the API groups it may act on; {@code tables} are their auth tables
 */
public record ServiceClient(String id, byte[] digest, Set<String> groups, Set<String> tables, Set<String> scopes) {

    public static final String INTROSPECT = "introspect";
    public static final String REVOKE = "revoke";
    public static final String ISSUE = "issue";
    public static final String ISSUE_ROLE = "issue:role";
    static final Set<String> SCOPES = Set.of(INTROSPECT, REVOKE, ISSUE, ISSUE_ROLE);

    public boolean may(String scope) {
        return scopes.contains(scope);
    }

    /** Whether tokens of this auth table are this client's business. */
    public boolean sees(String dbtable) {
        return tables.contains(dbtable);
    }
}
