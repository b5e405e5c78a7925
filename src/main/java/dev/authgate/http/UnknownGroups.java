package dev.authgate.http;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.vertx.core.http.HttpServerRequest;

/** An unknown API group or branch is a 404 before any other rule, authentication's included. */
public class UnknownGroups {

    private final ApiGroups groups;

    public UnknownGroups(ApiGroups groups) {
        this.groups = groups;
    }

    @ServerRequestFilter(preMatching = true)
    public Response refuse(HttpServerRequest request) {
        String path = request.path();
        boolean addressesAGroup = path.regionMatches(true, 0, "/api:", 0, 5) || path.regionMatches(true, 0, "/api%3a", 0, 7);
        if (addressesAGroup && groups.ofPath(path).isEmpty()) {
            return ErrorMapper.toResponse(ApiException.notFound(ApiGroups.NOT_FOUND));
        }
        return null;
    }
}
