package dev.authgate.oidc;

/**
 * The token endpoint's answer (RFC 6749 §5.1, OIDC Core §3.1.3.3).
 *
 * @param expiresIn seconds the access token lives
 * @param refreshToken null unless one was issued ({@code offline_access})
 */
public record TokenSet(String accessToken, long expiresIn, String idToken, String scope, String refreshToken) {

    @Override
    public String toString() {
        return "TokenSet[" + scope + "]"; // never the tokens
    }
}
