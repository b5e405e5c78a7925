package dev.authgate.http;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.Authenticated;

import dev.authgate.failure.Failure;
import dev.authgate.session.SessionDirectory;
import dev.authgate.session.SessionView;
import dev.authgate.token.Auth;

/** {@code /api:{group}/auth/sessions}: the caller's live sessions, and ending one of them. */
@Path(GroupPath.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@Authenticated
public class SessionsResource {

    static final String NOT_FOUND = "Session not found.";

    private final SessionDirectory directory;
    private final Caller caller;

    public SessionsResource(SessionDirectory directory, Caller caller) {
        this.directory = directory;
        this.caller = caller;
    }

    @GET
    @Path("auth/sessions")
    public List<SessionView> list() {
        Auth auth = caller.auth();
        return directory.live(auth.dbtable(), auth.id(), auth.jti());
    }

    /** Own sessions only: another account's id is as unknown as an id that never existed (404). */
    @DELETE
    @Path("auth/sessions/{id}")
    public Revoked end(@PathParam("id") String id) {
        Auth auth = caller.auth();
        if (!directory.end(auth.dbtable(), auth.id(), id)) {
            throw Failure.notFound(NOT_FOUND);
        }
        return new Revoked(1);
    }

}
