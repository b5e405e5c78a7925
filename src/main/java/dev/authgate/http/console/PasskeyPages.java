package dev.authgate.http.console;

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

import dev.authgate.failure.Failure;
import dev.authgate.http.ErrorReply;
import dev.authgate.mfa.SecondFactors;
import dev.authgate.passkey.Passkeys;

/**
 * The signed-in administrator's own passkeys: list, add (the console's script runs the ceremony against the same
 * {@link Passkeys} as {@code auth/passkeys/register}), rename and remove (aal 2, as on the API). A passkey added here
 * signs in to the console on its own (usernameless) and is a second factor of the account everywhere.
 */
@Path(ConsoleRequest.PATH + "/{group}/passkeys")
@ConsoleEndpoint
@Produces(MediaType.TEXT_HTML)
public class PasskeyPages {

    private static final Logger LOG = Logger.getLogger(PasskeyPages.class);
    static final int NAME_MAX = 100;

    private final ConsoleRequest console;
    private final Passkeys passkeys;
    private final ScriptAnswers answers;

    public PasskeyPages(ConsoleRequest console, Passkeys passkeys, ScriptAnswers answers) {
        this.console = console;
        this.passkeys = passkeys;
        this.answers = answers;
    }

    @GET
    @Operation(hidden = true)
    public Response list(@PathParam("group") String group, @QueryParam("notice") String notice) {
        return console.asAdmin(group, admin -> page(admin, notice(notice), null, 200));
    }

    /** The script's first call: creation options for the administrator, as {@code auth/passkeys/register/options}. */
    @POST
    @Path("register/options")
    @Produces(MediaType.APPLICATION_JSON) // the passkey script's calls: it asks for JSON
    @Operation(hidden = true)
    public Response registerOptions(@PathParam("group") String group) {
        return asAdminScript(group, admin -> console.json(200,
                answers.options(passkeys.registrationOptions(admin.group().table(), admin.auth()))));
    }

    /** The script's second call: the authenticator's answer; stored, the page to show next. */
    @POST
    @Path("register")
    @Produces(MediaType.APPLICATION_JSON) // the passkey script's calls: it asks for JSON
    @Operation(hidden = true)
    public Response register(@PathParam("group") String group, @RestForm("challenge_id") String challengeId,
            @RestForm String credential, @RestForm String name) {
        return asAdminScript(group, admin -> {
            Passkeys.Passkey added = passkeys.register(admin.group().table(), admin.auth(), challengeId,
                    credential == null ? "" : credential, name(name, "Passkey"));
            LOG.infof("console: %s added a passkey (%s)", admin.who(), added.id());
            return console.json(200, answers.location(path(group) + "?notice=added"));
        });
    }

    @POST
    @Path("{id}/rename")
    @Operation(hidden = true)
    public Response rename(@PathParam("group") String group, @PathParam("id") String id, @RestForm String name) {
        return console.asAdmin(group, admin -> {
            try {
                requireAal2(admin);
                if (name == null || name.isBlank()) {
                    throw Failure.missing("name");
                }
                passkeys.rename(admin.group().table(), admin.auth(), id, name(name, null));
            } catch (Failure f) {
                return page(admin, null, f.getMessage(), ErrorReply.of(f).status());
            }
            LOG.infof("console: %s renamed a passkey (%s)", admin.who(), id);
            return console.redirect(path(group) + "?notice=renamed");
        });
    }

    @POST
    @Path("{id}/delete")
    @Operation(hidden = true)
    public Response delete(@PathParam("group") String group, @PathParam("id") String id) {
        return console.asAdmin(group, admin -> {
            try {
                requireAal2(admin);
                passkeys.delete(admin.group().table(), admin.auth(), id);
            } catch (Failure f) {
                return page(admin, null, f.getMessage(), ErrorReply.of(f).status());
            }
            LOG.infof("console: %s removed a passkey (%s)", admin.who(), id);
            return console.redirect(path(group) + "?notice=removed");
        });
    }

    private Response page(Admin admin, String notice, String error, int status) {
        return console.html(status, Pages.passkeys(console.frame(admin, "Passkeys", "passkeys"),
                passkeys.list(admin.group().table(), admin.auth().id()), notice, error));
    }

    /** The script's calls: signed out (or ended) 401, a refusal its status, each with a message to show. */
    private Response asAdminScript(String group, java.util.function.Function<Admin, Response> call) {
        Optional<Admin> admin = console.admin(group);
        if (admin.isEmpty()) {
            return console.json(401, answers.message("Your console session has ended: sign in again."));
        }
        try {
            return call.apply(admin.get());
        } catch (Failure f) {
            return console.json(ErrorReply.of(f).status(), answers.message(f.getMessage()));
        }
    }

    /** As {@code @RequiresAal2} on the API's rename and delete: a second factor proved at sign-in. */
    private static void requireAal2(Admin admin) {
        if (admin.auth().aal() < 2) {
            throw Failure.denied(SecondFactors.NEEDS_AAL2);
        }
    }

    private static String name(String name, String fallback) {
        if (name == null || name.isBlank()) {
            return fallback;
        }
        String stripped = name.strip();
        if (stripped.length() > NAME_MAX) {
            throw Failure.invalidInput("name", "name is at most " + NAME_MAX + " characters.");
        }
        return stripped;
    }

    private static String notice(String code) {
        return code == null ? null : switch (code) {
            case "added" -> "The passkey is added: it signs you in to the console, and is a second factor.";
            case "renamed" -> "The passkey is renamed.";
            case "removed" -> "The passkey is removed.";
            default -> null;
        };
    }

    static String path(String group) {
        return ConsoleRequest.PATH + "/" + group + "/passkeys";
    }
}
