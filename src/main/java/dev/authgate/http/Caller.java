package dev.authgate.http;

import jakarta.enterprise.context.RequestScoped;

import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;

import dev.authgate.account.AccountView;
import dev.authgate.failure.Failure;
import dev.authgate.group.ApiGroup;
import dev.authgate.security.TokenPrincipal;
import dev.authgate.token.Auth;

/** Who is asking and through which API group: what resources know of a request beyond its body. */
@RequestScoped
public class Caller {

    private final SecurityIdentity identity;
    private final CurrentVertxRequest request;

    public Caller(SecurityIdentity identity, CurrentVertxRequest request) {
        this.identity = identity;
        this.request = request;
    }

    /** The group the path addresses; an unknown one never reaches a resource. */
    public ApiGroup group() {
        return GroupPath.of(request.getCurrent()).orElseThrow(Failure::unknownRoute);
    }

    /** The caller's $auth; only on endpoints that require authentication. */
    public Auth auth() {
        return principal().auth();
    }

    /** The caller's record, read with its session. */
    public AccountView record() {
        return principal().record();
    }

    private TokenPrincipal principal() {
        if (identity.getPrincipal() instanceof TokenPrincipal p) {
            return p;
        }
        throw new UnauthorizedException();
    }
}
