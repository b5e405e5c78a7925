package dev.authgate.http;

import java.util.Optional;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.configuration.MemorySize;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import dev.authgate.config.AuthgateConfig;
import dev.authgate.failure.Failure;

/**
 * Failures that happen before the REST layer (proactive authentication, body limits) and requests no route
 * matches: the same {@link ErrorReply}, body and headers, as {@link ErrorMapper}.
 */
@Singleton
public class HttpErrors {

    private final long maxBodyBytes;

    public HttpErrors(AuthgateConfig config,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> backstop) {
        this.maxBodyBytes = config.limits().maxBodySize().asLongValue();
        if (backstop.isPresent() && backstop.get().asLongValue() <= maxBodyBytes) {
            throw new IllegalStateException("authgate.limits.max-body-size (" + maxBodyBytes
                    + " bytes) must be below quarkus.http.limits.max-body-size (" + backstop.get().asLongValue()
                    + " bytes), Vert.x's backstop, which answers without the error shape.");
        }
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::refuseOversizedBody);
        router.route().order(Integer.MIN_VALUE).failureHandler(this::failure);
        router.route().order(Integer.MAX_VALUE).handler(ctx -> write(ctx, ErrorReply.of(Failure.unknownRoute())));
    }

    /**
     * A declared length over {@code authgate.limits.max-body-size} is refused before the body is read; a body
     * without one (chunked) is counted while read, by {@link BodyLimit}.
     */
    private void refuseOversizedBody(RoutingContext ctx) {
        String length = ctx.request().getHeader("Content-Length");
        if (length != null && length.length() < 19 && length.chars().allMatch(Character::isDigit)
                && Long.parseLong(length) > maxBodyBytes) {
            ctx.response().setChunked(false).putHeader("Connection", "close");
            write(ctx, ErrorReply.of(Failure.tooLarge()));
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
            write(ctx, ErrorReply.unauthorized());
        } else if (failure instanceof Failure known) {
            write(ctx, ErrorReply.of(known));
        } else if (failure == null) {
            write(ctx, ErrorReply.fromStatus(ctx.statusCode() > 0 ? ctx.statusCode() : 500));
        } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            // vertx-web refused the request before any route, e.g. a Host it cannot parse (400): the client's fault
            write(ctx, ErrorReply.fromStatus(ctx.statusCode()));
        } else {
            write(ctx, ErrorMapper.unexpectedFailure(failure));
        }
    }

    private static void write(RoutingContext ctx, ErrorReply e) {
        var response = ctx.response().setStatusCode(e.status()).putHeader("Content-Type", "application/json");
        e.headers().forEach(response::putHeader);
        response.end(Json.encode(e.body()));
    }
}
