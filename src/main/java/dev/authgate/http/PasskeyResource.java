package dev.authgate.http;

import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.Authenticated;

import dev.authgate.failure.Failure;
import dev.authgate.passkey.Passkeys;

/** {@code /api:{group}/auth/passkeys*}: passkeys (WebAuthn) of the group's auth table (docs/mfa.md). */
@Path(GroupPath.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
@APIResponse(responseCode = "503", ref = ApiDocument.UNAVAILABLE)
public class PasskeyResource {

    /** {@code POST auth/passkeys/register}. */
    @RegisterForReflection
    record Register(@JsonProperty("challenge_id") @Size(max = 64, message = "Invalid challenge_id.") String challengeId,
            Map<String, Object> credential,
            @Size(max = 100, message = "name is at most 100 characters.") String name) {
    }

    /** {@code POST auth/passkeys/login/options}: {@code {}} (usernameless) or the login's mfa_token. */
    @RegisterForReflection
    record LoginOptions(@JsonProperty("mfa_token") @Size(max = 128, message = "Invalid mfa_token.") String mfaToken) {
    }

    /** {@code POST auth/passkeys/login}. */
    @RegisterForReflection
    record Login(@JsonProperty("challenge_id") @Size(max = 64, message = "Invalid challenge_id.") String challengeId,
            Map<String, Object> credential,
            @JsonProperty("mfa_token") @Size(max = 128, message = "Invalid mfa_token.") String mfaToken) {
    }

    /** {@code PATCH auth/passkeys/{id}}. */
    @RegisterForReflection
    record Rename(@Size(max = 100, message = "name is at most 100 characters.") String name) {
    }

    @RegisterForReflection
    record Options(@JsonProperty("challenge_id") String challengeId, Map<String, Object> publicKey) {

        static Options of(Passkeys.Options o) {
            return new Options(o.challengeId(), o.publicKey());
        }
    }

    /** A passkey as its owner sees it; times in epoch milliseconds. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Passkey(String id, String name, @JsonProperty("created_at") long createdAt,
            @JsonProperty("last_used_at") Long lastUsedAt, @JsonProperty("backup_eligible") boolean backupEligible,
            @JsonProperty("backed_up") boolean backedUp) {

        static Passkey of(Passkeys.Passkey p) {
            return new Passkey(p.id(), p.name(), p.createdAt(), p.lastUsedAt(), p.backupEligible(), p.backedUp());
        }
    }

    @RegisterForReflection
    record PasskeyList(List<Passkey> passkeys) {
    }

    static final String DEFAULT_NAME = "Passkey";

    private final Passkeys passkeys;
    private final Caller caller;
    private final ObjectMapper json;

    public PasskeyResource(Passkeys passkeys, Caller caller, ObjectMapper json) {
        this.passkeys = passkeys;
        this.caller = caller;
        this.json = json;
    }

    @POST
    @Path("auth/passkeys/register/options")
    @Authenticated
    @Operation(summary = "Start registering a passkey: the challenge and PublicKeyCredentialCreationOptionsJSON")
    @SecurityRequirement(name = ApiDocument.BEARER)
    @SecurityRequirement(name = ApiDocument.ALTERNATIVE)
    @APIResponse(responseCode = "200", description = "challenge_id and publicKey")
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST, description = "10 passkeys already")
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ApiDocument.ACCESS_DENIED,
            description = "A factor is active already and the token is of aal 1")
    public Options registerOptions() {
        return Options.of(passkeys.registrationOptions(caller.group().table(), caller.auth()));
    }

    @POST
    @Path("auth/passkeys/register")
    @Authenticated
    @Operation(summary = "Finish registering a passkey with the authenticator's RegistrationResponseJSON")
    @SecurityRequirement(name = ApiDocument.BEARER)
    @SecurityRequirement(name = ApiDocument.ALTERNATIVE)
    @APIResponse(responseCode = "200", description = "id, name, created_at")
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST, description = "Not verified (param credential)")
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    @APIResponse(responseCode = "413", ref = ApiDocument.TOO_LARGE)
    public Passkey register(@Valid Register body) {
        MfaRequests.requireBody(body, "credential");
        String name = body.name() == null || body.name().isBlank() ? DEFAULT_NAME : body.name().strip();
        return Passkey.of(passkeys.register(caller.group().table(), caller.auth(), body.challengeId(),
                credential(body.credential()), name));
    }

    @POST
    @Path("auth/passkeys/login/options")
    @Operation(summary = "Start signing in with a passkey: usernameless ({}) or the second step ({\"mfa_token\"})")
    @APIResponse(responseCode = "200", description = "challenge_id and publicKey")
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED, description = "The mfa_token is not usable")
    @APIResponse(responseCode = "413", ref = ApiDocument.TOO_LARGE)
    public Options loginOptions(@Valid LoginOptions body) {
        String mfaToken = body == null || body.mfaToken() == null || body.mfaToken().isEmpty() ? null : body.mfaToken();
        return Options.of(passkeys.loginOptions(caller.group().table(), mfaToken));
    }

    @POST
    @Path("auth/passkeys/login")
    @Operation(summary = "Sign in with a passkey's AuthenticationResponseJSON: an authToken of aal 2")
    @APIResponse(responseCode = "200", description = "An authToken of aal 2")
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST, description = "Not verified (param credential)")
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED, description = "The mfa_token is not usable")
    @APIResponse(responseCode = "413", ref = ApiDocument.TOO_LARGE)
    public AuthToken login(@Valid Login body) {
        MfaRequests.requireBody(body, "credential");
        String mfaToken = body.mfaToken() == null || body.mfaToken().isEmpty() ? null : body.mfaToken();
        return new AuthToken(passkeys.login(caller.group().table(), body.challengeId(), credential(body.credential()),
                mfaToken));
    }

    @GET
    @Path("auth/passkeys")
    @Authenticated
    @Operation(summary = "The caller's passkeys")
    @SecurityRequirement(name = ApiDocument.BEARER)
    @SecurityRequirement(name = ApiDocument.ALTERNATIVE)
    @APIResponse(responseCode = "200", description = "passkeys")
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    public PasskeyList list() {
        return new PasskeyList(passkeys.list(caller.group().table(), caller.auth().id()).stream().map(Passkey::of)
                .toList());
    }

    @PATCH
    @Path("auth/passkeys/{id}")
    @Authenticated
    @RequiresAal2
    @Operation(summary = "Rename one of the caller's passkeys (aal 2)")
    @SecurityRequirement(name = ApiDocument.BEARER)
    @SecurityRequirement(name = ApiDocument.ALTERNATIVE)
    @APIResponse(responseCode = "200", description = "The passkey")
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ApiDocument.ACCESS_DENIED, description = "The token is of aal 1")
    public Passkey rename(@PathParam("id") String id, @Valid Rename body) {
        if (body == null || body.name() == null || body.name().isBlank()) {
            throw Failure.missing("name");
        }
        return Passkey.of(passkeys.rename(caller.group().table(), caller.auth(), id, body.name().strip()));
    }

    @DELETE
    @Path("auth/passkeys/{id}")
    @Authenticated
    @RequiresAal2
    @Operation(summary = "Remove one of the caller's passkeys (aal 2); without a factor left, the recovery codes go too")
    @SecurityRequirement(name = ApiDocument.BEARER)
    @SecurityRequirement(name = ApiDocument.ALTERNATIVE)
    @APIResponse(responseCode = "200", description = "Removed")
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ApiDocument.ACCESS_DENIED, description = "The token is of aal 1")
    public MfaAnswers.Removed delete(@PathParam("id") String id) {
        passkeys.delete(caller.group().table(), caller.auth(), id);
        return new MfaAnswers.Removed(true);
    }

    /** The credential object as the JSON text webauthn4j parses; absent: 400 {@code {"param":"credential"}}. */
    private String credential(Map<String, Object> credential) {
        if (credential == null) {
            throw Failure.invalidInput("credential", "The passkey could not be verified.");
        }
        try {
            return json.writeValueAsString(credential);
        } catch (JsonProcessingException e) {
            throw Failure.invalidInput("credential", "The passkey could not be verified.");
        }
    }
}
