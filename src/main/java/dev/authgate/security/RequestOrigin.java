package dev.authgate.security;

import jakarta.inject.Singleton;

import io.quarkus.arc.Arc;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;

import dev.authgate.session.SessionOrigin;

/** Where a token is being issued from: the current HTTP request's client address and user agent. */
@Singleton
public class RequestOrigin implements SessionOrigin {

    static final int MAX_USER_AGENT = 512;

    private final ClientAddress clients;

    public RequestOrigin(ClientAddress clients) {
        this.clients = clients;
    }

    @Override
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
