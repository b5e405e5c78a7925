package dev.authgate.http.oidc;

import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.http.HttpServerRequest;

import dev.authgate.oidc.Discovery;
import dev.authgate.oidc.SigningKeys;

/** A group's provider metadata and its public keys (docs/oidc.md). */
@Path("/oidc/{group}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "OpenID Provider")
public class DiscoveryResource {

    private final Issuers issuers;
    private final Discovery discovery;
    private final SigningKeys keys;

    public DiscoveryResource(Issuers issuers, Discovery discovery, SigningKeys keys) {
        this.issuers = issuers;
        this.discovery = discovery;
        this.keys = keys;
    }

    @GET
    @Path(".well-known/openid-configuration")
    @NonBlocking
    @Operation(summary = "OpenID Provider metadata (OpenID Connect Discovery 1.0)")
    public Map<String, Object> configuration(@PathParam("group") String group, @Context HttpServerRequest request) {
        return discovery.document(issuers.issuer(request, issuers.group(group)));
    }

    @GET
    @Path("jwks")
    @NonBlocking
    @Operation(summary = "The provider's public signing keys (JWK Set)")
    public Map<String, Object> jwks(@PathParam("group") String group) {
        issuers.group(group);
        return keys.published();
    }
}
