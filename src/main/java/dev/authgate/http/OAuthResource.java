package dev.authgate.http;

import java.util.Optional;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.core.http.HttpServerRequest;

import dev.authgate.client.ClientMetrics;
import dev.authgate.client.ClientSecurityScheme;
import dev.authgate.client.Introspection;
import dev.authgate.client.IntrospectionAnswer;
import dev.authgate.client.ServiceClient;
import dev.authgate.client.ServiceClients;

/**
 * RFC 7662 introspection and RFC 7009 revocation for service clients ({@code authgate.clients.*}), authenticated
 * with {@code client_secret_basic} or {@code client_secret_post}.
 */
@Path("/oauth2")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@Tag(name = "Service clients")
@SecurityRequirement(name = ClientSecurityScheme.CLIENT_BASIC)
// the failures of both operations
@APIResponse(responseCode = "401", description = "Client authentication failed (WWW-Authenticate: Basic).",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
@APIResponse(responseCode = "403", description = "The client lacks the scope.",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
@APIResponse(responseCode = "413", description = "The body is too large.",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
@APIResponse(responseCode = "429", description = "Too many failed client authentications; see Retry-After.",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
public class OAuthResource {

    /** Declared by {@link ClientSecurityScheme}. */
    static final String NO_STORE = "no-store";

    private final ServiceClients clients;
    private final Introspection introspection;
    private final ClientMetrics metrics;

    public OAuthResource(ServiceClients clients, Introspection introspection, ClientMetrics metrics) {
        this.clients = clients;
        this.introspection = introspection;
        this.metrics = metrics;
    }

    @POST
    @Path("introspect")
    @Operation(summary = "Introspect a token (RFC 7662)", description = "Scope introspect. Active only for a live token"
            + " (decrypts, not expired, session and record exist) of a table of the client's groups.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED, schema = @Schema(
            implementation = TokenForm.class)))
    @APIResponse(responseCode = "200", description = "{\"active\": false} for any token that is not live or not the"
            + " client's business.", content = @Content(schema = @Schema(implementation = IntrospectionAnswer.class)))
    public Response introspect(TokenForm form, @Context HttpServerRequest request) {
        ServiceClient client = clients.authenticate(request, form.client_id(), form.client_secret(),
                ClientMetrics.INTROSPECT, ServiceClient.INTROSPECT);
        IntrospectionAnswer answer = introspection.introspect(client, Optional.ofNullable(form.token()));
        metrics.call(client.id(), ClientMetrics.INTROSPECT, ClientMetrics.OK);
        return Response.ok(answer).header(HttpHeaders.CACHE_CONTROL, NO_STORE).build();
    }

    @POST
    @Path("revoke")
    @Operation(summary = "Revoke a token (RFC 7009)", description = "Scope revoke. Ends the token's session when it is"
            + " a token of a table of the client's groups; 200 whether or not it was live.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED, schema = @Schema(
            implementation = TokenForm.class)))
    @APIResponse(responseCode = "200", description = "Done (or nothing to do); empty body.")
    public Response revoke(TokenForm form, @Context HttpServerRequest request) {
        ServiceClient client = clients.authenticate(request, form.client_id(), form.client_secret(),
                ClientMetrics.REVOKE, ServiceClient.REVOKE);
        introspection.revoke(client, Optional.ofNullable(form.token()));
        metrics.call(client.id(), ClientMetrics.REVOKE, ClientMetrics.OK);
        return Response.ok().header(HttpHeaders.CACHE_CONTROL, NO_STORE).build();
    }

    /** The form of introspection and revocation (JSON is read too). */
    @Schema(name = "TokenForm")
    @RegisterForReflection
    public record TokenForm(@Schema(required = true) String token, String token_type_hint, String client_id,
            String client_secret) {

        @Override
        public String toString() {
            return "TokenForm"; // never the token or the secret
        }
    }
}
