package dev.authgate.http;

import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import io.quarkus.security.Authenticated;
import io.vertx.core.http.HttpServerRequest;

import dev.authgate.mfa.SecondFactors;
import dev.authgate.passkey.Passkeys;
import dev.authgate.security.ClientAddress;

/** {@code /api:{group}/auth/mfa/*}: second factors of the group's auth table (docs/mfa.md). */
@Path(GroupPath.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
@APIResponse(responseCode = "503", ref = ApiDocument.UNAVAILABLE)
public class MfaResource {

    private final SecondFactors factors;
    private final ClientAddress clients;
    private final Caller caller;
    private final Passkeys passkeys;

    public MfaResource(SecondFactors factors, ClientAddress clients, Caller caller, Passkeys passkeys) {
        this.factors = factors;
        this.passkeys = passkeys;
        this.clients = clients;
        this.caller = caller;
    }

    @POST
    @Path("auth/mfa/verify")
    @Operation(summary = "Finish a login that waits for a second factor: a TOTP code or a recovery code")
    @APIResponse(responseCode = "200", description = "An authToken of aal 2")
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST, description = "A wrong code (param code)")
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED,
            description = "The mfa_token is invalid, expired, used, or void after 5 wrong codes")
    @APIResponse(responseCode = "413", ref = ApiDocument.TOO_LARGE)
    @APIResponse(responseCode = "429", ref = ApiDocument.TOO_MANY)
    public AuthToken verify(@Valid MfaRequests.Verify body, @Context HttpServerRequest request) {
        MfaRequests.requireBody(body, "mfa_token");
        return new AuthToken(factors.verify(caller.group().table(), body.mfaToken(), body.code(),
                clients.addressKey(request)));
    }

    @POST
    @Path("auth/mfa/totp")
    @Authenticated
    @Operation(summary = "Enrol a TOTP factor: its secret, otpauth URI and QR code; inactive until activated")
    @SecurityRequirement(name = ApiDocument.BEARER)
    @SecurityRequirement(name = ApiDocument.ALTERNATIVE)
    @APIResponse(responseCode = "200", description = "id, secret (base32), otpauth_uri, qr_svg")
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ApiDocument.ACCESS_DENIED,
            description = "A factor is active already and the token is of aal 1")
    public MfaAnswers.Enrolment enrol(@Valid MfaRequests.Enrol body) {
        String name = body == null ? new MfaRequests.Enrol(null).nameOrDefault() : body.nameOrDefault();
        return MfaAnswers.Enrolment.of(factors.enrol(caller.group().table(), caller.auth(), name));
    }

    @POST
    @Path("auth/mfa/totp/{id}/activate")
    @Authenticated
    @Operation(summary = "Activate an enrolment with a first code: a token of aal 2 and 10 recovery codes")
    @SecurityRequirement(name = ApiDocument.BEARER)
    @SecurityRequirement(name = ApiDocument.ALTERNATIVE)
    @APIResponse(responseCode = "200", description = "authToken (the caller's old one ends) and recovery_codes")
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST, description = "A wrong code (param code)")
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    public MfaAnswers.Activated activate(@PathParam("id") String id, @Valid MfaRequests.Code body) {
        MfaRequests.requireBody(body, "code");
        SecondFactors.Activated a = factors.activate(caller.group().table(), caller.auth(), id, body.code());
        return new MfaAnswers.Activated(a.authToken(), a.recoveryCodes());
    }

    @GET
    @Path("auth/mfa")
    @Authenticated
    @Operation(summary = "The caller's active factors and how many recovery codes are left")
    @SecurityRequirement(name = ApiDocument.BEARER)
    @SecurityRequirement(name = ApiDocument.ALTERNATIVE)
    @APIResponse(responseCode = "200", description = "totp, passkeys, recovery_codes_left")
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    public MfaAnswers.Factors list() {
        return MfaAnswers.Factors.of(factors.list(caller.group().table(), caller.auth().id()),
                passkeys.list(caller.group().table(), caller.auth().id()));
    }

    @DELETE
    @Path("auth/mfa/totp/{id}")
    @Authenticated
    @RequiresAal2
    @Operation(summary = "Remove one of the caller's TOTP factors (aal 2); without one left, the recovery codes go too")
    @SecurityRequirement(name = ApiDocument.BEARER)
    @SecurityRequirement(name = ApiDocument.ALTERNATIVE)
    @APIResponse(responseCode = "200", description = "Removed")
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ApiDocument.ACCESS_DENIED, description = "The token is of aal 1")
    public MfaAnswers.Removed delete(@PathParam("id") String id) {
        factors.delete(caller.group().table(), caller.auth(), id);
        return new MfaAnswers.Removed(true);
    }

    @POST
    @Path("auth/mfa/recovery-codes")
    @Authenticated
    @RequiresAal2
    @Operation(summary = "A new set of 10 recovery codes (aal 2); the old set is void")
    @SecurityRequirement(name = ApiDocument.BEARER)
    @SecurityRequirement(name = ApiDocument.ALTERNATIVE)
    @APIResponse(responseCode = "200", description = "recovery_codes")
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ApiDocument.ACCESS_DENIED, description = "The token is of aal 1")
    public MfaAnswers.RecoveryCodes regenerate() {
        return new MfaAnswers.RecoveryCodes(factors.regenerate(caller.group().table(), caller.auth()));
    }
}
