package dev.authgate.http;

import java.util.Optional;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;

import dev.authgate.account.AccountView;
import dev.authgate.account.AuthTable;
import dev.authgate.failure.Failure;
import dev.authgate.mail.EmailAccounts;
import dev.authgate.http.EmailBodies.Cancelled;
import dev.authgate.http.EmailBodies.EmailChange;
import dev.authgate.http.EmailBodies.EmailRequest;
import dev.authgate.http.EmailBodies.MagicLogin;
import dev.authgate.http.EmailBodies.ResetConfirm;
import dev.authgate.http.EmailBodies.Sent;
import dev.authgate.http.EmailBodies.TokenRequest;
import dev.authgate.http.EmailBodies.Verified;
import dev.authgate.mail.EmailFlows;
import dev.authgate.mail.Flow;
import dev.authgate.mail.Secrets;
import dev.authgate.security.ClientAddress;
import dev.authgate.token.Auth;

/**
 * {@code /api:{group}/auth/*} by email: password reset, verification, magic links, email change. Each flow exists
 * only where the group's table turned it on ({@code authgate.tables.<t>.email.*}); elsewhere it is a 404.
 */
@Path(GroupPath.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class EmailResource {

    private static final String FIRST_PROOF = "A first proof of the address keeps the password only when sent with a"
            + " token of the account's that was opened with that password (sign-up, login); otherwise the password is"
            + " voided and the account's other sessions end.";

    private final EmailAccounts accounts;
    private final EmailFlows flows;
    private final ClientAddress clients;
    private final Caller caller;
    private final SecurityIdentity identity;
    private final BodyCheck check;

    public EmailResource(EmailAccounts accounts, EmailFlows flows, ClientAddress clients, Caller caller,
            SecurityIdentity identity, BodyCheck check) {
        this.accounts = accounts;
        this.flows = flows;
        this.clients = clients;
        this.caller = caller;
        this.identity = identity;
        this.check = check;
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
    public Sent passwordReset(EmailRequest body, @Context HttpServerRequest request) {
        AuthTable table = open(Flow.RESET);
        accounts.requestReset(table, check.valid(body).email(), clients.addressKey(request));
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
    public Object passwordResetConfirm(ResetConfirm body) {
        AuthTable table = open(Flow.RESET);
        check.valid(body);
        return MfaAnswers.of(accounts.confirmReset(table, Secrets.linkToken(body.token()), body.newPassword()));
    }

    @POST
    @Path("auth/verify-email")
    @Operation(summary = "Confirm the account's email with the mailed token",
            description = "Tokens issued from then on carry extras.verified = true. " + FIRST_PROOF)
    @RequestBody(content = { @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TokenRequest.class)),
            @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED, schema = @Schema(implementation = TokenRequest.class)) })
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Verified.class)))
    @APIResponse(responseCode = "400", description = "Invalid, expired or used token (param token)")
    public Verified verifyEmail(TokenRequest body) {
        AuthTable table = open(Flow.VERIFY);
        accounts.verify(table, Secrets.linkToken(check.valid(body).token()), presenter());
        return new Verified(true);
    }

    @POST
    @Path("auth/verify-email/resend")
    @Operation(summary = "Mail the caller a new verification link", description = "Nothing is mailed when the"
            + " address is verified already.")
    @SecurityRequirement(name = "bearer")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Sent.class)))
    @APIResponse(responseCode = "429", description = "Too many requests for this email or address; see Retry-After")
    public Sent verifyEmailResend(@Context HttpServerRequest request) {
        AuthTable table = open(Flow.VERIFY);
        accounts.resendVerification(table, authenticated(), clients.addressKey(request));
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
    public Sent magicLink(EmailRequest body, @Context HttpServerRequest request) {
        AuthTable table = open(Flow.MAGIC_LINK);
        accounts.requestMagicLink(table, check.valid(body).email(), clients.addressKey(request));
        return Sent.YES;
    }

    @POST
    @Path("auth/magic-link/login")
    @Operation(summary = "Sign in with the mailed link token, or with the email and its 6-digit code",
            description = "After 5 wrong codes the code is void. " + FIRST_PROOF)
    @RequestBody(content = { @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MagicLogin.class)),
            @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED, schema = @Schema(implementation = MagicLogin.class)) })
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = AuthToken.class)))
    @APIResponse(responseCode = "400", description = "Invalid, expired or used token or code (param token or code)")
    public Object magicLinkLogin(MagicLogin body) {
        AuthTable table = open(Flow.MAGIC_LINK);
        if (body.token() != null) {
            return MfaAnswers.of(accounts.magicLogin(table, Secrets.linkToken(body.token()), presenter()));
        }
        check.valid(body);
        if (body.email() == null) {
            throw Failure.missing("email");
        }
        if (body.code() == null) {
            throw Failure.missing("code");
        }
        return MfaAnswers.of(accounts.codeLogin(table, body.email(), Secrets.code(body.code()), presenter()));
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
    public Sent emailChange(EmailChange body, @Context HttpServerRequest request) {
        AuthTable table = open(Flow.CHANGE);
        Auth auth = authenticated();
        check.valid(body);
        accounts.requestEmailChange(table, auth, body.newEmail(), body.password(), clients.addressKey(request));
        return Sent.YES;
    }

    @POST
    @Path("auth/email-change/confirm")
    @Operation(summary = "Confirm the new address with the token mailed to it", description = "Answers the record"
            + " with the new email. " + FIRST_PROOF)
    @RequestBody(content = { @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TokenRequest.class)),
            @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED, schema = @Schema(implementation = TokenRequest.class)) })
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = AccountView.class)))
    @APIResponse(responseCode = "400", description = "Invalid, expired or used token (param token)")
    public AccountView emailChangeConfirm(TokenRequest body) {
        AuthTable table = open(Flow.CHANGE);
        return accounts.confirmEmailChange(table, Secrets.linkToken(check.valid(body).token()), presenter());
    }

    @POST
    @Path("auth/email-change/cancel")
    @Operation(summary = "Cancel an email change with the token mailed to the old address", description = "Voids the"
            + " pending change (undoes it if it was confirmed), the password and every session; a password reset to"
            + " the old address lets the owner back in.")
    @RequestBody(content = { @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TokenRequest.class)),
            @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED, schema = @Schema(implementation = TokenRequest.class)) })
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Cancelled.class)))
    @APIResponse(responseCode = "400", description = "Invalid, expired or used token (param token)")
    public Cancelled emailChangeCancel(TokenRequest body) {
        AuthTable table = open(Flow.CHANGE);
        accounts.cancelEmailChange(table, Secrets.linkToken(check.valid(body).token()));
        return Cancelled.YES;
    }

    /** The group's table when the flow is on there; else the unknown-route 404, before anything else is looked at. */
    private AuthTable open(Flow flow) {
        AuthTable table = caller.group().table();
        flows.require(table, flow);
        return table;
    }

    /**
     * The token a proof was sent with, if any: a first proof of the address keeps the password only when it comes
     * from a session of the account opened with that password (docs/security.md, pre-hijacking).
     */
    private Optional<Auth> presenter() {
        return identity.isAnonymous() ? Optional.empty() : Optional.of(caller.auth());
    }

    /** Authentication is checked after the flow, so a flow that is off is a 404 with or without a token. */
    private Auth authenticated() {
        if (identity.isAnonymous()) {
            throw new UnauthorizedException();
        }
        return caller.auth();
    }
}
