package dev.authgate.http.oidc;


import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;

import io.vertx.core.http.HttpServerRequest;

import dev.authgate.group.ApiGroup;
import dev.authgate.oidc.OidcClient;
import dev.authgate.oidc.OidcFailure;
import dev.authgate.oidc.TokenIntrospection;

/**
 * {@code {issuer}/introspect} (RFC 7662) and {@code {issuer}/revoke} (RFC 7009) for the provider's clients, with the
 * token endpoint's client authentication: {@code client_secret_basic} or {@code _post}; a public client revokes with
 * its {@code client_id} alone, and cannot introspect (RFC 7662 §2.1 wants the caller authenticated). Errors leave
 * through {@link OidcErrors} (RFC 6749 §5.2).
 */
@Path(Issuers.PATH + "{group}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_FORM_URLENCODED)
public class TokenStatusResource {

    private final Issuers issuers;
    private final ClientAuthentication authentication;
    private final TokenIntrospection introspection;

    public TokenStatusResource(Issuers issuers, ClientAuthentication authentication, TokenIntrospection introspection) {
        this.issuers = issuers;
        this.authentication = authentication;
        this.introspection = introspection;
    }

    @POST
    @Path("introspect")
    @Operation(summary = "Introspect an access token (RFC 7662)", description = "Active only for a live access token "
            + "this issuer gave the calling client; a confidential client only.")
    public Response introspect(@PathParam("group") String group, @RestForm String token,
            @RestForm("client_id") String clientId, @RestForm("client_secret") String clientSecret,
            @Context HttpServerRequest request) {
        ApiGroup g = issuers.group(group);
        OidcClient client = authentication.authenticate(g, request.getHeader(HttpHeaders.AUTHORIZATION),
                TokenResource.blankIsNull(clientId), TokenResource.blankIsNull(clientSecret));
        if (!client.confidential()) {
            throw OidcFailure.of(OidcFailure.Error.INVALID_CLIENT, "A public client cannot introspect tokens.");
        }
        required(token);
        return noStore(Response.ok(introspection.introspect(issuers.issuer(request, g), client, token)));
    }

    @POST
    @Path("revoke")
    @Operation(summary = "Revoke an access token (RFC 7009)", description = "Ends the token's session when it is a "
            + "live access token of the calling client; 200 with an empty body whether or not it was.")
    public Response revoke(@PathParam("group") String group, @RestForm String token,
            @RestForm("client_id") String clientId, @RestForm("client_secret") String clientSecret,
            @Context HttpServerRequest request) {
        ApiGroup g = issuers.group(group);
        OidcClient client = authentication.authenticate(g, request.getHeader(HttpHeaders.AUTHORIZATION),
                TokenResource.blankIsNull(clientId), TokenResource.blankIsNull(clientSecret));
        required(token);
        introspection.revoke(issuers.issuer(request, g), client, token);
        return noStore(Response.ok());
    }

    private static Response noStore(Response.ResponseBuilder r) {
        return r.header(HttpHeaders.CACHE_CONTROL, OidcErrors.NO_STORE).header("Pragma", "no-cache").build();
    }

    private static void required(String token) {
        if (token == null || token.isEmpty()) {
            throw OidcFailure.of(OidcFailure.Error.INVALID_REQUEST, "token is missing.");
        }
    }
}
