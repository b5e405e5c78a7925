package dev.authgate.http.oidc;

import java.net.URI;
import java.security.SecureRandom;
import java.util.Optional;

import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;

import dev.authgate.group.ApiGroup;
import dev.authgate.http.CsrfToken;
import dev.authgate.oidc.OidcConfig;
import dev.authgate.security.ClientAddress;
import dev.authgate.security.TokenIdentityProvider;
import dev.authgate.security.TokenPrincipal;

/**
 * The browser's side of the provider: the Authgate sign-in it carries (a cookie per group holding an authToken, so
 * its session row is what logout, revocation and a role change end, and its {@code iat}, {@code aal} and
 * {@code amr} are the id_token's {@code auth_time}, {@code acr} and {@code amr}), the sign-in form's CSRF token
 * (double submit), and the one way pages leave (strict CSP, no framing, no caching).
 */
@RequestScoped
public class BrowserSession {

    static final String SESSION_COOKIE = "authgate_oidc.";
    static final String CSRF_COOKIE = "authgate_oidc_csrf";
    static final String CSRF_FIELD = "csrf";
    /** A sign-in waiting for its second factor: the mfa_token, never in the page (HttpOnly, 5 minutes as the token). */
    static final String MFA_COOKIE = "authgate_oidc_mfa";
    static final long MFA_COOKIE_SECONDS = 300;
    /**
     * A sign-in gone to an upstream provider from the page: the secret its code and the pending authorization are
     * bound to (never in a URL). SameSite=Lax: the browser comes back from the provider's site by a top-level GET.
     */
    static final String PROVIDER_COOKIE = "authgate_oidc_provider";
    /** As long as the flow at the provider (Federation's 10 minutes). */
    static final long PROVIDER_COOKIE_SECONDS = 600;
    /** Outside dev mode (Secure cookies) the names carry it: Secure, Path=/, no Domain, so no sibling can set them. */
    static final String HOST_PREFIX = "__Host-";

    private final HttpServerRequest request;
    private final OidcConfig config;
    private final TokenIdentityProvider identities;
    private final ClientAddress clients;
    private final SecureRandom random;
    private String newCsrf;

    public BrowserSession(HttpServerRequest request, OidcConfig config, TokenIdentityProvider identities,
            ClientAddress clients, SecureRandom random) {
        this.request = request;
        this.config = config;
        this.identities = identities;
        this.clients = clients;
        this.random = random;
    }

    /** The browser's live sign-in to this group, if any. */
    Optional<TokenPrincipal> signedIn(ApiGroup group) {
        String token = cookie(SESSION_COOKIE + group.name());
        return token == null ? Optional.empty() : identities.verify(token, group);
    }

    /** The sign-in just made, if its token is live (it is: just issued). */
    Optional<TokenPrincipal> of(String token, ApiGroup group) {
        return identities.verify(token, group);
    }

    String address() {
        return clients.addressKey(request);
    }

    // ---------------------------------------------------------------- CSRF

    String csrf() {
        String current = cookie(CSRF_COOKIE);
        if (current != null && current.length() == CsrfToken.LENGTH) {
            return current;
        }
        if (newCsrf == null) {
            newCsrf = CsrfToken.fresh(random);
        }
        return newCsrf;
    }

    /** The form's token against the cookie's (constant time), and no cross-site POST (Sec-Fetch-Site). */
    boolean formIsOurs(String field) {
        return !CsrfToken.crossSite(request.getHeader("Sec-Fetch-Site"))
                && CsrfToken.matches(cookie(CSRF_COOKIE), field);
    }

    // ---------------------------------------------------------------- the way out

    /**
     * A page. Its forms may post here only, and (form-action follows redirects) the sign-in's redirect may go to the
     * client's redirect URI's origin.
     */
    Response page(int status, TemplateInstance page, String redirectOrigin) {
        var r = Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(page.render());
        return secured(r, redirectOrigin).build();
    }

    /** To the client (303: never re-post the form there). */
    Response redirect(String location) {
        return secured(Response.seeOther(URI.create(location)), null).build();
    }

    /** To the client, the browser now signed in to the group. */
    Response signedIn(ApiGroup group, String token, String location) {
        return secured(Response.seeOther(URI.create(location)), null)
                .header("Set-Cookie", cookie(SESSION_COOKIE + group.name(), token, "Lax"))
                .header("Set-Cookie", forgotten(MFA_COOKIE)).build();
    }

    // ---------------------------------------------------------------- a sign-in at an upstream provider

    /** A fresh secret for a provider sign-in started from the page. */
    String providerSecret() {
        return CsrfToken.fresh(random);
    }

    /** The secret of the provider sign-in this browser started, if any. */
    String providerSecretBack() {
        return cookie(PROVIDER_COOKIE);
    }

    /** To the provider: the federation flow's cookie and the page's secret go with the browser. */
    Response toProvider(String location, String flowCookie, String secret) {
        return secured(Response.seeOther(URI.create(location)), null).header("Set-Cookie", flowCookie)
                .header("Set-Cookie", cookie(PROVIDER_COOKIE, secret, "Lax") + "; Max-Age=" + PROVIDER_COOKIE_SECONDS)
                .build();
    }

    /** The answer, the provider sign-in's secret forgotten (it was used, or failed). */
    Response forgettingProvider(Response answer) {
        return Response.fromResponse(answer).header("Set-Cookie", forgotten(PROVIDER_COOKIE)).build();
    }

    // ---------------------------------------------------------------- the later steps (SecondStepResource, consent, end-session)

    /** The mfa_token of the login waiting in this browser for its second factor, if any. */
    String mfaToken() {
        return cookie(MFA_COOKIE);
    }

    /** The second step's page; the login's mfa_token goes with it into an HttpOnly cookie (5 minutes, as the token). */
    Response waitingForFactor(TemplateInstance page, String mfaToken, String redirectOrigin) {
        var r = Response.ok().type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(page.render());
        return secured(r, redirectOrigin).header("Set-Cookie", cookie(MFA_COOKIE, mfaToken, "Strict")
                + "; Max-Age=" + MFA_COOKIE_SECONDS).build();
    }

    /** The answer, the waiting login forgotten (it expired, or was used up). */
    Response forgettingFactor(Response answer) {
        return Response.fromResponse(answer).header("Set-Cookie", forgotten(MFA_COOKIE)).build();
    }

    /** The consent page; a sign-in just made goes with it into the group's cookie. */
    Response consentPage(TemplateInstance page, ApiGroup group, String newToken, String redirectOrigin) {
        var r = secured(Response.ok().type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(page.render()),
                redirectOrigin);
        if (newToken != null) {
            r.header("Set-Cookie", cookie(SESSION_COOKIE + group.name(), newToken, "Lax"))
                    .header("Set-Cookie", forgotten(MFA_COOKIE));
        }
        return r.build();
    }

    /** An answer to the passkey script; a sign-in just made goes with it into the group's cookie. */
    Response json(int status, Object body, String newToken, ApiGroup group) {
        var r = secured(Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body), null);
        if (newToken != null) {
            r.header("Set-Cookie", cookie(SESSION_COOKIE + group.name(), newToken, "Lax"))
                    .header("Set-Cookie", forgotten(MFA_COOKIE));
        }
        return r.build();
    }

    /** The answer, the browser's sign-in to the group forgotten (end-session). */
    Response signedOut(ApiGroup group, Response answer) {
        return Response.fromResponse(answer).header("Set-Cookie", forgotten(SESSION_COOKIE + group.name())).build();
    }

    private String forgotten(String name) {
        return cookie(name, "", "Strict") + "; Max-Age=0";
    }

    private Response.ResponseBuilder secured(Response.ResponseBuilder r, String redirectOrigin) {
        r.header("Content-Security-Policy", "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; "
                + "img-src 'self'; form-action 'self'"
                + (redirectOrigin == null ? "" : " " + redirectOrigin) + "; frame-ancestors 'none'; base-uri 'none'")
                .header("X-Frame-Options", "DENY").header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer").header("Cache-Control", "no-store");
        if (newCsrf != null) {
            r.header("Set-Cookie", cookie(CSRF_COOKIE, newCsrf, "Strict"));
        }
        return r;
    }

    /**
     * HttpOnly; Secure and {@code __Host-} named unless turned off (dev mode). The sign-in is {@code SameSite=Lax}: a
     * relying party sends the browser here with a top-level GET from its own site, and the sign-in must come along.
     * No Max-Age: the token's own expiry bounds it.
     */
    private String cookie(String name, String value, String sameSite) {
        boolean secure = config.secureCookies();
        return named(name) + "=" + value + "; Path=" + (secure ? "/" : "/oidc") + "; HttpOnly; SameSite=" + sameSite
                + (secure ? "; Secure" : "");
    }

    private String named(String name) {
        return config.secureCookies() ? HOST_PREFIX + name : name;
    }

    private String cookie(String name) {
        Cookie c = request.getCookie(named(name));
        return c == null || c.getValue().isEmpty() ? null : c.getValue();
    }
}
