package dev.authgate.http;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.Authenticated;
import io.vertx.core.http.HttpServerRequest;

import dev.authgate.config.AuthgateConfig;
import dev.authgate.failure.Failure;
import dev.authgate.federation.Federation;
import dev.authgate.federation.Federation.CallbackParams;
import dev.authgate.federation.Federation.Redirect;
import dev.authgate.federation.Identity;
import dev.authgate.federation.ProvidersConfig;

/**
 * {@code /api:{group}/auth/oauth/*} and {@code auth/identities}: sign in with another identity provider, and the
 * caller's linked identities. The browser steps (start, callback) answer with redirects; the app's steps (token,
 * link, list, unlink) with JSON.
 */
@Path(GroupPath.PATH)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
public class FederationResource {

    /** The cookie a flow's state is bound to: set by start, read and cleared by the callback. */
    static final String COOKIE = "authgate_federation";
    /** As long as a flow (Federation's 10 minutes). */
    static final int FLOW_COOKIE_SECONDS = 600;

    /** {@code POST auth/oauth/token}. */
    @RegisterForReflection
    public record CodeExchange(String code, @JsonProperty("code_verifier") String codeVerifier) {
    }

    /** {@code POST auth/identities/{p}/link}. */
    @RegisterForReflection
    public record LinkRequest(@JsonProperty("redirect_uri") String redirectUri) {
    }

    @RegisterForReflection
    public record LinkUrl(String url) {
    }

    @RegisterForReflection
    public record Unlinked(boolean unlinked) {
    }

    private final Federation federation;
    private final Caller caller;
    private final boolean secureCookie;
    private final Optional<String> publicUrl;

    public FederationResource(Federation federation, Caller caller, ProvidersConfig providers, AuthgateConfig settings) {
        this.federation = federation;
        this.caller = caller;
        this.secureCookie = providers.secureCookie();
        this.publicUrl = settings.publicUrl().map(ServerMetadataResource::checked);
    }

    @GET
    @Path("auth/oauth/{provider}/start")
    @Operation(summary = "Start signing in with an identity provider: a redirect to the provider",
            description = "redirect_uri must be in authgate.providers.redirect-allowlist (exact match);"
                    + " code_challenge (S256) makes auth/oauth/token require its code_verifier.")
    @APIResponse(responseCode = "302", description = "To the provider, with state, nonce and PKCE S256")
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "502", description = "The provider is unavailable")
    public Response start(@PathParam("provider") String provider, @QueryParam("redirect_uri") String redirectUri,
            @QueryParam("code_challenge") String codeChallenge,
            @QueryParam("code_challenge_method") String codeChallengeMethod, @QueryParam("link") String link,
            @Context HttpServerRequest request) {
        Redirect next;
        if (link != null) {
            next = federation.startLink(caller.group(), provider, link);
        } else {
            if (codeChallenge != null && codeChallengeMethod != null && !"S256".equals(codeChallengeMethod)) {
                throw Failure.invalidInput("code_challenge_method", "Only S256 is supported.");
            }
            next = federation.start(caller.group(), provider, redirectUri, codeChallenge, base(request));
        }
        return redirect(next.location(), cookie(next.cookie(), FLOW_COOKIE_SECONDS));
    }

    @GET
    @Path("auth/oauth/{provider}/callback")
    @Operation(summary = "The provider's answer: a redirect to the app with ?code= (or ?error=)")
    @APIResponse(responseCode = "302", description = "To the app's redirect_uri with a one-time code or an error")
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = ApiDocument.ACCESS_DENIED, description = "The flow's cookie is missing")
    @APIResponse(responseCode = "502", description = "The provider is unavailable")
    public Response callback(@PathParam("provider") String provider, @QueryParam("code") String code,
            @QueryParam("state") String state, @QueryParam("error") String error, @QueryParam("iss") String iss,
            @CookieParam(COOKIE) String cookie) {
        Redirect next = federation.callback(caller.group(), provider, new CallbackParams(code, state, error, iss),
                cookie);
        return redirect(next.location(), cookie("", 0));
    }

    @POST
    @Path("auth/oauth/token")
    @Operation(summary = "Trade the one-time code of a provider sign-in for an authToken")
    @APIResponse(responseCode = "200", description = "The authToken, or mfa_required with an mfa_token when the account has a second factor")
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = ApiDocument.ACCESS_DENIED, description = "An account with this email"
            + " exists and is not linked automatically (sign in and link), or the table does not allow sign-up.")
    public Object token(CodeExchange body) {
        if (body == null) {
            throw Failure.missing("code");
        }
        return MfaAnswers.of(federation.token(caller.group(), body.code(), body.codeVerifier()));
    }

    @POST
    @Path("auth/identities/{provider}/link")
    @Authenticated
    @Operation(summary = "A one-time URL that links a provider's identity to the caller's record when opened")
    @SecurityRequirement(name = ApiDocument.BEARER)
    @SecurityRequirement(name = ApiDocument.ALTERNATIVE)
    @APIResponse(responseCode = "200", description = "{\"url\"}: open it in the user's browser")
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    public LinkUrl link(@PathParam("provider") String provider, LinkRequest body, @Context HttpServerRequest request) {
        return new LinkUrl(federation.link(caller.group(), caller.auth(), provider,
                body == null ? null : body.redirectUri(), base(request)));
    }

    @GET
    @Path("auth/identities")
    @Authenticated
    @Operation(summary = "The caller's linked identities")
    @SecurityRequirement(name = ApiDocument.BEARER)
    @SecurityRequirement(name = ApiDocument.ALTERNATIVE)
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    public List<Identity> identities() {
        return federation.identities(caller.auth().dbtable(), caller.auth().id());
    }

    @DELETE
    @Path("auth/identities/{id}")
    @Authenticated
    @Operation(summary = "Unlink one of the caller's identities (refused when it is the last way to sign in)")
    @SecurityRequirement(name = ApiDocument.BEARER)
    @SecurityRequirement(name = ApiDocument.ALTERNATIVE)
    @APIResponse(responseCode = "401", ref = ApiDocument.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ApiDocument.ACCESS_DENIED)
    public Unlinked unlink(@PathParam("id") String id) {
        federation.unlink(caller.group().table(), caller.auth().id(), identityId(id));
        return new Unlinked(true);
    }

    /** An identity's id from a path; anything else is no identity (404). */
    static long identityId(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw Failure.notFound("Identity not found.");
        }
    }

    private String base(HttpServerRequest request) {
        return base(publicUrl, request);
    }

    private String cookie(String value, int maxAge) {
        return flowCookie(value, maxAge, secureCookie);
    }

    /** The cookie a flow's state is bound to, set (the OpenID sign-in page's provider buttons set it too). */
    public static String flowCookie(String value, boolean secure) {
        return flowCookie(value, FLOW_COOKIE_SECONDS, secure);
    }

    private static String flowCookie(String value, int maxAge, boolean secure) {
        return COOKIE + "=" + (value == null ? "" : value) + "; Path=/; Max-Age=" + (value == null ? 0 : maxAge)
                + "; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "");
    }

    /** Authgate's public base URL: authgate.public-url, else the request's. */
    public static String base(Optional<String> publicUrl, HttpServerRequest request) {
        return publicUrl.orElseGet(() -> ServerMetadataResource.base(request));
    }

    private static Response redirect(String location, String setCookie) {
        return Response.status(302).header(HttpHeaders.LOCATION, location).header(HttpHeaders.SET_COOKIE, setCookie)
                .header(HttpHeaders.CACHE_CONTROL, "no-store").header("Referrer-Policy", "no-referrer").build();
    }
}
