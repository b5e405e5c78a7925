package dev.authgate.http;

import java.util.Map;

import jakarta.validation.ConstraintViolationException;
import jakarta.validation.constraints.NotNull;
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
import dev.authgate.client.ServiceClient;
import dev.authgate.client.ServiceClients;
import dev.authgate.client.TokenIssuer;
import dev.authgate.failure.Failure;
import dev.authgate.group.ApiGroup;

/** {@code POST /api:G/auth/issue}: a token for a record of G's table, minted by a service client with scope issue. */
@Path(GroupPath.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@Tag(name = "Service clients")
public class IssueResource {

    private final ServiceClients clients;
    private final TokenIssuer issuer;
    private final ClientMetrics metrics;
    private final Caller caller;
    private final BodyCheck check;

    public IssueResource(ServiceClients clients, TokenIssuer issuer, ClientMetrics metrics, Caller caller,
            BodyCheck check) {
        this.clients = clients;
        this.issuer = issuer;
        this.metrics = metrics;
        this.caller = caller;
        this.check = check;
    }

    @POST
    @Path("auth/issue")
    @Operation(summary = "Issue a token for a record (Xano's Create Authentication Token)", description = "For a"
            + " service client with scope issue and the group among its groups; extras.role needs scope issue:role,"
            + " extras.verified scope issue:verified; the expiration is at most the client's max-expiration.")
    @SecurityRequirement(name = ClientSecurityScheme.CLIENT_BASIC)
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = IssueBody.class)))
    @APIResponse(responseCode = "200", description = "A new session's token.",
            content = @Content(schema = @Schema(implementation = AuthToken.class)))
    @APIResponse(responseCode = "400", description = "Bad id, extras (over 4 KiB, a bad role) or expiration.",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "401", description = "Client authentication failed (WWW-Authenticate: Basic).",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "403", description = "No scope issue, not the client's group, or extras.role"
            + " (extras.verified) without scope issue:role (issue:verified).", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "No record with this id.",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "429", description = "Too many failed client authentications; see Retry-After.",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response issue(IssueBody body, @Context HttpServerRequest request) {
        ServiceClient client = clients.authenticate(request, body.client_id(), body.client_secret(),
                ClientMetrics.ISSUE, ServiceClient.ISSUE);
        try {
            ApiGroup group = caller.group();
            if (!client.groups().contains(group.name())) {
                throw Failure.denied("This client may not issue tokens in this group.");
            }
            check.valid(body); // once the client is known: a stranger learns nothing from the body's faults
            var r = new TokenIssuer.Request(body.id(), body.extras() == null ? Map.of() : body.extras(),
                    body.expiration() == null ? TokenIssuer.defaultExpiration(client, group.table()) : body.expiration());
            String token = issuer.issue(client, group.table(), r);
            metrics.call(client.id(), ClientMetrics.ISSUE, ClientMetrics.OK);
            return Response.ok(new AuthToken(token)).header(HttpHeaders.CACHE_CONTROL, OAuthResource.NO_STORE).build();
        } catch (Failure refused) {
            metrics.call(client.id(), ClientMetrics.ISSUE,
                    refused.kind() == Failure.Kind.DENIED ? ClientMetrics.FORBIDDEN : ClientMetrics.REJECTED);
            throw refused;
        } catch (ConstraintViolationException invalid) {
            metrics.call(client.id(), ClientMetrics.ISSUE, ClientMetrics.REJECTED);
            throw invalid;
        }
    }

    /** The body; with client_secret_post it also carries client_id and client_secret. */
    @Schema(name = "IssueBody")
    @RegisterForReflection
    public record IssueBody(
            @Schema(required = true, description = "The record's id") @NotNull(message = "Missing param: id") Long id,
            @Schema(description = "The token's extras (a JSON object of at most 4 KiB); role needs scope issue:role")
            Map<String, Object> extras,
            @Schema(description = "Seconds; 0 = never (only for a client whose max-expiration is 0); default the"
            + " table's token-expiration, capped to the client's max-expiration") Long expiration,
            @Schema(description = "client_secret_post") String client_id,
            @Schema(description = "client_secret_post") String client_secret) {

        @Override
        public String toString() {
            return "IssueBody[id=" + id + "]"; // never the secret
        }
    }
}
