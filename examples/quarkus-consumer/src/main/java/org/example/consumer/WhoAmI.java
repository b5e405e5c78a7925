package org.example.consumer;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;

/** Endpoints of a service that knows Authgate only through its introspection endpoint. */
@Path("/")
@Produces(MediaType.TEXT_PLAIN)
public class WhoAmI {

    private final SecurityIdentity identity;

    public WhoAmI(SecurityIdentity identity) {
        this.identity = identity;
    }

    /** Any live Authgate token of a group this service may see: answers the caller's record id. */
    @GET
    @Path("whoami")
    @Authenticated
    public String whoami() {
        return identity.getPrincipal().getName();
    }

    /** Only tokens whose extras.role is "editor". */
    @GET
    @Path("editor")
    @RolesAllowed("editor")
    public String editor() {
        return "editor " + identity.getPrincipal().getName();
    }
}
