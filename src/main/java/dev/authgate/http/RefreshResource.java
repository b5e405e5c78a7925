package dev.authgate.http;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.quarkus.runtime.annotations.RegisterForReflection;

import dev.authgate.account.AuthTable;
import dev.authgate.failure.Failure;
import dev.authgate.session.RefreshTokens;
import dev.authgate.session.SessionIssuer;

/**
 * {@code POST /api:{group}/auth/refresh}: a refresh token for a new authToken and the next refresh token. It exists
 * only where the group's table turned refresh tokens on ({@code authgate.tables.<t>.refresh-tokens}); elsewhere it
 * is a 404, before the body is looked at.
 */
@Path(GroupPath.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class RefreshResource {

    /** The body; a refresh token is 66 characters, anything much longer is not one. */
    @RegisterForReflection
    public record Refresh(@NotNull(message = "Missing param: refreshToken")
            @Size(max = 256, message = "Invalid refreshToken.") String refreshToken) {
        @Override
        public String toString() {
            return "Refresh"; // never the token
        }
    }

    private final SessionIssuer issuer;
    private final Caller caller;
    private final BodyCheck check;

    public RefreshResource(SessionIssuer issuer, Caller caller, BodyCheck check) {
        this.issuer = issuer;
        this.caller = caller;
        this.check = check;
    }

    @POST
    @Path("auth/refresh")
    @Operation(summary = "Trade a refresh token for a new authToken and the next refresh token",
            description = "Each refresh token works once. A used one presented again ends its sign-in (every token"
                    + " of the family), except an identical retry within authgate.sessions.refresh-grace, which gets"
                    + " the same answer. 404 unless the table has refresh tokens.")
    @RequestBody(content = { @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Refresh.class)),
            @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED, schema = @Schema(implementation = Refresh.class)) })
    @APIResponse(responseCode = "200", description = "authToken and refreshToken",
            content = @Content(schema = @Schema(implementation = AuthToken.class)))
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED,
            description = "The refresh token is unknown, expired, used, ended, or of another table")
    @APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
    @APIResponse(responseCode = "413", ref = ApiDocument.TOO_LARGE)
    @APIResponse(responseCode = "503", ref = ApiDocument.UNAVAILABLE)
    public AuthToken refresh(Refresh body) {
        AuthTable table = caller.group().table();
        if (!table.refreshTokens()) {
            throw Failure.unknownRoute();
        }
        if (body == null) {
            throw Failure.missing("refreshToken");
        }
        RefreshTokens.Rotated rotated = issuer.refresh(table, check.valid(body).refreshToken());
        return new AuthToken(rotated.tokens().get(SessionIssuer.AUTH_TOKEN), rotated.refreshToken());
    }
}
