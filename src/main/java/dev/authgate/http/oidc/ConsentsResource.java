package dev.authgate.http.oidc;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.quarkus.security.Authenticated;

import dev.authgate.failure.Failure;
import dev.authgate.http.ApiDocument;
import dev.authgate.http.Caller;
import dev.authgate.http.GroupPath;
import dev.authgate.http.Revoked;
import dev.authgate.oidc.Consents;

/** {@code /api:{group}/auth/consents}: the OpenID clients the caller let sign them in, and taking that back. */
@Path(GroupPath.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@Authenticated
@APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
@APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
@APIResponse(responseCode = "503", ref = ApiDocument.UNAVAILABLE)
public class ConsentsResource {

    static final String NOT_FOUND = "Consent not found.";

    private final Consents consents;
    private final Caller caller;

    public ConsentsResource(Consents consents, Caller caller) {
        this.consents = consents;
        this.caller = caller;
    }

    @GET
    @Path("auth/consents")
    @Operation(summary = "The OpenID clients the caller consented to, with the scopes granted")
    @APIResponse(responseCode = "200", description = "[{\"clientId\",\"scopes\",\"grantedAt\"}], newest first")
    public List<Consents.Consent> list() {
        return consents.list(caller.group().table(), caller.auth().id());
    }

    /** The client's next sign-in asks again; another account's consent is as unknown as none (404). */
    @DELETE
    @Path("auth/consents/{client}")
    @Operation(summary = "Take a consent back: the client's next sign-in shows the consent page again")
    @APIResponse(responseCode = "200", description = "{\"revoked\": 1}")
    public Revoked revoke(@PathParam("client") String client) {
        if (!consents.revoke(caller.group().table(), caller.auth().id(), client)) {
            throw Failure.notFound(NOT_FOUND);
        }
        return new Revoked(1);
    }
}
