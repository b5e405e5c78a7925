package dev.authgate.http;

import jakarta.inject.Singleton;

import io.quarkus.arc.Arc;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;

import dev.authgate.events.AuditContext;
import dev.authgate.security.TokenPrincipal;
import dev.authgate.session.SessionOrigin;

/**
 * Who caused an audit event: the request's client address and user agent, and the record and session of the token
 * it was authenticated with (read as authenticated, never authenticating here: an audit row never turns a request
 * into a 401).
 */
@Singleton
public class RequestAudit implements AuditContext {

    private final SessionOrigin origin;

    public RequestAudit(SessionOrigin origin) {
        this.origin = origin;
    }

    @Override
    public Context current() {
        var from = origin.current();
        if (from == SessionOrigin.Origin.NONE) {
            return Context.NONE;
        }
        var rc = Arc.container().instance(CurrentVertxRequest.class).get().getCurrent();
        if (rc != null && rc.user() instanceof QuarkusHttpUser user
                && user.getSecurityIdentity().getPrincipal() instanceof TokenPrincipal p) {
            return new Context(from.ip(), from.userAgent(), p.auth().jti(), p.auth().dbtable(), p.auth().id());
        }
        return new Context(from.ip(), from.userAgent(), null, null, null);
    }
}
