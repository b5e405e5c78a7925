package dev.authgate.oidc;

import java.util.List;
import java.util.Set;

/**
 * A relying party: {@code authgate.oidc.clients.<id>}. The secret is kept only as its SHA-256 digest, compared in
 * constant time ({@link OidcClients#authenticate}).
 *
 * @param secretDigest null for a public client
 */
public record OidcClient(String id, String group, List<String> redirectUris, byte[] secretDigest, Set<String> scopes,
        boolean firstParty, List<String> postLogoutRedirectUris) {

    public boolean confidential() {
        return secretDigest != null;
    }

    /** Exact string comparison (RFC 9700 §4.1.3): no prefix, no other port, no extra path, no normalisation. */
    public boolean redirects(String uri) {
        return uri != null && redirectUris.contains(uri);
    }

    @Override
    public String toString() {
        return "OidcClient[" + id + "]"; // never the secret's digest
    }
}
