package dev.authgate.client;

import java.util.Map;
import java.util.Set;

/**
 * A configured service client.
 *
 * @param digest SHA-256 of its secret: what a presented secret is compared with, in constant time
 * @param groups the API groups it may act on; {@code tables} are their auth tables
 * @param maxExpiration the longest token it may issue, in seconds; 0 = any, tokens that never expire included
 */
public record ServiceClient(String id, byte[] digest, Set<String> groups, Set<String> tables, Set<String> scopes,
        long maxExpiration) {

    public static final String INTROSPECT = "introspect";
    public static final String REVOKE = "revoke";
    public static final String ISSUE = "issue";
    public static final String ISSUE_ROLE = "issue:role";
    public static final String ISSUE_VERIFIED = "issue:verified";
    static final Set<String> SCOPES = Set.of(INTROSPECT, REVOKE, ISSUE, ISSUE_ROLE, ISSUE_VERIFIED);

    /**
     * The extras Authgate's own flows own, each with the scope that lets a client set it: {@code role} (the record's
     * role) and {@code verified} (set by the mail flows; {@code @PermissionsAllowed("verified")} and the gate's
     * {@code permission:verified} trust it).
     */
    public static final Map<String, String> RESERVED_EXTRAS = Map.of("role", ISSUE_ROLE, "verified", ISSUE_VERIFIED);

    public boolean may(String scope) {
        return scopes.contains(scope);
    }

    /** Whether tokens of this auth table are this client's business. */
    public boolean sees(String dbtable) {
        return tables.contains(dbtable);
    }
}
