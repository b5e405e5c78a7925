package dev.authgate.security;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

import dev.authgate.account.AccountView;
import dev.authgate.account.AuthTable;
import dev.authgate.account.AuthTables;
import dev.authgate.group.ApiGroup;
import dev.authgate.metrics.AuthMetrics;
import dev.authgate.session.LiveSessions;
import dev.authgate.token.Auth;
import dev.authgate.token.InvalidTokenException;
import dev.authgate.token.InvalidTokenException.Reason;
import dev.authgate.token.TokenService;

/**
 * Turns a token into the {@link SecurityIdentity}: principal = {@link TokenPrincipal} ($auth and the caller's
 * record, read with its session; named by the record id), roles = {@code extras.role}, permissions = the other
 * extras (see {@link ExtrasPermissions}). Resources read it through {@code http/Caller}.
 */
@ApplicationScoped
public class TokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    private final TokenService tokens;
    private final AuthTables tables;
    private final LiveSessions sessions;
    private final AuthMetrics metrics;

    public TokenIdentityProvider(TokenService tokens, AuthTables tables, LiveSessions sessions, AuthMetrics metrics) {
        this.tokens = tokens;
        this.tables = tables;
        this.sessions = sessions;
        this.metrics = metrics;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        Auth auth;
        AuthTable table;
        try {
            auth = tokens.read(request.token());
            table = tableOf(auth, request.group());
        } catch (InvalidTokenException e) {
            metrics.tokenRefused(e.reason());
            return Uni.createFrom().failure(new AuthenticationFailedException(e.reason().name()));
        }
        // A live session in the replica's cache needs no database and no worker thread.
        AccountView cached = sessions.cached(table, auth);
        if (cached != null) {
            return Uni.createFrom().item(identity(auth, cached));
        }
        return context.runBlocking(() -> {
            var record = sessions.record(table, auth).orElseThrow(() -> {
                metrics.tokenRefused(Reason.REVOKED);
                return new AuthenticationFailedException(Reason.REVOKED.name());
            });
            return identity(auth, record);
        });
    }

    /**
     * The same checks, blocking, for a token that no header carried (the console's cookie): the caller behind it,
     * or empty when it is not accepted for this group.
     */
    public Optional<TokenPrincipal> verify(String token, ApiGroup group) {
        try {
            Auth auth = tokens.read(token);
            AuthTable table = tableOf(auth, group);
            var record = sessions.record(table, auth);
            if (record.isEmpty()) {
                metrics.tokenRefused(Reason.REVOKED);
            }
            return record.map(r -> new TokenPrincipal(auth, r));
        } catch (InvalidTokenException e) {
            metrics.tokenRefused(e.reason());
            return Optional.empty();
        }
    }

    /** The token's table, when it is one and, with a group, the group's. */
    private AuthTable tableOf(Auth auth, ApiGroup group) throws InvalidTokenException {
        AuthTable table = tables.byName(auth.dbtable()).orElseThrow(() -> new InvalidTokenException(Reason.OTHER_TABLE));
        if (group != null && !group.table().name().equals(table.name())) {
            throw new InvalidTokenException(Reason.OTHER_TABLE);
        }
        return table;
    }

    private static SecurityIdentity identity(Auth auth, AccountView record) {
        var identity = QuarkusSecurityIdentity.builder()
                .setPrincipal(new TokenPrincipal(auth, record))
                .addPermissionChecker(p -> Uni.createFrom().item(ExtrasPermissions.allows(auth.extras(), p)));
        if (auth.role() != null) {
            identity.addRole(auth.role());
        }
        return identity.build();
    }
}
