package dev.authgate.session;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;

import dev.authgate.http.ApiException;
import dev.authgate.http.ApiGroup;
import dev.authgate.http.ApiGroups;
import dev.authgate.http.Revoked;
import dev.authgate.security.TokenIdentityProvider;
import dev.authgate.token.Auth;

/** {@code /api:{group}/auth/sessions}: the caller's live sessions, and ending one of them. */
@Path(ApiGroups.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@Authenticated
public class SessionsResource {

    static final String NOT_FOUND = "Session not found.";

    private final SessionDirectory directory;
    private final SecurityIdentity identity;

    public SessionsResource(SessionDirectory directory, SecurityIdentity identity) {
        this.directory = directory;
        this.identity = identity;
    }

    @GET
    @Path("auth/sessions")
    public List<SessionView> list(@PathParam("api") ApiGroup group) {
        Auth auth = caller();
        return directory.live(auth.dbtable(), auth.id(), auth.jti());
    }

    /** Own sessions only: another account's id is as unknown as an id that never existed (404). */
    @DELETE
    @Path("auth/sessions/{id}")
    public Revoked end(@PathParam("api") ApiGroup group, @PathParam("id") String id) {
        Auth auth = caller();
        if (!directory.end(auth.dbtable(), auth.id(), id)) {
            throw ApiException.notFound(NOT_FOUND);
        }
        return new Revoked(1);
    }

    private Auth caller() {
        return identity.getAttribute(TokenIdentityProvider.AUTH);
    }
}
