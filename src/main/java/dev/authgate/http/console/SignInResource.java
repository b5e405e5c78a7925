package dev.authgate.http.console;

import java.util.List;
import java.util.Map;
import java.util.Optional;

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

import dev.authgate.events.Audit;
import dev.authgate.events.AuditEvent;
import dev.authgate.failure.Failure;
import dev.authgate.group.ApiGroup;
import dev.authgate.mfa.SignIn;
import dev.authgate.group.ApiGroups;
import dev.authgate.http.BodyCheck;
import dev.authgate.http.Login;
import dev.authgate.http.ErrorReply;
import dev.authgate.session.Revocation;
import dev.authgate.signin.AccountService;

/**
 * Signing in to the console and out of it. Sign-in is the group's own login (same throttle, same answers), then
 * the records API's rule: the token must carry the administrator role, else it is ended at once.
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
    private final Audit audit;

    public SignInResource(ConsoleRequest console, ApiGroups groups, AccountService accounts, Revocation revocation,
            BodyCheck check, Audit audit) {
        this.audit = audit;
        this.console = console;
        this.groups = groups;
        this.accounts = accounts;
        this.revocation = revocation;
        this.check = check;
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
        Optional<ApiGroup> found = Optional.ofNullable(group).filter(administeredGroups()::contains)
                .flatMap(groups::find);
        if (found.isEmpty()) {
            return form(400, null, email, "Choose the group you administer.");
        }
        String token;
        try {
            Login login = check.checked(new Login(blankIsMissing(email), blankIsMissing(password)));
            SignIn signIn = accounts.login(found.get().table(), login.email(), login.password(), console.address());
            if (!(signIn instanceof SignIn.Token t)) {
                // the waiting login is left to expire: the console's form does not take a second factor yet
                return form(403, group, email, "This account logs in with a second factor, which the console's "
                        + "sign-in does not take yet: use the records API with a token from auth/mfa/verify.");
            }
            token = t.authToken();
        } catch (Failure f) {
            return form(ErrorReply.of(f).status(), group, email, f.getMessage());
        }
        // the records API's rule: a token without the administrator role is of no use here, and is ended
        var admin = console.admin(group, token);
        admin.ifPresent(a -> audit.ok(AuditEvent.CONSOLE_LOGIN, a.auth().dbtable(), a.auth().id(), Map.of("group", group)));
        return admin.isPresent() ? console.signedIn(home(group), token) : notAdmin(group, email, token);
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

    private Response notAdmin(String group, String email, String token) {
        console.sessionOf(token).ifPresent(p -> {
            revocation.revoke(p.auth().jti());
            LOG.infof("console sign-in refused: %s:%d is not an administrator of group %s", p.auth().dbtable(),
                    p.auth().id(), group);
        });
        return form(403, group, email, "This account is not an administrator of " + group + ".");
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
