package dev.authgate.http.oidc;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import dev.authgate.federation.Federation;
import dev.authgate.group.ApiGroup;
import dev.authgate.mail.EmailFlows;
import dev.authgate.mail.Flow;
import dev.authgate.mfa.SignIn;
import dev.authgate.oidc.AuthorizationRequest;
import dev.authgate.oidc.AuthorizationTarget;
import dev.authgate.oidc.Authorizations;
import dev.authgate.oidc.Consents;
import dev.authgate.oidc.OidcFailure;
import dev.authgate.oidc.Scopes;
import dev.authgate.passkey.Passkeys;
import dev.authgate.security.TokenPrincipal;

/**
 * Where a browser goes once a step of the sign-in is done: after the password, the second step when the account has
 * a factor; once signed in, the consent page when a client that is not first-party asks for what it was not granted
 * (or with {@code prompt=consent}); then the code, back at the client. The pages and redirects of every step of
 * {@link AuthorizeResource} and {@link SecondStepResource} end here.
 */
@ApplicationScoped
class SignInFlow {

    /** What each scope lets the client have, as the consent page says it. */
    static final Map<String, String> SCOPE_TEXT = Map.of(Scopes.OPENID, "who you are (your account's identifier)",
            Scopes.EMAIL, "your email address, and whether it is verified", Scopes.PROFILE, "your name",
            Scopes.OFFLINE_ACCESS, "access while you are away (a refresh token)");

    private final BrowserSession browser;
    private final Authorizations authorizations;
    private final Consents consents;
    private final Federation federation;
    private final EmailFlows flows;

    public SignInFlow(BrowserSession browser, Authorizations authorizations, Consents consents,
            Federation federation, EmailFlows flows) {
        this.federation = federation;
        this.flows = flows;
        this.browser = browser;
        this.authorizations = authorizations;
        this.consents = consents;
    }

    /**
     * An authorization request (the authorize endpoint's, or carried by a later step's form) checked, then the step:
     * a client or redirect URI not to be trusted is an error page, never a redirect; any other error goes back to the
     * client with {@code state} and {@code iss}.
     */
    Response checked(ApiGroup group, String issuer, String query, Function<AuthorizationRequest, Response> step) {
        Map<String, List<String>> params = AuthorizeResource.params(query);
        AuthorizationTarget target;
        try {
            target = authorizations.target(group.name(), params);
        } catch (OidcFailure f) {
            return browser.page(400, OidcPages.error(400, f.getMessage()), null);
        }
        try {
            return step.apply(authorizations.parse(target, params));
        } catch (OidcFailure f) {
            return browser.redirect(OidcErrors.redirect(target.redirectUri(), f, target.state(), issuer));
        }
    }

    /** The sign-in page (again, with a message when {@code error} is set), with a button per provider of the group. */
    Response signInPage(int status, ApiGroup group, String query, AuthorizationRequest request, String email,
            String error) {
        return browser.page(status, OidcPages.signin(browser.csrf(), group.name(), request.client().id(), query,
                URLEncoder.encode(query, StandardCharsets.UTF_8), federation.offeredTo(group),
                flows.isOn(group.table(), Flow.MAGIC_LINK), email, error),
                AuthorizeResource.origin(request.redirectUri()));
    }

    /** After the password (or a mailed link): the second step's page, or signed in. */
    Response afterFirstFactor(ApiGroup group, String issuer, String query, AuthorizationRequest request, SignIn signIn) {
        if (signIn instanceof SignIn.SecondFactor waiting) {
            boolean passkey = waiting.factors().stream().anyMatch(f -> Passkeys.TYPE.equals(f.type()));
            boolean code = waiting.factors().stream().anyMatch(f -> !Passkeys.TYPE.equals(f.type()));
            return browser.waitingForFactor(OidcPages.factor(browser.csrf(), group.name(), request.client().id(), query,
                    code, passkey, null), waiting.mfaToken(), AuthorizeResource.origin(request.redirectUri()));
        }
        return signedIn(group, issuer, query, request, ((SignIn.Token) signIn).authToken());
    }

    /** A sign-in just made (its token goes into the browser's cookie): on to consent or the client. */
    Response signedIn(ApiGroup group, String issuer, String query, AuthorizationRequest request, String token) {
        return toClient(group, issuer, query, request, principal(group, token), token);
    }

    /**
     * The browser is signed in: the consent page if it is needed, else the code. {@code prompt=none} that needs
     * consent is {@code consent_required} (thrown: the caller redirects it to the client).
     *
     * @param newToken the sign-in just made, to be set in the cookie; null when the browser already carries it
     */
    Response toClient(ApiGroup group, String issuer, String query, AuthorizationRequest request, TokenPrincipal session,
            String newToken) {
        if (needsConsent(group, request, session)) {
            if (request.prompt().contains(AuthorizationRequest.NONE)) {
                throw OidcFailure.of(OidcFailure.Error.CONSENT_REQUIRED, "The account has not allowed this client.");
            }
            return browser.consentPage(consentPage(group, query, request, session), group, newToken,
                    AuthorizeResource.origin(request.redirectUri()));
        }
        String location = codeRedirect(issuer, request, authorizations.grant(request, session.auth()));
        return newToken == null ? browser.redirect(location) : browser.signedIn(group, newToken, location);
    }

    /** For the passkey script: where the browser goes next (the consent page, or the client with its code). */
    String next(ApiGroup group, String issuer, String query, AuthorizationRequest request, String token) {
        TokenPrincipal session = principal(group, token);
        if (needsConsent(group, request, session)) {
            return Issuers.PATH + group.name() + "/consent?" + query;
        }
        return codeRedirect(issuer, request, authorizations.grant(request, session.auth()));
    }

    /** The consent page's answer: remembered and on to the client, or {@code access_denied} for it. */
    Response consented(ApiGroup group, String issuer, AuthorizationRequest request, TokenPrincipal session,
            boolean allow) {
        if (!allow) {
            return browser.redirect(OidcErrors.redirect(request.redirectUri(), OidcFailure.of(
                    OidcFailure.Error.ACCESS_DENIED, "The person did not allow this client."), request.state(), issuer));
        }
        consents.grant(group.table(), session.auth().id(), request.client().id(), request.scopes());
        return browser.redirect(codeRedirect(issuer, request, authorizations.grant(request, session.auth())));
    }

    io.quarkus.qute.TemplateInstance consentPage(ApiGroup group, String query, AuthorizationRequest request,
            TokenPrincipal session) {
        List<String> scopes = request.scopes().stream().map(s -> SCOPE_TEXT.getOrDefault(s, s)).toList();
        return OidcPages.consent(browser.csrf(), group.name(), request.client().id(), query, session.record().email(),
                scopes);
    }

    private boolean needsConsent(ApiGroup group, AuthorizationRequest request, TokenPrincipal session) {
        return !request.client().firstParty() && (request.prompt().contains(AuthorizationRequest.CONSENT)
                || !consents.covers(group.table(), session.auth().id(), request.client().id(), request.scopes()));
    }

    private TokenPrincipal principal(ApiGroup group, String token) {
        return browser.of(token, group).orElseThrow(() -> new IllegalStateException("a token just issued is not live"));
    }

    /** RFC 6749 §4.1.2 with RFC 9207's {@code iss}. */
    static String codeRedirect(String issuer, AuthorizationRequest request, String code) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("code", code);
        params.put("state", request.state());
        params.put("iss", issuer);
        return OidcErrors.redirect(request.redirectUri(), params);
    }
}
