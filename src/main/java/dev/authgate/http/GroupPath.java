package dev.authgate.http;

import java.util.Optional;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import dev.authgate.failure.Failure;
import dev.authgate.group.ApiGroup;
import dev.authgate.group.ApiGroups;

/**
 * The one place that reads the API group from a request path ({@code /api:main}, {@code /api:main:v1}; a
 * percent-encoded colon, as rest-assured sends it, is the same path). The group is resolved once per request, at
 * the front of the router, and kept on the request for the authentication mechanism, the resources
 * ({@link Caller}) and the 404 of an unknown group.
 */
@Singleton
public class GroupPath {

    /** The group segment in resource paths; the parameter is never read (the group is resolved once, here). */
    public static final String PATH = "/{api:api(?::|%3[aA])[^/]+}";

    private static final String KEY = GroupPath.class.getName();

    /** What the path addresses: no group, a known group, or an unknown one. */
    private record Resolved(boolean addressesGroup, Optional<ApiGroup> group) {
    }

    private static final Resolved NO_GROUP = new Resolved(false, Optional.empty());

    private final ApiGroups groups;

    public GroupPath(ApiGroups groups) {
        this.groups = groups;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            resolve(ctx);
            ctx.next();
        });
    }

    /** The group the request addresses, when it addresses a known one. */
    public static Optional<ApiGroup> of(RoutingContext ctx) {
        Resolved resolved = ctx.get(KEY);
        return resolved == null ? Optional.empty() : resolved.group();
    }

    /**
     * An unknown API group or branch is a 404 before routing, authorization and input checks. Authentication runs
     * earlier: a token that was read and is invalid is a 401 even here (header rule 4). A class of its own: REST
     * filters are made before runtime configuration, so it may depend on nothing configured.
     */
    public static class UnknownGroups {
        @ServerRequestFilter(preMatching = true)
        public Response refuse(RoutingContext ctx) {
            Resolved resolved = ctx.get(KEY);
            if (resolved != null && resolved.addressesGroup() && resolved.group().isEmpty()) {
                return ErrorMapper.toResponse(ErrorReply.of(Failure.unknownRoute()));
            }
            return null;
        }
    }

    private void resolve(RoutingContext ctx) {
        String group = groupSegment(ctx.request().path());
        ctx.put(KEY, group == null ? NO_GROUP
                : new Resolved(true, groups.find(group.replace("%3A", ":").replace("%3a", ":"))));
    }

    /**
     * What follows {@code /api:} (or {@code /api%3A}, any case) up to the next slash; null when the path does not
     * start so or nothing follows. Read without a regex: it runs first on every request.
     */
    static String groupSegment(String path) {
        if (path == null || !path.regionMatches(true, 0, "/api", 0, 4)) {
            return null;
        }
        int start = path.startsWith(":", 4) ? 5 : path.regionMatches(true, 4, "%3a", 0, 3) ? 7 : -1;
        if (start < 0) {
            return null;
        }
        int slash = path.indexOf('/', start);
        int end = slash < 0 ? path.length() : slash;
        return end > start ? path.substring(start, end) : null;
    }
}
