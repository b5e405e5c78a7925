package dev.authgate.oidc;

/**
 * Where an authorization request's answer may go: a known client of the group and one of its registered redirect
 * URIs, with the request's {@code state}. Only once this is established is any error redirected.
 */
public record AuthorizationTarget(OidcClient client, String redirectUri, String state) {
}
