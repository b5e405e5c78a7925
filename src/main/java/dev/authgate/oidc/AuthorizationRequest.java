package dev.authgate.oidc;

import java.util.Set;

/**
 * An authorization request that passed every check ({@link Authorizations#parse}).
 *
 * @param prompt a subset of {@code none}, {@code login}, {@code consent}, {@code select_account}
 * @param maxAge seconds, or null when not asked
 */
public record AuthorizationRequest(OidcClient client, String redirectUri, Set<String> scopes, String state,
        String nonce, String codeChallenge, Set<String> prompt, Long maxAge, String loginHint) {

    public static final String NONE = "none";
    public static final String LOGIN = "login";
    public static final String CONSENT = "consent";
    public static final String SELECT_ACCOUNT = "select_account";

    public String scope() {
        return Scopes.format(scopes);
    }
}
