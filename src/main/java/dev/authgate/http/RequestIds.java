package dev.authgate.http;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.MDC;

import io.smallrye.common.vertx.VertxContext;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * A request id on every request: the caller's {@code X-Request-Id} when it is sane, else a new one. It goes back
 * as a response header and into the logging MDC as {@value #MDC_KEY}, so every log line of the request carries it.
 * Quarkus keeps the MDC in the request's duplicated Vert.x context, which worker threads run on too.
 */
@Singleton
public class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    /** What we accept from a caller: short and harmless in a log line or a header. */
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final HexFormat HEX = HexFormat.of();

    /** Before every other route (also HttpErrors' at the same order), so even a 413 or 404 has an id. */
    void install(@Observes @Priority(1) Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::tag);
    }

    private void tag(RoutingContext ctx) {
        String id = ctx.request().getHeader(HEADER);
        if (id == null || !SANE.matcher(id).matches()) {
            id = newId();
        }
        ctx.response().putHeader(HEADER, id);
        // Only on a per-request (duplicated) context: elsewhere the value would outlive the request.
        if (VertxContext.isOnDuplicatedContext()) {
            MDC.put(MDC_KEY, id);
        }
        ctx.next();
    }

    /** 128 random bits in hex: unique enough to find a request, and no secret depends on it. */
    static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return HEX.toHexDigits(random.nextLong()) + HEX.toHexDigits(random.nextLong());
    }
}
