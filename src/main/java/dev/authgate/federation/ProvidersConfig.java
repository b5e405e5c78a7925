package dev.authgate.federation;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

/**
 * {@code authgate.providers.*}: the upstream identity providers people may sign in with, and the app URLs a sign-in
 * may end on. Checked at start by {@link Providers}; every message names the key.
 */
@ConfigMapping(prefix = "authgate.providers")
public interface ProvidersConfig {

    /** Exact URLs (compared as strings) an app may pass as {@code redirect_uri}; nothing else is ever redirected to. */
    Optional<List<String>> redirectAllowlist();

    /** Whether the flow's cookie is {@code Secure}; off only for plain-HTTP development. */
    @WithDefault("true")
    boolean secureCookie();

    /** Per provider name: {@code authgate.providers.<p>.*}. */
    @WithParentName
    Map<String, Provider> provider();

    interface Provider {
        /** An OpenID Connect issuer; its {@code /.well-known/openid-configuration} says the rest. */
        Optional<String> issuer();

        /** A preset instead of an issuer: {@code google} or {@code github}. */
        Optional<Kind> kind();

        /** {@code kind=github}: GitHub's web address (authorize, access_token); a GitHub Enterprise Server's, or a test's. */
        Optional<String> githubUrl();

        /** {@code kind=github}: GitHub's REST API ({@code /user}, {@code /user/emails}). */
        Optional<String> githubApiUrl();

        String clientId();

        /** Absent: a public client (PKCE only). */
        Optional<String> clientSecret();

        /** Default {@code openid email profile}; for GitHub {@code read:user user:email}. */
        Optional<List<String>> scopes();

        /** The API groups that offer this provider. */
        List<String> groups();

        /**
         * Whether the provider's {@code amr} saying it did MFA stands for the account's second factor (read in
         * {@code Federation#didMfa}).
         */
        @WithDefault("false")
        boolean trustMfa();
    }

    enum Kind {
        GOOGLE, GITHUB
    }
}
