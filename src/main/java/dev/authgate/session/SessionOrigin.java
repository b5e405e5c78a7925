package dev.authgate.session;

import jakarta.inject.Singleton;

import io.quarkus.arc.Arc;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;

import dev.authgate.security.ClientAddress;

/** Where a token is being issued from: the client's address and user agent, shown later by GET auth/sessions. */
@Singleton
public class SessionOrigin {

    static final int MAX_USER_AGENT = 512;

    public record Origin(String ip, String userAgent) {
        static final Origin NONE = new Origin(null, null);
    }

    private final ClientAddress clients;

    public SessionOrigin(ClientAddress clients) {
        this.clients = clients;
    }

    /** The current HTTP request's origin; none outside a request (a token issued by a job, say). */
    public Origin current() {
        var requestContext = Arc.container().requestContext();
        if (!requestContext.isActive()) {
            return Origin.NONE;
        }
        RoutingContext rc = Arc.container().instance(CurrentVertxRequest.class).get().getCurrent();
        if (rc == null) {
            return Origin.NONE;
        }
        String agent = rc.request().getHeader("User-Agent");
        if (agent != null && agent.length() > MAX_USER_AGENT) {
            int end = Character.isHighSurrogate(agent.charAt(MAX_USER_AGENT - 1)) ? MAX_USER_AGENT - 1 : MAX_USER_AGENT;
            agent = agent.substring(0, end);
        }
        return new Origin(clients.of(rc.request()), agent);
    }
}
