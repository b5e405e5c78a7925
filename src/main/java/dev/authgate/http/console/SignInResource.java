package dev.authgate.http.console;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestForm;

import io.quarkus.security.UnauthorizedException;

import dev.authgate.account.AuthTable;
import dev.authgate.events.Audit;
import dev.authgate.events.AuditEvent;
import dev.authgate.failure.Failure;
import dev.authgate.group.ApiGroup;
import dev.authgate.group.ApiGroups;
import dev.authgate.http.BodyCheck;
import dev.authgate.http.Login;
import dev.authgate.http.ErrorReply;
import dev.authgate.http.MfaRequests;
import dev.authgate.mfa.SecondFactors;
import dev.authgate.mfa.SignIn;
import dev.authgate.passkey.Passkeys;
import dev.authgate.session.Revocation;
import dev.authgate.signin.AccountService;

/**
 * Signing in to the console and out of it. Sign-in is the group's own login (same throttle, same answers), then
 * the records API's rule: the token must carry the administrator role (and {@code authgate.admin-aal}), else it is
 * ended at once. An account with a second factor gets a second step: a TOTP or recovery code (a form), or a passkey
 * (the console's script), for the login waiting in an HttpOnly cookie; a passkey also signs in alone (usernameless).
 */
@Path(ConsoleRequest.PATH)
@ConsoleEndpoint
@Produces(MediaType.TEXT_HTML)
public class SignInResource {

    private static final Logger LOG = Logger.getLogger(SignInResource.class);

    private final ConsoleRequest console;
    private final ApiGroups groups;
    private final AccountService accounts;
    private final Revocation revocation;
    private final BodyCheck check;
    private final SecondFactors factors;
    private final Passkeys passkeys;
    private final ScriptAnswers answers;
    private final Audit audit;

    static final String EXPIRED = "This sign-in has expired, or had too many wrong codes: sign in again.";

    public SignInResource(ConsoleRequest console, ApiGroups groups, AccountService accounts, Revocation revocation,
            BodyCheck check, SecondFactors factors, Passkeys passkeys, ScriptAnswers answers, Audit audit) {
        this.audit = audit;
        this.console = console;
        this.groups = groups;
        this.accounts = accounts;
        this.revocation = revocation;
        this.check = check;
        this.factors = factors;
        this.passkeys = passkeys;
        this.answers = answers;
    }

    /** Signed in: the group's first table. Else the sign-in form. */
    @GET
    @Path("/")
    @Operation(hidden = true)
    public Response index(@QueryParam("group") String group) {
        List<String> names = administeredGroups();
        for (String name : group != null && names.contains(group) ? List.of(group) : names) {
            if (console.admin(name).isPresent()) {
                return console.redirect(home(name));
            }
        }
        return form(200, group != null && names.contains(group) ? group : names.isEmpty() ? null : names.get(0), null,
                null);
    }

    @POST
    @Path("login")
    @Operation(hidden = true)
    public Response login(@RestForm String group, @RestForm String email, @RestForm String password) {
        Optional<ApiGroup> found = administered(group);
        if (found.isEmpty()) {
            return form(400, null, email, "Choose the group you administer.");
        }
        SignIn signIn;
        try {
            Login login = check.checked(new Login(blankIsMissing(email), blankIsMissing(password)));
            signIn = accounts.login(found.get().table(), login.email(), login.password(), console.address());
        } catch (Failure f) {
            return form(ErrorReply.of(f).status(), group, email, f.getMessage());
        }
        if (signIn instanceof SignIn.SecondFactor waiting) {
            // the mfa_token stays in an HttpOnly cookie, never in the page
            boolean passkey = waiting.factors().stream().anyMatch(f -> Passkeys.TYPE.equals(f.type()));
            boolean code = waiting.factors().stream().anyMatch(f -> !Passkeys.TYPE.equals(f.type()));
            return console.waitingForFactor(Pages.factor(console.csrf(), group, code, passkey, null),
                    waiting.mfaToken());
        }
        return finish(group, email, ((SignIn.Token) signIn).authToken());
    }

    /** The second step: a TOTP code or a recovery code for the login waiting in this browser's cookie. */
    @POST
    @Path("login/code")
    @Operation(hidden = true)
    public Response code(@RestForm String group, @RestForm String code, @RestForm String passkey) {
        Optional<ApiGroup> found = administered(group);
        String mfaToken = console.mfaToken();
        if (found.isEmpty() || mfaToken == null) {
            return expiredSignIn(group);
        }
        boolean offerPasskey = "yes".equals(passkey);
        try {
            MfaRequests.Verify input = check.checked(new MfaRequests.Verify(mfaToken, blankIsMissing(code)));
            return finish(group, null, factors.verify(found.get().table(), input.mfaToken(), input.code(),
                    console.address()));
        } catch (UnauthorizedException e) {
            return expiredSignIn(group);
        } catch (Failure f) {
            // a wrong code, or the account's login throttle: the step again, the waiting login kept
            return console.html(ErrorReply.of(f).status(),
                    Pages.factor(console.csrf(), group, true, offerPasskey, f.getMessage()));
        }
    }

    /**
     * The passkey script's first call: request options, usernameless (from the sign-in form) or for the login waiting
     * for its second factor ({@code step=factor}). JSON, as the API's {@code auth/passkeys/login/options}.
     */
    @POST
    @Path("login/passkey/options")
    @Produces(MediaType.APPLICATION_JSON) // the passkey script's calls: it asks for JSON
    @Operation(hidden = true)
    public Response passkeyOptions(@RestForm String group, @RestForm String step) {
        return ceremony(group, step, (table, mfaToken) -> console.json(200,
                answers.options(passkeys.loginOptions(table, mfaToken))));
    }

    /** The passkey script's second call: the authenticator's answer; signed in, where to go. */
    @POST
    @Path("login/passkey")
    @Produces(MediaType.APPLICATION_JSON) // the passkey script's calls: it asks for JSON
    @Operation(hidden = true)
    public Response passkey(@RestForm String group, @RestForm String step, @RestForm("challenge_id") String challengeId,
            @RestForm String credential) {
        return ceremony(group, step, (table, mfaToken) -> {
            String token = passkeys.login(table, challengeId, credential == null ? "" : credential, mfaToken);
            String refused = refuse(group, token);
            return refused == null ? console.signedInJson(answers.location(home(group)), token)
                    : scriptError(403, refused);
        });
    }

    /**
     * A call of the passkey script for a group: usernameless, or ({@code step=factor}) for the login waiting in this
     * browser's cookie. Refusals in JSON with the API's status and message; a waiting login that is gone, 401.
     */
    private Response ceremony(String group, String step, BiFunction<AuthTable, String, Response> call) {
        Optional<ApiGroup> found = administered(group);
        if (found.isEmpty()) {
            return scriptError(400, "Choose the group you administer.");
        }
        boolean second = "factor".equals(step);
        String mfaToken = second ? console.mfaToken() : null;
        if (second && mfaToken == null) {
            return scriptError(401, EXPIRED);
        }
        try {
            return call.apply(found.get().table(), mfaToken);
        } catch (UnauthorizedException e) {
            return scriptError(401, EXPIRED);
        } catch (Failure f) {
            return scriptError(ErrorReply.of(f).status(), f.getMessage());
        }
    }

    @POST
    @Path("logout")
    @Operation(hidden = true)
    public Response logout() {
        console.session().ifPresent(p -> revocation.revoke(p.auth().jti()));
        return console.signedOut(ConsoleRequest.PATH + "/");
    }

    /** A group's console: its first managed table. */
    @GET
    @Path("{group}/")
    @Operation(hidden = true)
    public Response group(@PathParam("group") String group) {
        return console.asAdmin(group, admin -> console.redirect(RecordPages.list(group, admin.tables().get(0))));
    }

    /** A token of the group's table: signed in when it opens the console, else ended at once and the form says why. */
    private Response finish(String group, String email, String token) {
        String refused = refuse(group, token);
        return refused == null ? console.signedIn(home(group), token)
                : console.htmlForgettingFactor(403, Pages.signin(console.csrf(), administeredGroups(), group, email,
                        refused));
    }

    /** The records API's rule: a token that does not open the console is of no use here, and is ended. */
    private String refuse(String group, String token) {
        String refused = console.refusal(group, token);
        console.sessionOf(token).ifPresent(p -> {
            if (refused == null) {
                audit.ok(AuditEvent.CONSOLE_LOGIN, p.auth().dbtable(), p.auth().id(), Map.of("group", group));
                return;
            }
            revocation.revoke(p.auth().jti());
            LOG.infof("console sign-in refused: %s:%d (aal %d) does not open the console of group %s",
                    p.auth().dbtable(), p.auth().id(), p.auth().aal(), group);
        });
        return refused;
    }

    private Response expiredSignIn(String group) {
        return console.htmlForgettingFactor(401, Pages.signin(console.csrf(), administeredGroups(),
                administered(group).isPresent() ? group : null, null, EXPIRED));
    }

    private Response scriptError(int status, String message) {
        return console.json(status, answers.message(message));
    }

    private Optional<ApiGroup> administered(String group) {
        return Optional.ofNullable(group).filter(administeredGroups()::contains).flatMap(groups::find);
    }

    private Response form(int status, String group, String email, String error) {
        return console.html(status, Pages.signin(console.csrf(), administeredGroups(), group, email, error));
    }

    /** Groups whose administrators manage tables: the ones with a console. */
    private List<String> administeredGroups() {
        return groups.all().stream().filter(g -> !g.manages().isEmpty()).map(ApiGroup::name).toList();
    }

    /** An empty form field is a missing one, as the API reads a missing param. */
    private static String blankIsMissing(String field) {
        return field == null || field.isBlank() ? null : field;
    }

    static String home(String group) {
        return ConsoleRequest.PATH + "/" + group + "/";
    }
}
