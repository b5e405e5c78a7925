package dev.authgate.http.oidc;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;

import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;

import dev.authgate.failure.Failure;
import dev.authgate.group.ApiGroup;
import dev.authgate.http.BodyCheck;
import dev.authgate.http.ErrorReply;
import dev.authgate.http.MfaRequests;
import dev.authgate.mfa.SecondFactors;
import dev.authgate.oidc.AuthorizationRequest;
import dev.authgate.oidc.Authorizations;
import dev.authgate.oidc.OidcFailure;
import dev.authgate.passkey.Passkeys;
import dev.authgate.security.TokenPrincipal;

/**
 * The sign-in page's later steps: the second factor (a TOTP or recovery code in a form, or a passkey through the
 * console's passkey script, which also signs in alone from the first page's autofill) for the login waiting in an
 * HttpOnly cookie, and the consent page. Each form carries the authorization request, checked again here as the
 * authorization endpoint checks it: a client or redirect URI not to be trusted is an error page, any other error
 * goes back to the client.
 */
@Path(Issuers.PATH + "{group}")
@Produces(MediaType.TEXT_HTML)
public class SecondStepResource {

    static final String EXPIRED = "This sign-in has expired, or had too many wrong codes: sign in again.";
    static final String FORM_EXPIRED = "This form has expired: sign in again.";

    private final Issuers issuers;
    private final Authorizations authorizations;
    private final BrowserSession browser;
    private final SignInFlow flow;
    private final SecondFactors factors;
    private final Passkeys passkeys;
    private final BodyCheck check;

    public SecondStepResource(Issuers issuers, Authorizations authorizations, BrowserSession browser, SignInFlow flow,
            SecondFactors factors, Passkeys passkeys, BodyCheck check) {
        this.issuers = issuers;
        this.authorizations = authorizations;
        this.browser = browser;
        this.flow = flow;
        this.factors = factors;
        this.passkeys = passkeys;
        this.check = check;
    }

    /** The second step: a TOTP code or a recovery code for the login waiting in this browser's cookie. */
    @POST
    @Path("login/code")
    @Operation(hidden = true)
    public Response code(@PathParam("group") String group, @RestForm String csrf, @RestForm String authorization,
            @RestForm String code, @RestForm String passkey, @Context HttpServerRequest http) {
        ApiGroup g = issuers.group(group);
        String issuer = issuers.issuer(http, g);
        String query = authorization == null ? "" : authorization;
        return flow.checked(g, issuer, query, request -> {
            String mfaToken = browser.mfaToken();
            if (!browser.formIsOurs(csrf) || mfaToken == null) {
                return expired(g, query, request, mfaToken == null ? EXPIRED : FORM_EXPIRED);
            }
            try {
                MfaRequests.Verify input = check.checked(new MfaRequests.Verify(mfaToken,
                        AuthorizeResource.blankIsMissing(code)));
                String token = factors.verify(g.table(), input.mfaToken(), input.code(), browser.address());
                return flow.signedIn(g, issuer, query, request, token);
            } catch (UnauthorizedException e) {
                return expired(g, query, request, EXPIRED);
            } catch (Failure f) {
                // a wrong code, or the account's login throttle: the step again, the waiting login kept
                return browser.page(ErrorReply.of(f).status(), OidcPages.factor(browser.csrf(), g.name(),
                        request.client().id(), query, true, "yes".equals(passkey), f.getMessage()),
                        AuthorizeResource.origin(request.redirectUri()));
            }
        });
    }

    /**
     * The passkey script's first call: request options, usernameless ({@code step=signin}, the first page's autofill or
     * button) or for the login waiting for its second factor ({@code step=factor}).
     */
    @POST
    @Path("login/passkey/options")
    @Produces(MediaType.APPLICATION_JSON) // the passkey script asks for JSON
    @Operation(hidden = true)
    public Response passkeyOptions(@PathParam("group") String group, @RestForm String csrf,
            @RestForm String authorization, @RestForm String step, @Context HttpServerRequest http) {
        ApiGroup g = issuers.group(group);
        return ceremony(g, issuers.issuer(http, g), authorization, csrf, step, (request, mfaToken) -> {
            Passkeys.Options options = passkeys.loginOptions(g.table(), mfaToken);
            return browser.json(200, Map.of("challenge_id", options.challengeId(), "publicKey", options.publicKey()),
                    null, g);
        });
    }

    /** The passkey script's second call: the authenticator's answer; signed in, where the browser goes next. */
    @POST
    @Path("login/passkey")
    @Produces(MediaType.APPLICATION_JSON) // the passkey script asks for JSON
    @Operation(hidden = true)
    public Response passkey(@PathParam("group") String group, @RestForm String csrf, @RestForm String authorization,
            @RestForm String step, @RestForm("challenge_id") String challengeId, @RestForm String credential,
            @Context HttpServerRequest http) {
        ApiGroup g = issuers.group(group);
        String issuer = issuers.issuer(http, g);
        String query = authorization == null ? "" : authorization;
        return ceremony(g, issuer, query, csrf, step, (request, mfaToken) -> {
            String token = passkeys.login(g.table(), challengeId, credential == null ? "" : credential, mfaToken);
            return browser.json(200, Map.of("location", flow.next(g, issuer, query, request, token)), token, g);
        });
    }

    /** A call of the passkey script: JSON, refusals with the API's status and message; a waiting login gone, 401. */
    private Response ceremony(ApiGroup g, String issuer, String authorization, String csrf, String step,
            BiFunction<AuthorizationRequest, String, Response> call) {
        AuthorizationRequest request;
        try {
            request = authorizations.parse(authorizations.target(g.name(), params(authorization)),
                    params(authorization));
        } catch (OidcFailure f) {
            return browser.json(400, Map.of("message", f.getMessage()), null, g);
        }
        if (!browser.formIsOurs(csrf)) {
            return browser.json(403, Map.of("message", FORM_EXPIRED), null, g);
        }
        boolean second = "factor".equals(step);
        String mfaToken = second ? browser.mfaToken() : null;
        if (second && mfaToken == null) {
            return browser.json(401, Map.of("message", EXPIRED), null, g);
        }
        try {
            return call.apply(request, mfaToken);
        } catch (UnauthorizedException e) {
            return browser.json(401, Map.of("message", EXPIRED), null, g);
        } catch (Failure f) {
            return browser.json(ErrorReply.of(f).status(), Map.of("message", f.getMessage()), null, g);
        }
    }

    /** The consent page, for a browser signed in (the passkey script comes here when consent is needed). */
    @GET
    @Path("consent")
    @Operation(hidden = true)
    public Response consentPage(@PathParam("group") String group, @Context UriInfo uri,
            @Context HttpServerRequest http) {
        ApiGroup g = issuers.group(group);
        String query = uri.getRequestUri().getRawQuery() == null ? "" : uri.getRequestUri().getRawQuery();
        return flow.checked(g, issuers.issuer(http, g), query, request -> browser.signedIn(g)
                .map(session -> browser.page(200, flow.consentPage(g, query, request, session),
                        AuthorizeResource.origin(request.redirectUri())))
                .orElseGet(() -> expired(g, query, request, EXPIRED)));
    }

    /** The consent page's answer. */
    @POST
    @Path("consent")
    @Operation(hidden = true)
    public Response consent(@PathParam("group") String group, @RestForm String csrf, @RestForm String authorization,
            @RestForm String decision, @Context HttpServerRequest http) {
        ApiGroup g = issuers.group(group);
        String issuer = issuers.issuer(http, g);
        String query = authorization == null ? "" : authorization;
        return flow.checked(g, issuer, query, request -> {
            Optional<TokenPrincipal> session = browser.signedIn(g);
            if (session.isEmpty()) {
                return expired(g, query, request, EXPIRED);
            }
            if (!browser.formIsOurs(csrf)) {
                return browser.page(403, flow.consentPage(g, query, request, session.get()),
                        AuthorizeResource.origin(request.redirectUri()));
            }
            return flow.consented(g, issuer, request, session.get(), "allow".equals(decision));
        });
    }

    /** The sign-in form again, the waiting login forgotten. */
    private Response expired(ApiGroup g, String query, AuthorizationRequest request, String message) {
        return browser.forgettingFactor(flow.signInPage(401, g, query, request, null, message));
    }

    private static Map<String, List<String>> params(String query) {
        return AuthorizeResource.params(query);
    }

}
