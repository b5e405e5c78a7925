package dev.authgate.mail;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;

import dev.authgate.account.AccountRules;
import dev.authgate.account.AccountView;
import dev.authgate.account.AuthTable;
import dev.authgate.http.ApiException;
import dev.authgate.http.ApiGroup;
import dev.authgate.http.ApiGroups;
import dev.authgate.http.AuthToken;
import dev.authgate.http.Fields;
import dev.authgate.mail.EmailBodies.EmailChange;
import dev.authgate.mail.EmailBodies.EmailRequest;
import dev.authgate.mail.EmailBodies.MagicLogin;
import dev.authgate.mail.EmailBodies.ResetConfirm;
import dev.authgate.mail.EmailBodies.Sent;
import dev.authgate.mail.EmailBodies.TokenRequest;
import dev.authgate.mail.EmailBodies.Verified;
import dev.authgate.security.ClientAddress;
import dev.authgate.security.TokenIdentityProvider;
import dev.authgate.token.Auth;

/**
 * {@code /api:{group}/auth/*} by email: password reset, verification, magic links, email change. Each flow exists
 * only where the group's table turned it on ({@code authgate.tables.<t>.email.*}); elsewhere it is a 404.
 */
@Path(ApiGroups.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class EmailResource {

    private final EmailAccounts accounts;
    private final EmailFlows flows;
    private final ClientAddress clients;
    private final SecurityIdentity identity;

    public EmailResource(EmailAccounts accounts, EmailFlows flows, ClientAddress clients, SecurityIdentity identity) {
        this.accounts = accounts;
        this.flows = flows;
        this.clients = clients;
        this.identity = identity;
    }

    @POST
    @Path("auth/password-reset")
    @Operation(summary = "Mail a password-reset link", description = "Answers the same whether or not the email"
            + " has an account. Throttled per email and per client address.")
    @RequestBody(content = { @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EmailRequest.class)),
            @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED, schema = @Schema(implementation = EmailRequest.class)) })
    @APIResponse(responseCode = "200", description = "Sent (or not: the answer does not tell)",
            content = @Content(schema = @Schema(implementation = Sent.class)))
    @APIResponse(responseCode = "429", description = "Too many requests for this email or address; see Retry-After")
    public Sent passwordReset(@PathParam("api") ApiGroup group, @HeaderParam(HttpHeaders.CONTENT_TYPE) String type,
            byte[] body, @Context HttpServerRequest request) {
        AuthTable table = open(group, Flow.RESET);
        accounts.requestReset(table, email(Fields.parse(type, body), "email"), clients.of(request));
        return Sent.YES;
    }

    @POST
    @Path("auth/password-reset/confirm")
    @Operation(summary = "Set a new password with the mailed token", description = "Every other token of the"
            + " account ends; the answer is a new one.")
    @RequestBody(content = { @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ResetConfirm.class)),
            @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED, schema = @Schema(implementation = ResetConfirm.class)) })
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = AuthToken.class)))
    @APIResponse(responseCode = "400", description = "Invalid, expired or used token (param token), or a bad new_password")
    public AuthToken passwordResetConfirm(@PathParam("api") ApiGroup group,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String type, byte[] body) {
        AuthTable table = open(group, Flow.RESET);
        Fields f = Fields.parse(type, body);
        String token = Secrets.linkToken(f.requiredText("token"));
        String password = AccountRules.password(f.requiredText("new_password"), "new_password");
        return new AuthToken(accounts.confirmReset(table, token, password));
    }

    @POST
    @Path("auth/verify-email")
    @Operation(summary = "Confirm the account's email with the mailed token",
            description = "Tokens issued from then on carry extras.verified = true.")
    @RequestBody(content = { @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TokenRequest.class)),
            @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED, schema = @Schema(implementation = TokenRequest.class)) })
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Verified.class)))
    @APIResponse(responseCode = "400", description = "Invalid, expired or used token (param token)")
    public Verified verifyEmail(@PathParam("api") ApiGroup group, @HeaderParam(HttpHeaders.CONTENT_TYPE) String type,
            byte[] body) {
        AuthTable table = open(group, Flow.VERIFY);
        accounts.verify(table, Secrets.linkToken(Fields.parse(type, body).requiredText("token")));
        return new Verified(true);
    }

    @POST
    @Path("auth/verify-email/resend")
    @Operation(summary = "Mail the caller a new verification link", description = "Nothing is mailed when the"
            + " address is verified already.")
    @SecurityRequirement(name = "bearer")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Sent.class)))
    @APIResponse(responseCode = "429", description = "Too many requests for this email or address; see Retry-After")
    public Sent verifyEmailResend(@PathParam("api") ApiGroup group, @Context HttpServerRequest request) {
        AuthTable table = open(group, Flow.VERIFY);
        accounts.resendVerification(table, caller(), clients.of(request));
        return Sent.YES;
    }

    @POST
    @Path("auth/magic-link")
    @Operation(summary = "Mail a sign-in link and a 6-digit code", description = "Answers the same whether or not"
            + " the email has an account. Throttled per email and per client address.")
    @RequestBody(content = { @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EmailRequest.class)),
            @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED, schema = @Schema(implementation = EmailRequest.class)) })
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Sent.class)))
    @APIResponse(responseCode = "429", description = "Too many requests for this email or address; see Retry-After")
    public Sent magicLink(@PathParam("api") ApiGroup group, @HeaderParam(HttpHeaders.CONTENT_TYPE) String type,
            byte[] body, @Context HttpServerRequest request) {
        AuthTable table = open(group, Flow.MAGIC_LINK);
        accounts.requestMagicLink(table, email(Fields.parse(type, body), "email"), clients.of(request));
        return Sent.YES;
    }

    @POST
    @Path("auth/magic-link/login")
    @Operation(summary = "Sign in with the mailed link token, or with the email and its 6-digit code",
            description = "After 5 wrong codes the code is void.")
    @RequestBody(content = { @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MagicLogin.class)),
            @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED, schema = @Schema(implementation = MagicLogin.class)) })
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = AuthToken.class)))
    @APIResponse(responseCode = "400", description = "Invalid, expired or used token or code (param token or code)")
    public AuthToken magicLinkLogin(@PathParam("api") ApiGroup group, @HeaderParam(HttpHeaders.CONTENT_TYPE) String type,
            byte[] body) {
        AuthTable table = open(group, Flow.MAGIC_LINK);
        Fields f = Fields.parse(type, body);
        var token = f.text("token");
        if (token.isPresent()) {
            return new AuthToken(accounts.magicLogin(table, Secrets.linkToken(token.get())));
        }
        String email = email(f, "email");
        return new AuthToken(accounts.codeLogin(table, email, Secrets.code(f.requiredText("code"))));
    }

    @POST
    @Path("auth/email-change")
    @Operation(summary = "Mail a confirmation link to a new address", description = "Needs the current password;"
            + " the current address gets a notice. The answer does not tell whether the new address is taken.")
    @SecurityRequirement(name = "bearer")
    @RequestBody(content = { @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EmailChange.class)),
            @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED, schema = @Schema(implementation = EmailChange.class)) })
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Sent.class)))
    @APIResponse(responseCode = "403", description = "Invalid Credentials (wrong password)")
    @APIResponse(responseCode = "429", description = "Too many requests for this email or address; see Retry-After")
    public Sent emailChange(@PathParam("api") ApiGroup group, @HeaderParam(HttpHeaders.CONTENT_TYPE) String type,
            byte[] body, @Context HttpServerRequest request) {
        AuthTable table = open(group, Flow.CHANGE);
        Auth caller = caller();
        Fields f = Fields.parse(type, body);
        String newEmail = email(f, "new_email");
        String password = f.requiredText("password");
        accounts.requestEmailChange(table, caller, newEmail, password, clients.of(request));
        return Sent.YES;
    }

    @POST
    @Path("auth/email-change/confirm")
    @Operation(summary = "Confirm the new address with the token mailed to it", description = "Answers the record"
            + " with the new email.")
    @RequestBody(content = { @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TokenRequest.class)),
            @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED, schema = @Schema(implementation = TokenRequest.class)) })
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = AccountView.class)))
    @APIResponse(responseCode = "400", description = "Invalid, expired or used token (param token)")
    public AccountView emailChangeConfirm(@PathParam("api") ApiGroup group,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String type, byte[] body) {
        AuthTable table = open(group, Flow.CHANGE);
        return accounts.confirmEmailChange(table, Secrets.linkToken(Fields.parse(type, body).requiredText("token")));
    }

    /** The group's table when the flow is on there; else the unknown-route 404, before anything else is looked at. */
    private AuthTable open(ApiGroup group, Flow flow) {
        flows.require(group.table(), flow);
        return group.table();
    }

    /** Authentication is checked after the flow, so a flow that is off is a 404 with or without a token. */
    private Auth caller() {
        if (identity.isAnonymous()) {
            throw ApiException.unauthorized();
        }
        return identity.getAttribute(TokenIdentityProvider.AUTH);
    }

    /** An address as stored (trimmed, lower-cased); a bad one is a 400 naming the field it came in. */
    private static String email(Fields f, String field) {
        String raw = f.requiredText(field);
        try {
            return AccountRules.email(raw);
        } catch (ApiException e) {
            throw ApiException.input(field, e.getMessage());
        }
    }
}
