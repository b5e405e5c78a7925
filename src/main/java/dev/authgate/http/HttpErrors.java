package dev.authgate.http;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import dev.authgate.config.AuthgateConfig;

/**
 * Failures that happen before the REST layer (proactive authentication, body limits) and requests no route
 * matches: the same error shape as {@link ErrorMapper}.
 */
@Singleton
public class HttpErrors {

    private final long maxBodyBytes;

    public HttpErrors(AuthgateConfig config) {
        this.maxBodyBytes = config.limits().maxBodySize().asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::refuseOversizedBody);
        router.route().order(Integer.MIN_VALUE).failureHandler(this::failure);
        router.route().order(Integer.MAX_VALUE).handler(ctx -> write(ctx, ApiException.notFound(ApiGroups.NOT_FOUND)));
    }

    /**
     * A declared length over {@code authgate.limits.max-body-size} is refused before the body is read. Chunked
     * bodies are bounded by {@code quarkus.http.limits.max-body-size}, set to the same value.
     */
    private void refuseOversizedBody(RoutingContext ctx) {
        String length = ctx.request().getHeader("Content-Length");
        if (length != null && length.length() < 19 && length.chars().allMatch(Character::isDigit)
                && Long.parseLong(length) > maxBodyBytes) {
            ctx.response().setChunked(false).putHeader("Connection", "close");
            write(ctx, ApiException.payloadTooLarge());
            return;
        }
        ctx.next();
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
        } else if (failure == null) {
            write(ctx, ErrorMapper.fromStatus(ctx.statusCode() > 0 ? ctx.statusCode() : 500));
        } else {
            write(ctx, ErrorMapper.unexpectedFailure(failure));
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
