package dev.authgate.http;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeoutException;

import jakarta.validation.ConstraintViolationException;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.hibernate.exception.JDBCConnectionException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

import dev.authgate.failure.Failure;

/** The one exit for failures: every error leaves in Xano's shape, and nothing internal reaches the client. */
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    @ServerExceptionMapper
    public Response failure(Failure e) {
        return toResponse(ErrorReply.of(e));
    }

    /** A typed request broke a rule: the first field in the record's own order is reported, as a person reads it. */
    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        return toResponse(ErrorReply.of(Violations.first(e)));
    }

    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class })
    public Response unauthorized() {
        return toResponse(ErrorReply.unauthorized());
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return toResponse(ErrorReply.accessDenied("Access denied."));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        return toResponse(ErrorReply.fromStatus(e.getResponse().getStatus()));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        return toResponse(unexpectedFailure(e));
    }

    /** An unreachable database is a 503 that recovers by itself; anything else a 500 with no internals. */
    static ErrorReply unexpectedFailure(Throwable e) {
        if (causedByUnreachableDatabase(e)) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            // the root message says why (refused, timed out, too many clients); server detail is off (no row values)
            LOG.warnf("database unavailable: %s: %s", root.getClass().getName(), root.getMessage());
            return ErrorReply.serviceUnavailable();
        }
        LOG.error("unexpected failure", e);
        return ErrorReply.fatal();
    }

    public static Response toResponse(ErrorReply e) {
        Response.ResponseBuilder r = Response.status(e.status()).type(MediaType.APPLICATION_JSON).entity(e.body());
        e.headers().forEach(r::header);
        return r.build();
    }

    /**
     * Agroal's "acquisition timeout": no connection became free in time. Agroal says so only in the message of a
     * plain SQLException (no SQLState, no type of its own), in two wordings; PoolExhaustionTest pins both to the
     * Agroal version in use, so an upgrade that changes them fails the build rather than turning 503s into 500s.
     */
    static final java.util.Set<String> ACQUISITION_TIMEOUTS = java.util.Set.of(
            "Sorry, acquisition timeout!", "Acquisition timeout while waiting for new connection");

    static boolean poolExhausted(Throwable t) {
        return t instanceof SQLException sql && sql.getSQLState() == null
                && (ACQUISITION_TIMEOUTS.contains(sql.getMessage()) || sql.getCause() instanceof TimeoutException);
    }

    /**
     * Whether the database's unreachability is behind the failure: in its causes, or in what they suppressed (a
     * commit cut by a lost connection is Narayana's RollbackException with the driver's XAException suppressed).
     */
    static boolean causedByUnreachableDatabase(Throwable e) {
        return causedByUnreachableDatabase(e, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
    }

    private static boolean causedByUnreachableDatabase(Throwable t, java.util.Set<Throwable> seen) {
        if (t == null || !seen.add(t)) {
            return false;
        }
        if (t instanceof SQLTransientConnectionException || t instanceof JDBCConnectionException
                || (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08"))
                || poolExhausted(t)
                // a commit cut by a lost connection: the outcome is unknown, and retrying is the remedy
                || t instanceof javax.transaction.xa.XAException) {
            return true;
        }
        for (Throwable suppressed : t.getSuppressed()) {
            if (causedByUnreachableDatabase(suppressed, seen)) {
                return true;
            }
        }
        return causedByUnreachableDatabase(t.getCause(), seen);
    }
}
