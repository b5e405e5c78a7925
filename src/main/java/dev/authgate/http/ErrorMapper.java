package dev.authgate.http;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.hibernate.exception.JDBCConnectionException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/** The one exit for failures: every error leaves in Xano's shape, and nothing internal reaches the client. */
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return toResponse(e);
    }

    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class })
    public Response unauthorized() {
        return toResponse(ApiException.unauthorized());
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return toResponse(ApiException.accessDenied("Access denied."));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        return toResponse(fromStatus(e.getResponse().getStatus()));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        return toResponse(unexpectedFailure(e));
    }

    /** An unreachable database is a 503 that recovers by itself; anything else a 500 with no internals. */
    static ApiException unexpectedFailure(Throwable e) {
        if (causedByUnreachableDatabase(e)) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            // the root message says why (refused, timed out, too many clients); server detail is off (no row values)
            LOG.warnf("database unavailable: %s: %s", root.getClass().getName(), root.getMessage());
            return ApiException.serviceUnavailable();
        }
        LOG.error("unexpected failure", e);
        return ApiException.fatal();
    }

    /** Statuses raised by the HTTP layer itself (routing, media types, body size) in SPEC's codes. */
    public static ApiException fromStatus(int status) {
        return switch (status) {
            case 401 -> ApiException.unauthorized();
            case 403 -> ApiException.accessDenied("Access denied.");
            case 404, 405 -> ApiException.notFound(ApiGroups.NOT_FOUND);
            case 413 -> ApiException.payloadTooLarge();
            case 415 -> ApiException.badRequest("Unsupported content type: send JSON or form encoding.");
            case 503 -> ApiException.serviceUnavailable();
            default -> status >= 400 && status < 500 ? ApiException.badRequest("Bad request.") : ApiException.fatal();
        };
    }

    public static Response toResponse(ApiException e) {
        Response.ResponseBuilder r = Response.status(e.status()).type(MediaType.APPLICATION_JSON).entity(e.error());
        if (e.retryAfterSeconds() != null) {
            r.header("Retry-After", e.retryAfterSeconds());
        }
        return r.build();
    }

    static boolean causedByUnreachableDatabase(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof JDBCConnectionException
                    || (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08"))
                    || (t instanceof SQLException && String.valueOf(t.getMessage()).contains("cquisition timeout"))
                    // a commit cut by a lost connection: the outcome is unknown, and retrying is the remedy
                    || t instanceof javax.transaction.xa.XAException) {
                return true;
            }
        }
        return false;
    }
}
