package dev.authgate.http.oidc;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;

import io.vertx.core.http.HttpServerRequest;

import dev.authgate.config.AuthgateConfig;
import dev.authgate.failure.Failure;
import dev.authgate.federation.Federation;
import dev.authgate.federation.ProvidersConfig;
import dev.authgate.group.ApiGroup;
import dev.authgate.http.ErrorReply;
import dev.authgate.http.FederationResource;
import dev.authgate.http.ServerMetadataResource;

/**
 * The sign-in page's provider buttons: the API's provider flow (start → provider → callback), coming back here
 * instead of to an app, then on as after a password (second factor, consent, the code). The one-time code the
 * callback sends back and the pending authorization are bound to a secret kept in an HttpOnly cookie: the page's
 * PKCE verifier is the secret's HMAC of the authorization, so neither another browser's code nor an authorization
 * changed on the way is taken.
 */
@Path(Issuers.PATH + "{group}")
@Produces(MediaType.TEXT_HTML)
public class ProviderSignInResource {

    public static final String BACK = "/login/federated";
    public static final String NOT_OFFERED = "This sign-in provider is not offered here.";
    public static final String PROVIDER_FAILED = "The sign-in at the provider did not succeed: sign in again.";
    public static final String PROVIDER_DENIED = "The provider did not allow the sign-in: sign in again.";
    public static final String EXPIRED = "This sign-in has expired, or was started in another browser: sign in again.";

    private final Issuers issuers;
    private final BrowserSession browser;
    private final SignInFlow flow;
    private final Federation federation;
    private final Optional<String> publicUrl;
    private final boolean secureFlowCookie;

    public ProviderSignInResource(Issuers issuers, BrowserSession browser, SignInFlow flow, Federation federation,
            AuthgateConfig settings, ProvidersConfig providers) {
        this.issuers = issuers;
        this.browser = browser;
        this.flow = flow;
        this.federation = federation;
        this.publicUrl = settings.publicUrl().map(ServerMetadataResource::checked);
        this.secureFlowCookie = providers.secureCookie();
    }

    /** A provider's button: to the provider, the authorization checked first (a link: no script, no form-action). */
    @GET
    @Path("login/provider/{provider}")
    @Operation(hidden = true)
    public Response start(@PathParam("group") String group, @PathParam("provider") String provider,
            @QueryParam("authorization") String authorization, @Context HttpServerRequest http) {
        ApiGroup g = issuers.group(group);
        String issuer = issuers.issuer(http, g);
        String query = authorization == null ? "" : authorization;
        return flow.checked(g, issuer, query, request -> {
            if (!federation.offeredTo(g).contains(provider)) {
                return browser.page(404, OidcPages.error(404, NOT_OFFERED), null);
            }
            String secret = browser.providerSecret();
            try {
                Federation.Redirect next = federation.startForPage(g, provider, issuer + BACK + "?authorization="
                        + URLEncoder.encode(query, StandardCharsets.UTF_8), issuer, challenge(secret, query),
                        FederationResource.base(publicUrl, http));
                return browser.toProvider(next.location(), FederationResource.flowCookie(next.cookie(),
                        secureFlowCookie), secret);
            } catch (Failure f) { // the provider is down (502)
                return flow.signInPage(ErrorReply.of(f).status(), g, query, request, null, f.getMessage());
            }
        });
    }

    /**
     * Back from the provider through the API's callback: the one-time code traded (with the page's verifier), then
     * on as after a password. A refusal at the provider, or here, is the sign-in page again with a message; nothing
     * goes to the client that it did not ask for.
     */
    @GET
    @Path("login/federated")
    @Operation(hidden = true)
    public Response back(@PathParam("group") String group, @QueryParam("authorization") String authorization,
            @QueryParam("code") String code, @QueryParam("error") String error, @Context HttpServerRequest http) {
        ApiGroup g = issuers.group(group);
        String issuer = issuers.issuer(http, g);
        String query = authorization == null ? "" : authorization;
        return browser.forgettingProvider(flow.checked(g, issuer, query, request -> {
            String secret = browser.providerSecretBack();
            if (error != null) { // its description is the provider's (or anyone's) text: not shown
                return flow.signInPage(400, g, query, request, null, "access_denied".equals(error)
                        ? PROVIDER_DENIED : PROVIDER_FAILED);
            }
            if (secret == null) {
                return flow.signInPage(401, g, query, request, null, EXPIRED);
            }
            try {
                return flow.afterFirstFactor(g, issuer, query, request,
                        federation.token(g, code, verifier(secret, query)));
            } catch (Failure f) {
                // a refusal of the account (403: link first, no sign-up) is said; a code or verifier that does not
                // hold (400: expired, used, another browser's, the authorization changed) is the sign-in expired
                int status = ErrorReply.of(f).status();
                return flow.signInPage(status, g, query, request, null, status == 400 ? EXPIRED : f.getMessage());
            }
        }));
    }

    /** The page's PKCE challenge for this secret and authorization. */
    static String challenge(String secret, String authorization) {
        return CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier(verifier(secret, authorization)))
                .getValue();
    }

    /** HMAC-SHA256 of the authorization under the browser's secret, base64url: 43 characters, a PKCE verifier. */
    static String verifier(String secret, String authorization) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    mac.doFinal(authorization.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
