package dev.authgate.oidc;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code authgate.oidc.*}: Authgate as an OpenID Provider (docs/oidc.md). Checked at start by {@link OidcClients}
 * and {@link SigningKeys}; every message names the key.
 */
@ConfigMapping(prefix = "authgate.oidc")
public interface OidcConfig {

    /**
     * The base of every group's issuer ({@code {base-url}/oidc/{G}}), e.g. {@code https://auth.example.com}. Unset:
     * {@code authgate.public-url}, else the request's scheme and Host (dev and tests only: an issuer must not move).
     */
    Optional<String> baseUrl();

    /** A JWK Set (EC P-256 for ES256, RSA for RS256, each with its private part): the first signs, all are published. */
    Optional<String> signingKeys();

    /** How long an access token (its session) and an id_token live. */
    @WithDefault("PT10M")
    Duration accessTokenLifetime();

    /** How long an authorization code may be exchanged (RFC 6749 §4.1.2 recommends at most 10 minutes). */
    @WithDefault("PT60S")
    Duration codeLifetime();

    /**
     * The sign-in page's cookies are {@code Secure} (and {@code __Host-} named): sent over HTTPS only. Off in dev
     * mode, which serves plain HTTP.
     */
    @WithDefault("true")
    boolean secureCookies();

    /** Per client id: {@code authgate.oidc.clients.<id>.*}. */
    Map<String, Client> clients();

    interface Client {
        /** Exact redirect URIs (compared as strings, RFC 9700 §4.1.3). */
        List<String> redirectUris();

        /** Absent: a public client (PKCE S256 required). */
        Optional<String> secret();

        /** The API group whose accounts sign in: the issuer is {@code {base-url}/oidc/{group}}. */
        String group();

        /** The scopes the client may ask for; default {@code openid email profile}. */
        Optional<List<String>> scopes();

        /** An application of the same operator: no consent screen. */
        @WithDefault("false")
        boolean firstParty();

        /** Exact URIs {@code end-session} may send the browser back to. */
        Optional<List<String>> postLogoutRedirectUris();
    }
}
