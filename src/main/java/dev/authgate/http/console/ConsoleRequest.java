package dev.authgate.http.console;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;

import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;

import dev.authgate.config.AuthgateConfig;
import dev.authgate.failure.Failure;
import dev.authgate.group.ApiGroups;
import dev.authgate.http.CsrfToken;
import dev.authgate.http.ErrorReply;
import dev.authgate.security.ClientAddress;
import dev.authgate.security.TokenIdentityProvider;
import dev.authgate.security.TokenPrincipal;
import dev.authgate.token.TokenService;

/**
 * One console request: its cookies (the session, holding an Authgate token, and the CSRF token), who is signed
 * in, and the one way its pages leave (security headers, cookies). The session is checked like any token, so
 * logout, revocation and a role change end it on every replica.
 */
@RequestScoped
public class ConsoleRequest {

    static final String SESSION_COOKIE = "authgate_console";
    static final String CSRF_COOKIE = "authgate_console_csrf";
    /** A sign-in waiting for its second factor: the mfa_token, never in the page (HttpOnly, 5 minutes as the token). */
    static final String MFA_COOKIE = "authgate_console_mfa";
    static final long MFA_COOKIE_SECONDS = 300;
    /** Outside dev mode (Secure cookies) the cookies' names carry it: Secure, Path=/, no Domain, so no sibling can set them. */
    static final String HOST_PREFIX = "__Host-";
    static final String CSRF_FIELD = "csrf";
    static final String PATH = "/console";

    /** No inline script or style anywhere: htmx and the style sheet come from this origin. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final HttpServerRequest request;
    private final ConsoleConfig config;
    private final ApiGroups groups;
    private final TokenIdentityProvider identities;
    private final ClientAddress clients;
    private final SecureRandom random;
    private final String adminRole;
    private final TokenService tokens;
    private final int adminAal;
    private String newCsrf;

    public ConsoleRequest(HttpServerRequest request, ConsoleConfig config, ApiGroups groups,
            TokenIdentityProvider identities, ClientAddress clients, AuthgateConfig authgate, SecureRandom random,
            TokenService tokens) {
        this.request = request;
        this.config = config;
        this.groups = groups;
        this.identities = identities;
        this.clients = clients;
        this.random = random;
        this.adminRole = authgate.adminRole();
        this.tokens = tokens;
        this.adminAal = authgate.adminAal();
    }

    /** The administrator of this group behind the session cookie: a live token of the group's table with the role. */
    Optional<Admin> admin(String groupName) {
        return admin(groupName, cookie(SESSION_COOKIE));
    }

    /** The same for a token just issued (sign-in). */
    Optional<Admin> admin(String groupName, String token) {
        if (token == null || groupName.indexOf(':') >= 0) {
            return Optional.empty();
        }
        return groups.find(groupName).filter(g -> !g.manages().isEmpty()).flatMap(group -> identities.verify(token, group)
                .filter(p -> adminRole.equals(p.auth().role()) && p.auth().aal() >= adminAal)
                .map(p -> new Admin(group, p.auth(), p.record())));
    }

    /**
     * Why a token just issued does not open this group's console, or null when it does: the records API's rule (the
     * administrator role, and {@code authgate.admin-aal}).
     */
    String refusal(String groupName, String token) {
        if (admin(groupName, token).isPresent()) {
            return null;
        }
        boolean adminOfTooLowAal = sessionOf(token)
                .filter(p -> adminRole.equals(p.auth().role()) && p.auth().aal() < adminAal).isPresent();
        return adminOfTooLowAal
                ? "The console needs a second factor (authgate.admin-aal=" + adminAal + "): add one to this account "
                        + "(auth/mfa/totp or a passkey), then sign in with it."
                : "This account is not an administrator of " + groupName + ".";
    }

    /** The live session behind the cookie, whatever its group: what signing out ends. */
    Optional<TokenPrincipal> session() {
        return sessionOf(cookie(SESSION_COOKIE));
    }

    Optional<TokenPrincipal> sessionOf(String token) {
        return token == null ? Optional.empty() : identities.verify(token, null);
    }

    /** The page of a signed-in administrator; signed out (or ended), the sign-in form; a refusal, its page. */
    Response asAdmin(String group, Function<Admin, Response> page) {
        Optional<Admin> admin = admin(group);
        if (admin.isEmpty()) {
            return redirect(PATH + "/?group=" + URLEncoder.encode(group, StandardCharsets.UTF_8));
        }
        try {
            return page.apply(admin.get());
        } catch (Failure f) {
            return failed(admin.get(), f);
        }
    }

    /** The core's refusal as a page: the API's status and message. */
    Response failed(Admin admin, Failure f) {
        ErrorReply reply = ErrorReply.of(f);
        return html(reply.status(), Pages.error(frame(admin, "Error", null), reply.status(), f.getMessage()));
    }

    Frame frame(Admin admin, String title, String current) {
        return new Frame(title, admin.group().name(), admin.tables(), current, admin.record().email(), csrf());
    }

    String address() {
        return clients.addressKey(request);
    }

    /** The base of the curl commands the workbench shows: this service as the browser reached it. */
    String origin() {
        String host = request.getHeader("Host");
        return request.scheme() + "://" + (host == null ? "localhost" : host);
    }

    // ---------------------------------------------------------------- CSRF

    /**
     * The CSRF token of this browser. Signed in, it is bound to the session: an HMAC of the session's jti under a key
     * derived from the token keys (the same on every replica), so a token seen in one session opens no other. Signed
     * out (the sign-in form), a double-submit token: the cookie's, or a new one that leaves with this response.
     */
    String csrf() {
        Optional<String> bound = sessionCsrf();
        if (bound.isPresent()) {
            return bound.get();
        }
        String current = cookie(CSRF_COOKIE);
        if (current != null && current.length() == CsrfToken.LENGTH) {
            return current;
        }
        if (newCsrf == null) {
            newCsrf = CsrfToken.fresh(random);
        }
        return newCsrf;
    }

    /** Constant time: the form's token against the session's (signed in) or the cookie's (signed out). */
    boolean csrfMatches(String field) {
        return CsrfToken.matches(sessionCsrf().orElseGet(() -> cookie(CSRF_COOKIE)), field);
    }

    private Optional<String> sessionCsrf() {
        return session().map(p -> Base64.getUrlEncoder().withoutPadding()
                .encodeToString(tokens.mac("console-csrf", p.auth().jti().toString())));
    }

    /** A form without this browser's CSRF token: nothing was done. */
    Response refused() {
        return html(403, Pages.expired(csrf()));
    }

    // ---------------------------------------------------------------- the way out

    Response html(int status, TemplateInstance page) {
        var r = Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(page.render());
        return secured(r).build();
    }

    Response redirect(String location) {
        return secured(Response.seeOther(URI.create(location))).build();
    }

    Response signedIn(String location, String token) {
        return secured(Response.seeOther(URI.create(location)))
                .header("Set-Cookie", cookie(SESSION_COOKIE, token, null))
                .header("Set-Cookie", cookie(MFA_COOKIE, "", 0L)).build();
    }

    /** The mfa_token of the sign-in waiting for its second factor in this browser, if any. */
    String mfaToken() {
        return cookie(MFA_COOKIE);
    }

    /** The second step's page; the login's mfa_token goes with it into its cookie. */
    Response waitingForFactor(TemplateInstance page, String mfaToken) {
        var r = Response.ok().type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(page.render());
        return secured(r).header("Set-Cookie", cookie(MFA_COOKIE, mfaToken, MFA_COOKIE_SECONDS)).build();
    }

    /** A page, the waiting sign-in forgotten (it expired, or was used up). */
    Response htmlForgettingFactor(int status, TemplateInstance page) {
        var r = Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(page.render());
        return secured(r).header("Set-Cookie", cookie(MFA_COOKIE, "", 0L)).build();
    }

    /** An answer to the passkey script (the only JSON the console serves). */
    Response json(int status, String body) {
        return secured(Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body)).build();
    }

    /** The passkey script's sign-in: where to go, with the session's cookie. */
    Response signedInJson(String body, String token) {
        return secured(Response.ok().type(MediaType.APPLICATION_JSON_TYPE).entity(body))
                .header("Set-Cookie", cookie(SESSION_COOKIE, token, null))
                .header("Set-Cookie", cookie(MFA_COOKIE, "", 0L)).build();
    }

    Response signedOut(String location) {
        return secured(Response.seeOther(URI.create(location)))
                .header("Set-Cookie", cookie(SESSION_COOKIE, "", 0L)).build();
    }

    private Response.ResponseBuilder secured(Response.ResponseBuilder r) {
        r.header("Content-Security-Policy", CSP).header("X-Frame-Options", "DENY")
                .header("X-Content-Type-Options", "nosniff").header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-store");
        if (newCsrf != null) {
            r.header("Set-Cookie", cookie(CSRF_COOKIE, newCsrf, null));
        }
        return r;
    }

    /**
     * HttpOnly, SameSite=Strict. Secure unless turned off (dev mode), and then named {@code __Host-...} with
     * {@code Path=/} as that prefix demands: a sibling subdomain or a plain-HTTP page cannot plant or overwrite it.
     * Without Secure (dev mode), the console's path only. No Max-Age: the browser forgets it when it closes, and the
     * token's own expiry bounds it anyway.
     */
    private String cookie(String name, String value, Long maxAge) {
        boolean secure = config.secureCookies();
        return named(name) + "=" + value + "; Path=" + (secure ? "/" : PATH) + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "") + (maxAge == null ? "" : "; Max-Age=" + maxAge);
    }

    private String named(String name) {
        return config.secureCookies() ? HOST_PREFIX + name : name;
    }

    private String cookie(String name) {
        Cookie c = request.getCookie(named(name));
        return c == null || c.getValue().isEmpty() ? null : c.getValue();
    }
}
