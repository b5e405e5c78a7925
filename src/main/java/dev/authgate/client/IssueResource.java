package dev.authgate.client;

import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
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

import io.vertx.core.http.HttpServerRequest;

import dev.authgate.http.ApiError;
import dev.authgate.http.ApiException;
import dev.authgate.http.ApiGroup;
import dev.authgate.http.ApiGroups;
import dev.authgate.http.AuthToken;
import dev.authgate.http.Fields;

/** {@code POST /api:G/auth/issue}: a token for a record of G's table, minted by a service client with scope issue. */
@Path(ApiGroups.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@Tag(name = "Service clients")
public class IssueResource {

    private final ServiceClients clients;
    private final TokenIssuer issuer;
    private final ClientMetrics metrics;

    public IssueResource(ServiceClients clients, TokenIssuer issuer, ClientMetrics metrics) {
        this.clients = clients;
        this.issuer = issuer;
        this.metrics = metrics;
    }

    @POST
    @Path("auth/issue")
    @Operation(summary = "Issue a token for a record (Xano's Create Authentication Token)", description = "For a"
            + " service client with scope issue and the group among its groups; extras.role needs scope issue:role.")
    @SecurityRequirement(name = OAuthResource.CLIENT_BASIC)
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = IssueBody.class)))
    @APIResponse(responseCode = "200", description = "A new session's token.",
            content = @Content(schema = @Schema(implementation = AuthToken.class)))
    @APIResponse(responseCode = "400", description = "Bad id, extras (over 4 KiB, a bad role) or expiration.",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "401", description = "Client authentication failed (WWW-Authenticate: Basic).",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "403", description = "No scope issue, not the client's group, or extras.role"
            + " without scope issue:role.", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "No record with this id.",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "429", description = "Too many failed client authentications; see Retry-After.",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response issue(@PathParam("api") ApiGroup group, @HeaderParam(HttpHeaders.CONTENT_TYPE) String type,
            byte[] body, @Context HttpServerRequest request) {
        Fields f = Fields.parse(type, body);
        ServiceClient client = clients.authenticate(request, f, ClientMetrics.ISSUE, ServiceClient.ISSUE);
        try {
            if (!client.groups().contains(group.name())) {
                throw ApiException.accessDenied("This client may not issue tokens in this group.");
            }
            long id = f.integer("id").orElseThrow(() -> ApiException.input("id", "Missing param: id"));
            var r = new TokenIssuer.Request(id, f.object("extras").orElse(Map.of()),
                    f.integer("expiration").orElse(group.table().tokenExpiration()));
            String token = issuer.issue(client, group.table(), r);
            metrics.call(client.id(), ClientMetrics.ISSUE, ClientMetrics.OK);
            return Response.ok(new AuthToken(token)).header(HttpHeaders.CACHE_CONTROL, OAuthResource.NO_STORE).build();
        } catch (ApiException refused) {
            metrics.call(client.id(), ClientMetrics.ISSUE,
                    refused.status() == 403 ? ClientMetrics.FORBIDDEN : ClientMetrics.REJECTED);
            throw refused;
        }
    }

    /** The body, for the OpenAPI document; client_secret_post may add client_id and client_secret. */
    @Schema(name = "IssueBody")
    public record IssueBody(@Schema(required = true, description = "The record's id") long id,
            @Schema(description = "The token's extras (a JSON object of at most 4 KiB); role needs scope issue:role")
            Map<String, Object> extras,
            @Schema(description = "Seconds; 0 = never; default the table's token-expiration") Long expiration) {
    }
}
