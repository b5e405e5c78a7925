package dev.authgate.gate;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.MultiMap;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import dev.authgate.failure.Failure;
import dev.authgate.group.ApiGroups;
import dev.authgate.security.TokenPrincipal;
import dev.authgate.token.Auth;

/**
 * {@code /gate/check}, any method: forward authentication for reverse proxies. The proxy named by
 * {@code authgate.gate.forwarded} describes the original request ({@link Forwarded}); a description in another
 * proxy's headers is the client's and refused. The token was already read and checked (decryption, session) by the proactive
 * {@code TokenAuthenticationMechanism} from the same headers; this class picks the rule, checks that the token
 * belongs to the rule's group's table, and the rule's access. 200 with the identity headers, or 401/403 in
 * the error shape; never 3xx.
 */
@Startup
@Singleton
public class Gate {

    public static final String PATH = "/gate/check";
    /** The identity headers of a 200, in this order; the proxies' examples copy exactly these. */
    public static final String ID = "X-Authgate-Id";
    public static final String TABLE = "X-Authgate-Table";
    public static final String ROLE = "X-Authgate-Role";
    public static final String EXTRAS = "X-Authgate-Extras";
    public static final String SESSION = "X-Authgate-Session";
    /** The token's {@code aal}: 1, or 2 after a second factor. */
    public static final String AAL = "X-Authgate-Aal";
    public static final List<String> IDENTITY_HEADERS = List.of(ID, TABLE, ROLE, EXTRAS, SESSION, AAL);

    private static final String ROUTE = "/gate/check(?:/.*)?";
    private static final Logger LOG = Logger.getLogger(Gate.class);
    /** Printable and never starting with "{" (see examples/caddy/Caddyfile): a role that may travel as a header. */
    private static final Pattern PRINTABLE_ROLE = Pattern.compile("(?!\\{)[\\x20-\\x7e]+");
    private static final int UNAUTHORIZED = 401;
    private static final int DENIED = 403;

    /** The original request, as the proxy described it. */
    private record Original(String method, List<String> segments) {
    }

    private final RouteTable table;
    private final Forwarded forwarded;
    private final boolean methodOverride;
    private final GateMetrics metrics;

    public Gate(GateConfig config, ApiGroups groups, GateMetrics metrics) {
        this.table = RouteTable.compile(config.routes(), config.defaultAccess(), groups::find);
        this.forwarded = config.forwarded();
        this.methodOverride = config.methodOverride();
        this.metrics = metrics;
        metrics.register(table.names());
    }

    /** Before HttpErrors' failure handler (same order, registered first), so a refused token is logged with its rule. */
    void install(@Observes @Priority(Interceptor.Priority.APPLICATION) Router router) {
        router.routeWithRegex(ROUTE).order(Integer.MIN_VALUE).failureHandler(this::invalidToken);
        router.routeWithRegex(ROUTE).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        Original original;
        try {
            original = original(ctx);
        } catch (ForwardedPath.Refused e) {
            refuse(ctx, RouteTable.NONE, null, DENIED, e.getMessage());
            return;
        }
        Optional<Rule> found;
        try {
            found = table.match(original.method(), original.segments());
        } catch (ForwardedPath.Refused e) {
            refuse(ctx, RouteTable.NONE, original, DENIED, e.getMessage());
            return;
        }
        if (found.isEmpty()) {
            refuse(ctx, RouteTable.NONE, original, DENIED, "no rule matches");
            return;
        }
        Rule rule = found.get();
        SecurityIdentity identity = ctx.user() instanceof QuarkusHttpUser user ? user.getSecurityIdentity() : null;
        Auth auth = identity != null && identity.getPrincipal() instanceof TokenPrincipal p ? p.auth() : null;
        if (auth == null) {
            if (rule.access().kind() == Access.Kind.PUBLIC) {
                allow(ctx, rule, null);
            } else {
                refuse(ctx, rule.name(), original, UNAUTHORIZED, "no token");
            }
            return;
        }
        if (!auth.dbtable().equals(rule.table())) {
            // header rule 4: a token of another table than the group's is a token read and not valid, public or not
            refuse(ctx, rule.name(), original, UNAUTHORIZED,
                    "a token of table " + auth.dbtable() + ", the rule's group " + rule.group() + " wants " + rule.table());
            return;
        }
        if (auth.aal() < rule.aal()) {
            refuse(ctx, rule.name(), original, DENIED, "aal " + auth.aal() + ", the rule wants " + rule.aal());
            return;
        }
        switch (rule.access().kind()) {
            case PUBLIC, AUTHENTICATED -> allow(ctx, rule, auth);
            case ROLE -> {
                if (rule.access().roles().stream().anyMatch(identity::hasRole)) {
                    allow(ctx, rule, auth);
                } else {
                    refuse(ctx, rule.name(), original, DENIED, "role not allowed");
                }
            }
            case PERMISSION -> identity.checkPermission(rule.access().permission()).subscribe().with(granted -> {
                if (granted) {
                    allow(ctx, rule, auth);
                } else {
                    refuse(ctx, rule.name(), original, DENIED, "permission denied");
                }
            }, ctx::fail);
        }
    }



    /** A token was read and is not valid: the mechanism's 401 (HttpErrors writes it); logged and counted here. */
    private void invalidToken(RoutingContext ctx) {
        if (ctx.failure() instanceof AuthenticationFailedException e && !ctx.response().headWritten()) {
            String rule = RouteTable.NONE;
            Original original = null;
            try {
                original = original(ctx);
                rule = table.match(original.method(), original.segments()).map(Rule::name).orElse(RouteTable.NONE);
            } catch (ForwardedPath.Refused ignored) {
                // the token decides: 401 whatever the request described
            }
            record(rule, original, GateMetrics.UNAUTHORIZED, 401, "invalid token (" + e.getMessage() + ")");
        }
        ctx.next();
    }

    private void allow(RoutingContext ctx, Rule rule, Auth auth) {
        var response = ctx.response().setStatusCode(200).putHeader("Cache-Control", "no-store");
        if (auth != null) {
            response.putHeader(ID, Long.toString(auth.id())).putHeader(TABLE, auth.dbtable())
                    .putHeader(EXTRAS, Base64.getUrlEncoder().withoutPadding()
                            .encodeToString(Json.encode(auth.extras()).getBytes(StandardCharsets.UTF_8)))
                    .putHeader(SESSION, auth.jti().toString())
                    .putHeader(AAL, Integer.toString(auth.aal()));
            if (auth.role() != null && PRINTABLE_ROLE.matcher(auth.role()).matches()) {
                // printable, and never starting with "{" (see examples/caddy/Caddyfile); the exact role is in the extras
                response.putHeader(ROLE, auth.role());
            }
        }
        metrics.decision(rule.name(), GateMetrics.ALLOWED);
        response.end();
    }

    /** 401 or 403 in the error shape, written by HttpErrors' failure handler like every other refusal. */
    private void refuse(RoutingContext ctx, String rule, Original original, int status, String reason) {
        record(rule, original, status == UNAUTHORIZED ? GateMetrics.UNAUTHORIZED : GateMetrics.FORBIDDEN, status, reason);
        ctx.fail(status == UNAUTHORIZED ? new AuthenticationFailedException() : Failure.denied("Access denied."));
    }

    /** The log line of a refusal: the rule and the reason, the normalized path without its query, never a token. */
    private void record(String rule, Original original, String outcome, int status, String reason) {
        metrics.decision(rule, outcome);
        LOG.infof("gate refused %s %s: rule=%s status=%d reason=%s", original == null ? "-" : original.method(),
                original == null ? "-" : ForwardedPath.display(original.segments()), rule, status, reason);
    }

    /**
     * The method and path of the original request, from the one description {@code authgate.gate.forwarded} names;
     * the method a method-override header names where that is allowed.
     */
    private Original original(RoutingContext ctx) throws ForwardedPath.Refused {
        MultiMap headers = ctx.request().headers();
        Forwarded.Described described = forwarded.describe(headers::getAll,
                ctx.request().uri().substring(PATH.length()), ctx.request().method().name());
        return new Original(Forwarded.overridden(described.method(), headers::getAll, methodOverride),
                ForwardedPath.segments(described.uri()));
    }
}
