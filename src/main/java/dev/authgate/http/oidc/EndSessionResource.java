package dev.authgate.http.oidc;

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
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.vertx.core.http.HttpServerRequest;

import dev.authgate.group.ApiGroup;
import dev.authgate.oidc.EndSession;
import dev.authgate.oidc.OidcFailure;
import dev.authgate.security.TokenPrincipal;

/**
 * {@code {issuer}/end-session}: RP-initiated logout. With a valid {@code id_token_hint} naming the browser's account
 * the sign-in ends at once; without one (anyone can send a browser here) the person is asked first, with a form
 * that carries the request and a CSRF token. Then the browser goes to the client's registered
 * {@code post_logout_redirect_uri} (with {@code state}), or sees that it is signed out. A client, hint or URI that
 * does not check out is an error page, never a redirect.
 */
@Path(Issuers.PATH + "{group}")
@Produces(MediaType.TEXT_HTML)
public class EndSessionResource {

    private final Issuers issuers;
    private final EndSession endSession;
    private final BrowserSession browser;

    public EndSessionResource(Issuers issuers, EndSession endSession, BrowserSession browser) {
        this.issuers = issuers;
        this.endSession = endSession;
        this.browser = browser;
    }

    @GET
    @Path("end-session")
    @Operation(hidden = true)
    public Response endSession(@PathParam("group") String group, @Context UriInfo uri,
            @Context HttpServerRequest http) {
        ApiGroup g = issuers.group(group);
        String query = uri.getRequestUri().getRawQuery();
        return logout(g, issuers.issuer(http, g), query == null ? "" : query, false);
    }

    /**
     * The confirmation form ({@code csrf} and the original {@code request}), or a client that posts its logout
     * request as a form (allowed by the specification), read as the GET's query.
     */
    @POST
    @Path("end-session")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response confirmed(@PathParam("group") String group, MultivaluedMap<String, String> form,
            @Context HttpServerRequest http) {
        ApiGroup g = issuers.group(group);
        String issuer = issuers.issuer(http, g);
        if (form.containsKey("request")) {
            String query = Optional.ofNullable(form.getFirst("request")).orElse("");
            return logout(g, issuer, query, browser.formIsOurs(form.getFirst(BrowserSession.CSRF_FIELD)));
        }
        StringBuilder query = new StringBuilder();
        form.forEach((name, values) -> values.forEach(v -> query.append(query.isEmpty() ? "" : "&")
                .append(encode(name)).append('=').append(encode(v))));
        return logout(g, issuer, query.toString(), false);
    }

    private Response logout(ApiGroup g, String issuer, String query, boolean confirmed) {
        Map<String, List<String>> params = AuthorizeResource.params(query);
        EndSession.Request request;
        try {
            request = endSession.check(issuer, g.name(), params);
        } catch (OidcFailure f) {
            return browser.page(400, OidcPages.error(400, f.getMessage()), null);
        }
        Optional<TokenPrincipal> session = browser.signedIn(g);
        boolean hinted = session.isPresent() && request.subject() != null
                && request.subject() == session.get().auth().id();
        if (session.isPresent() && !hinted && !confirmed) {
            return browser.page(200, OidcPages.signout(browser.csrf(), g.name(), clientId(request), query, false),
                    null);
        }
        session.ifPresent(s -> endSession.end(s.auth().dbtable(), s.auth().id(), s.auth().jti(), request.client()));
        return browser.signedOut(g, request.redirect() != null ? browser.redirect(request.redirect())
                : browser.page(200, OidcPages.signout(browser.csrf(), g.name(), clientId(request), "", true), null));
    }

    private static String clientId(EndSession.Request request) {
        return request.client() == null ? null : request.client().id();
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }
}
