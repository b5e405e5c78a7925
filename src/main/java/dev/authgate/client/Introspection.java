package dev.authgate.client;

import java.util.Map;
import java.util.Optional;

import jakarta.inject.Singleton;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.authgate.events.Audit;
import dev.authgate.events.AuditEvent;
import dev.authgate.account.AuthTables;
import dev.authgate.session.LiveSessions;
import dev.authgate.session.Revocation;
import dev.authgate.token.Auth;
import dev.authgate.token.InvalidTokenException;
import dev.authgate.token.TokenService;

/**
 * RFC 7662 introspection and RFC 7009 revocation for service clients, on the core's own checks: the token decrypts
 * and has not expired ({@link TokenService#read}), and its session and record exist
 * ({@link LiveSessions#record}). A token of a table the client does not see is, to that client, no token.
 */
@Singleton
public class Introspection {

    private final TokenService tokens;
    private final AuthTables tables;
    private final LiveSessions sessions;
    private final Revocation revocation;
    private final Audit audit;

    public Introspection(TokenService tokens, AuthTables tables, LiveSessions sessions, Revocation revocation, Audit audit) {
        this.audit = audit;
        this.tokens = tokens;
        this.tables = tables;
        this.sessions = sessions;
        this.revocation = revocation;
    }

    public IntrospectionAnswer introspect(ServiceClient client, Optional<String> token) {
        return visible(client, token)
                .filter(auth -> sessions.record(tables.byName(auth.dbtable()).orElseThrow(), auth).isPresent())
                .map(auth -> {
                    audit.ok(AuditEvent.CLIENT_INTROSPECT, auth.dbtable(), auth.id(), Map.of("client", client.id()));
                    return IntrospectionAnswer.of(auth);
                }).orElse(IntrospectionAnswer.INACTIVE);
    }

    /** Ends the token's session; a token that is unreadable, expired, already ended or not the client's is left alone. */
    public boolean revoke(ServiceClient client, Optional<String> token) {
        return visible(client, token).map(auth -> QuarkusTransaction.requiringNew().call(() -> {
            audit.ok(AuditEvent.CLIENT_REVOKE, auth.dbtable(), auth.id(), Map.of("client", client.id()));
            return revocation.revoke(auth.jti()) > 0;
        })).orElse(false);
    }

    private Optional<Auth> visible(ServiceClient client, Optional<String> token) {
        if (token.isEmpty()) {
            return Optional.empty();
        }
        try {
            Auth auth = tokens.read(token.get().strip());
            return client.sees(auth.dbtable()) && tables.byName(auth.dbtable()).isPresent() ? Optional.of(auth)
                    : Optional.empty();
        } catch (InvalidTokenException e) {
            return Optional.empty();
        }
    }
}
