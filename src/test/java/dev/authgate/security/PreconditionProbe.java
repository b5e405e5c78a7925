package dev.authgate.security;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import io.quarkus.security.PermissionsAllowed;

/** Test only: endpoints whose preconditions are declarations, as an application's would be. */
@Path("/probe")
public class PreconditionProbe {

    @GET
    @Path("support")
    @RolesAllowed("support")
    public String support() {
        return "support";
    }

    @GET
    @Path("tenant")
    @PermissionsAllowed("tenant:7")
    public String tenant() {
        return "tenant 7";
    }

    @GET
    @Path("verified")
    @PermissionsAllowed("verified")
    public String verified() {
        return "verified";
    }
}
