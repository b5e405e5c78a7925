package dev.authgate.http;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Failures that happen before the REST layer (proactive authentication, body limits) and requests no route
 * matches: the same error shape as {@link ErrorMapper}.
 */
@Singleton
public class HttpErrors {

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::failure);
        router.route().order(Integer.MAX_VALUE).handler(ctx -> write(ctx, ApiException.notFound(ApiGroups.NOT_FOUND)));
    }

    private void failure(RoutingContext ctx) {
        if (ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        Throwable failure = ctx.failure();
        if (failure instanceof AuthenticationFailedException || failure instanceof UnauthorizedException) {
            write(ctx, ApiException.unauthorized());
        } else if (failure instanceof ApiException api) {
            write(ctx, api);
        } else if (failure == null && ctx.statusCode() > 0) {
            write(ctx, ErrorMapper.fromStatus(ctx.statusCode()));
        } else {
            ctx.next();
        }
    }

    private static void write(RoutingContext ctx, ApiException e) {
        var response = ctx.response().setStatusCode(e.status()).putHeader("Content-Type", "application/json");
        if (e.retryAfterSeconds() != null) {
            response.putHeader("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        if (e.status() == 401) {
            response.putHeader("WWW-Authenticate", "Bearer");
        }
        response.end(Json.encode(e.error()));
    }
}
