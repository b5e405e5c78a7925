package dev.authgate.http;

import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.jboss.logging.Logger;

import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.http.HttpServerRequest;

import dev.authgate.account.AccountView;
import dev.authgate.group.ApiGroup;
import dev.authgate.http.Caller;
import dev.authgate.security.ClientAddress;
import dev.authgate.security.OperatorKey;
import dev.authgate.signin.AccountService;

/** {@code /api:{group}[:{branch}]/auth/*}: sign-up, login, me and the token's life, against the group's auth table. */
@Path(GroupPath.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
@APIResponse(responseCode = "503", ref = ApiDocument.UNAVAILABLE)
public class AuthResource {

    private static final Logger LOG = Logger.getLogger(AuthResource.class);

    private final AccountService accounts;
    private final ClientAddress clients;
    private final Caller caller;

    public AuthResource(AccountService accounts, ClientAddress clients,
            Caller caller) {
        this.accounts = accounts;
        this.clients = clients;
        this.caller = caller;
    }

    @POST
    @Path("auth/signup")
    @Operation(summary = "Create an account in the group's auth table and log it in")
    @APIResponse(responseCode = "200", description = "The new account's authToken")
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ApiDocument.ACCESS_DENIED,
            description = "This account is already in use, or the table does not allow sign-up.")
    @APIResponse(responseCode = "413", ref = ApiDocument.TOO_LARGE)
    @APIResponse(responseCode = "429", ref = ApiDocument.TOO_MANY)
    public AuthToken signup(@Valid Signup body, @Context HttpServerRequest request) {
        return new AuthToken(accounts.signup(caller.group().table(), body.name(), body.email(), body.password(),
                clients.addressKey(request)));
    }

    @POST
    @Path("auth/login")
    @Operation(summary = "Log in with email and password")
    @APIResponse(responseCode = "200", description = "A new authToken; for an account with a second factor, "
            + "{mfa_required, mfa_token, factors} and no authToken (finish with auth/mfa/verify)")
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ApiDocument.ACCESS_DENIED, description = "Invalid Credentials.")
    @APIResponse(responseCode = "413", ref = ApiDocument.TOO_LARGE)
    @APIResponse(responseCode = "429", ref = ApiDocument.TOO_MANY)
    public Object login(@Valid Login body, @Context HttpServerRequest request) {
        return MfaAnswers.of(accounts.login(caller.group().table(), body.email(), body.password(),
                clients.addressKey(request)));
    }

    /** The record was read with the token's session: nothing left to block on. */
    @GET
    @Path("auth/me")
    @Authenticated
    @NonBlocking
    @Operation(summary = "The caller's record")
    @SecurityRequirement(name = ApiDocument.BEARER)
    @SecurityRequirement(name = ApiDocument.ALTERNATIVE)
    @APIResponse(responseCode = "200", description = "The caller's record, never its password")
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    public AccountView me() {
        return caller.record();
    }

    /** The caller's $auth: how another service validates a token it was handed, without the key. */
    @GET
    @Path("auth/token")
    @Authenticated
    @NonBlocking
    @Operation(summary = "The caller's $auth: id, dbtable, extras, iat, exp (absent when never), jti")
    @SecurityRequirement(name = ApiDocument.BEARER)
    @SecurityRequirement(name = ApiDocument.ALTERNATIVE)
    @APIResponse(responseCode = "200", description = "$auth")
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    public TokenInfo token() {
        return TokenInfo.of(caller.auth());
    }

    @POST
    @Path("auth/logout")
    @Authenticated
    @Operation(summary = "End this token (scope local), every token (global) or every other token (others)")
    @SecurityRequirement(name = ApiDocument.BEARER)
    @SecurityRequirement(name = ApiDocument.ALTERNATIVE)
    @APIResponse(responseCode = "200", description = "How many tokens ended")
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    @APIResponse(responseCode = "413", ref = ApiDocument.TOO_LARGE)
    public Revoked logout(@Valid Logout body) {
        String scope = body.scopeOrDefault().name().toLowerCase(java.util.Locale.ROOT);
        return new Revoked(accounts.logout(caller.auth(), scope));
    }

    /** Changes the caller's password; the caller's other tokens end, this one goes on. */
    @POST
    @Path("auth/password")
    @Authenticated
    @Operation(summary = "Change the caller's password; the caller's other tokens end")
    @SecurityRequirement(name = ApiDocument.BEARER)
    @SecurityRequirement(name = ApiDocument.ALTERNATIVE)
    @APIResponse(responseCode = "200", description = "How many other tokens ended")
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ApiDocument.ACCESS_DENIED, description = "Invalid Credentials.")
    @APIResponse(responseCode = "413", ref = ApiDocument.TOO_LARGE)
    @APIResponse(responseCode = "429", ref = ApiDocument.TOO_MANY)
    public Revoked password(@Valid PasswordChange body, @Context HttpServerRequest request) {
        ApiGroup group = caller.group();
        return new Revoked(accounts.changePassword(group.table(), caller.auth(), clients.addressKey(request),
                body.currentPassword(), body.newPassword()));
    }

    /**
     * A token for a record id with no extras, for operators testing endpoints. It does not exist (404) unless
     * {@code authgate.quick-tokens.secret} is set and the request carries it in {@value OperatorKey#HEADER}.
     */
    @POST
    @Path("auth/quick-token")
    @Operation(summary = "A token for a record id with no extras, for operators (404 unless enabled and the operator key is sent)")
    @APIResponse(responseCode = "200", description = "The authToken")
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    @APIResponse(responseCode = "413", ref = ApiDocument.TOO_LARGE)
    @OperatorOnly
    public AuthToken quickToken(@Valid QuickTokenRequest body, @Context HttpServerRequest request) {
        ApiGroup group = caller.group();
        long expiration = body.expiration() == null ? group.table().tokenExpiration() : body.expiration();
        String token = accounts.quickToken(group.table(), body.id(), expiration);
        LOG.infof("quick token minted by the operator from %s: table=%s id=%d expiration=%ds",
                request.remoteAddress(), group.table().name(), body.id(), expiration);
        return new AuthToken(token);
    }
}
