package dev.authgate.http.oidc;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.Consumes;
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

import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.http.HttpServerRequest;

import dev.authgate.failure.Failure;
import dev.authgate.group.ApiGroup;
import dev.authgate.http.BodyCheck;
import dev.authgate.http.ErrorReply;
import dev.authgate.http.Login;
import dev.authgate.mfa.SignIn;
import dev.authgate.oidc.AuthorizationRequest;
import dev.authgate.oidc.Authorizations;
import dev.authgate.oidc.OidcFailure;
import dev.authgate.security.TokenPrincipal;
import dev.authgate.signin.AccountService;

/**
 * The authorization endpoint and the sign-in page behind it. The client and its redirect URI are checked first: if
 * either is not to be trusted the browser sees an error page and is never redirected. Every other error goes back to
 * the client with {@code state} and {@code iss}. A signed-in browser gets its code at once (unless {@code prompt=login}
 * or {@code max_age} ask again); else the sign-in form, which carries the request and checks it again when posted.
 */
@Path("/oidc/{group}")
@Produces(MediaType.TEXT_HTML)
public class AuthorizeResource {

    private static final int MAX_PARAMS = 64;

    private final Issuers issuers;
    private final Authorizations authorizations;
    private final BrowserSession browser;
    private final AccountService accounts;
    private final BodyCheck check;
    private final SignInFlow flow;

    public AuthorizeResource(Issuers issuers, Authorizations authorizations, BrowserSession browser,
            AccountService accounts, BodyCheck check, SignInFlow flow) {
        this.flow = flow;
        this.issuers = issuers;
        this.authorizations = authorizations;
        this.browser = browser;
        this.accounts = accounts;
        this.check = check;
    }

    @GET
    @Path("authorize")
    @Operation(hidden = true)
    public Response authorize(@PathParam("group") String group, @Context UriInfo uri,
            @Context HttpServerRequest request) {
        ApiGroup g = issuers.group(group);
        String query = uri.getRequestUri().getRawQuery();
        return authorize(g, issuers.issuer(request, g), query == null ? "" : query, null);
    }

    /** The same request as a form post (OIDC Core §3.1.2.1): the body is read as the query would be. */
    @POST
    @Path("authorize")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response authorizeByPost(@PathParam("group") String group, String body,
            @Context HttpServerRequest request) {
        ApiGroup g = issuers.group(group);
        return authorize(g, issuers.issuer(request, g), body == null ? "" : body, null);
    }

    /** The sign-in form: the account's password, then on to the client. */
    @POST
    @Path("login")
    @Operation(hidden = true)
    public Response login(@PathParam("group") String group, @RestForm String csrf, @RestForm String authorization,
            @RestForm String email, @RestForm String password, @Context HttpServerRequest request) {
        ApiGroup g = issuers.group(group);
        return authorize(g, issuers.issuer(request, g), authorization == null ? "" : authorization,
                new Credentials(csrf, email, password));
    }

    /** What the sign-in form posted. */
    record Credentials(String csrf, String email, String password) {
        @Override
        public String toString() {
            return "Credentials"; // never the password
        }
    }

    private Response authorize(ApiGroup group, String issuer, String query, Credentials posted) {
        return flow.checked(group, issuer, query, request -> {
            if (posted != null) {
                return signIn(group, issuer, query, request, posted);
            }
            Optional<TokenPrincipal> session = browser.signedIn(group);
            if (authorizations.needsSignIn(request, session.map(TokenPrincipal::auth).orElse(null),
                    Instant.now().getEpochSecond())) {
                return form(200, group, query, request, request.loginHint(), null);
            }
            return flow.toClient(group, issuer, query, request, session.get(), null);
        });
    }

    private Response signIn(ApiGroup group, String issuer, String query, AuthorizationRequest request,
            Credentials posted) {
        if (!browser.formIsOurs(posted.csrf())) {
            return form(403, group, query, request, posted.email(), "This form has expired: sign in again.");
        }
        SignIn signIn;
        try {
            Login login = check.checked(new Login(blankIsMissing(posted.email()), blankIsMissing(posted.password())));
            signIn = accounts.login(group.table(), login.email(), login.password(), browser.address());
        } catch (Failure f) {
            return form(ErrorReply.of(f).status(), group, query, request, posted.email(), f.getMessage());
        }
        return flow.afterFirstFactor(group, issuer, query, request, signIn);
    }

    private Response form(int status, ApiGroup group, String query, AuthorizationRequest request, String email,
            String error) {
        return flow.signInPage(status, group, query, request, email, error);
    }

    /** A query string's parameters: '&' alone separates them (a ';' is part of a value), as Quarkus reads a query. */
    static Map<String, List<String>> params(String query) {
        return new QueryStringDecoder(query == null ? "" : query, StandardCharsets.UTF_8, false, MAX_PARAMS, true)
                .parameters();
    }

    /** The redirect URI's origin, for the page's form-action. */
    static String origin(String uri) {
        URI u = URI.create(uri);
        return Optional.ofNullable(u.getHost()).map(h -> u.getScheme() + "://" + u.getRawAuthority())
                .orElse(u.getScheme() + ":");
    }

    /** An empty form field is a missing one, as the API reads a missing param. */
    static String blankIsMissing(String field) {
        return field == null || field.isBlank() ? null : field;
    }
}
