package dev.authgate.oidc;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;

import dev.authgate.oidc.OidcFailure.Error;
import dev.authgate.token.Auth;

/**
 * The authorization endpoint's decisions (OIDC Core §3.1.2), HTTP aside: is the client and its redirect URI to be
 * trusted ({@link #target}), is the request well formed ({@link #parse}), must the browser sign in
 * ({@link #needsSignIn}), and the code for a signed-in browser ({@link #grant}).
 */
@Singleton
public class Authorizations {

    /** RFC 7636 §4.2: BASE64URL(SHA-256) is 43 characters. */
    private static final Pattern S256_CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Set<String> PROMPTS = Set.of(AuthorizationRequest.NONE, AuthorizationRequest.LOGIN,
            AuthorizationRequest.CONSENT, AuthorizationRequest.SELECT_ACCOUNT);
    private static final int MAX_PARAM = 2048;

    private final OidcClients clients;
    private final AuthorizationCodes codes;

    public Authorizations(OidcClients clients, AuthorizationCodes codes) {
        this.clients = clients;
        this.codes = codes;
    }

    /**
     * The client and redirect URI, or an error that must be shown, never redirected: an unknown client, another
     * group's, a redirect URI that is missing, repeated or not one of the client's (compared exactly).
     */
    public AuthorizationTarget target(String group, Map<String, List<String>> params) {
        String clientId = single(params, "client_id");
        OidcClient client = clients.find(clientId).filter(c -> c.group().equals(group)).orElseThrow(
                () -> OidcFailure.untrusted("Unknown client_id: this application is not registered with " + group
                        + "."));
        String redirectUri = single(params, "redirect_uri");
        if (!client.redirects(redirectUri)) {
            throw OidcFailure.untrusted("The redirect_uri is not one registered for " + client.id()
                    + " (it must match exactly).");
        }
        List<String> state = params.getOrDefault("state", List.of());
        // a repeated state is parse's invalid_request, answered without one
        return new AuthorizationTarget(client, redirectUri, state.size() == 1 && !state.get(0).isEmpty()
                ? state.get(0) : null);
    }

    /** The whole request, checked; an error here is redirected to the target. */
    public AuthorizationRequest parse(AuthorizationTarget target, Map<String, List<String>> params) {
        for (var e : params.entrySet()) {
            if (e.getValue().size() > 1) {
                throw invalid("The parameter " + e.getKey() + " is repeated.");
            }
            if (e.getValue().get(0).length() > MAX_PARAM) {
                throw invalid("The parameter " + e.getKey() + " is too long.");
            }
        }
        if (params.containsKey("request")) {
            throw OidcFailure.of(Error.REQUEST_NOT_SUPPORTED, "Request objects are not supported.");
        }
        if (params.containsKey("request_uri")) {
            throw OidcFailure.of(Error.REQUEST_URI_NOT_SUPPORTED, "request_uri is not supported.");
        }
        String responseType = single(params, "response_type");
        if (responseType == null) {
            throw invalid("response_type is missing.");
        }
        if (!responseType.equals("code")) {
            throw OidcFailure.of(Error.UNSUPPORTED_RESPONSE_TYPE, "Only response_type=code is supported.");
        }
        String responseMode = single(params, "response_mode");
        if (responseMode != null && !responseMode.equals("query")) {
            throw invalid("Only response_mode=query is supported.");
        }
        OidcClient client = target.client();
        Set<String> scopes = Scopes.parse(single(params, "scope"));
        if (!scopes.contains(Scopes.OPENID)) {
            throw OidcFailure.of(Error.INVALID_SCOPE, "The scope must include openid.");
        }
        for (String scope : scopes) {
            if (!client.scopes().contains(scope)) {
                throw OidcFailure.of(Error.INVALID_SCOPE, "The scope " + scope + " is not allowed for this client.");
            }
        }
        String challenge = pkce(client, single(params, "code_challenge"), single(params, "code_challenge_method"));
        Set<String> prompt = Scopes.parse(single(params, "prompt"));
        if (!PROMPTS.containsAll(prompt) || (prompt.contains(AuthorizationRequest.NONE) && prompt.size() > 1)) {
            throw invalid("prompt is none alone, or any of login, consent and select_account.");
        }
        return new AuthorizationRequest(client, target.redirectUri(), scopes, target.state(), single(params, "nonce"),
                challenge, new LinkedHashSet<>(prompt), maxAge(single(params, "max_age")),
                single(params, "login_hint"));
    }

    /**
     * PKCE (RFC 7636): S256 only ({@code plain} gives nothing over no PKCE against a stolen code, RFC 9700 §2.1.1),
     * required of public clients, accepted from confidential ones.
     */
    private static String pkce(OidcClient client, String challenge, String method) {
        if (challenge == null) {
            if (method != null) {
                throw invalid("code_challenge_method without code_challenge.");
            }
            if (!client.confidential()) {
                throw invalid("PKCE is required: send code_challenge with code_challenge_method=S256.");
            }
            return null;
        }
        if (!"S256".equals(method)) {
            throw invalid("code_challenge_method must be S256 (plain is refused).");
        }
        if (!S256_CHALLENGE.matcher(challenge).matches()) {
            throw invalid("code_challenge is not a BASE64URL-encoded SHA-256 (43 characters).");
        }
        return challenge;
    }

    private static Long maxAge(String value) {
        if (value == null) {
            return null;
        }
        try {
            long seconds = Long.parseLong(value);
            if (seconds >= 0) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw invalid("max_age is a number of seconds.");
    }

    /**
     * Whether the browser must sign in (again) before a code is issued: no session, {@code prompt=login}, or a
     * sign-in older than {@code max_age}. With {@code prompt=none} that is {@code login_required}.
     *
     * @param session the browser's live session, or null
     * @param now epoch seconds
     */
    public boolean needsSignIn(AuthorizationRequest request, Auth session, long now) {
        boolean needed = session == null || request.prompt().contains(AuthorizationRequest.LOGIN)
                || (request.maxAge() != null && now - session.iat() > request.maxAge());
        if (needed && request.prompt().contains(AuthorizationRequest.NONE)) {
            throw OidcFailure.of(Error.LOGIN_REQUIRED, session == null ? "The browser is not signed in."
                    : "The sign-in is older than max_age.");
        }
        return needed;
    }

    /** The code for the browser's session: its account, {@code auth_time} (the session's iat) and assurance. */
    public String grant(AuthorizationRequest request, Auth session) {
        return codes.issue(new AuthorizationCodes.Grant(request.client().id(), request.client().group(),
                session.dbtable(), session.id(), request.redirectUri(), request.scope(), request.nonce(),
                request.codeChallenge(), session.iat(), session.assurance()));
    }

    private static OidcFailure invalid(String description) {
        return OidcFailure.of(Error.INVALID_REQUEST, description);
    }

    /** The one value of a parameter; null when absent or empty (OAuth 2.0 §3.1: empty is omitted). */
    static String single(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        if (values == null || values.isEmpty() || values.get(0).isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw name.equals("client_id") || name.equals("redirect_uri")
                    ? OidcFailure.untrusted("The parameter " + name + " is repeated.")
                    : invalid("The parameter " + name + " is repeated.");
        }
        return values.get(0);
    }
}
