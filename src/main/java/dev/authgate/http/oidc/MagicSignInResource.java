package dev.authgate.http.oidc;

import java.util.Optional;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;

import io.vertx.core.http.HttpServerRequest;

import dev.authgate.failure.Failure;
import dev.authgate.group.ApiGroup;
import dev.authgate.http.BodyCheck;
import dev.authgate.http.EmailBodies.EmailRequest;
import dev.authgate.http.EmailBodies.MagicLogin;
import dev.authgate.http.ErrorReply;
import dev.authgate.mail.EmailAccounts;
import dev.authgate.mail.EmailFlows;
import dev.authgate.mail.Flow;
import dev.authgate.mail.Secrets;
import dev.authgate.oidc.AuthorizationRequest;

/**
 * The sign-in page's magic link, when the table has it on: the email, then the mailed 6-digit code typed on the page
 * (the mail's link goes to the app's {@code link-base}, not here), then on as after a password. The same throttles,
 * audit rows and first-proof rule as {@code auth/magic-link}; the answer never says whether the email has an account.
 */
@Path(Issuers.PATH + "{group}")
@Produces(MediaType.TEXT_HTML)
public class MagicSignInResource {

    public static final String FORM_EXPIRED = "This form has expired: sign in again.";

    private final Issuers issuers;
    private final BrowserSession browser;
    private final SignInFlow flow;
    private final EmailAccounts accounts;
    private final EmailFlows flows;
    private final BodyCheck check;

    public MagicSignInResource(Issuers issuers, BrowserSession browser, SignInFlow flow, EmailAccounts accounts,
            EmailFlows flows, BodyCheck check) {
        this.issuers = issuers;
        this.browser = browser;
        this.flow = flow;
        this.accounts = accounts;
        this.flows = flows;
        this.check = check;
    }

    /** The email: a code (and a link) mailed, the code's page. */
    @POST
    @Path("login/magic")
    @Operation(hidden = true)
    public Response send(@PathParam("group") String group, @RestForm String csrf, @RestForm String authorization,
            @RestForm String email, @Context HttpServerRequest http) {
        ApiGroup g = issuers.group(group);
        String query = authorization == null ? "" : authorization;
        return flow.checked(g, issuers.issuer(http, g), query, request -> {
            Optional<Response> refused = refused(g, query, request, csrf);
            if (refused.isPresent()) {
                return refused.get();
            }
            try {
                String address = check.checked(new EmailRequest(AuthorizeResource.blankIsMissing(email))).email();
                accounts.requestMagicLink(g.table(), address, browser.address());
                return codePage(200, g, query, request, address, null);
            } catch (Failure f) { // a malformed email, or the mail throttle
                return flow.signInPage(ErrorReply.of(f).status(), g, query, request, null, f.getMessage());
            }
        });
    }

    /** The mailed code: signed in (or the second factor's page), as after a password. */
    @POST
    @Path("login/magic/code")
    @Operation(hidden = true)
    public Response code(@PathParam("group") String group, @RestForm String csrf, @RestForm String authorization,
            @RestForm String email, @RestForm String code, @Context HttpServerRequest http) {
        ApiGroup g = issuers.group(group);
        String issuer = issuers.issuer(http, g);
        String query = authorization == null ? "" : authorization;
        return flow.checked(g, issuer, query, request -> {
            Optional<Response> refused = refused(g, query, request, csrf);
            if (refused.isPresent()) {
                return refused.get();
            }
            MagicLogin login = new MagicLogin(AuthorizeResource.blankIsMissing(email),
                    AuthorizeResource.blankIsMissing(code), null);
            try {
                check.checked(login);
                if (login.email() == null) {
                    throw Failure.missing("email");
                }
                if (login.code() == null) {
                    throw Failure.missing("code");
                }
                return flow.afterFirstFactor(g, issuer, query, request,
                        accounts.codeLogin(g.table(), login.email(), Secrets.code(login.code()), Optional.empty()));
            } catch (Failure f) { // a wrong, expired or used code: its page again
                return codePage(ErrorReply.of(f).status(), g, query, request, login.email(), f.getMessage());
            }
        });
    }

    /** The flow off for the table (an error page), or a form that is not ours (the sign-in page again). */
    private Optional<Response> refused(ApiGroup g, String query, AuthorizationRequest request, String csrf) {
        if (!flows.isOn(g.table(), Flow.MAGIC_LINK)) {
            return Optional.of(browser.page(404, OidcPages.error(404, "Sign-in by email is not on here."), null));
        }
        if (!browser.formIsOurs(csrf)) {
            return Optional.of(flow.signInPage(403, g, query, request, null, FORM_EXPIRED));
        }
        return Optional.empty();
    }

    private Response codePage(int status, ApiGroup g, String query, AuthorizationRequest request, String email,
            String error) {
        return browser.page(status, OidcPages.magic(browser.csrf(), g.name(), request.client().id(), query,
                email == null ? "" : email, error), AuthorizeResource.origin(request.redirectUri()));
    }

}
