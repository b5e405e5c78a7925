package dev.authgate.federation;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkus.runtime.Startup;

import dev.authgate.config.AuthgateConfig;

/**
 * The configured providers, checked at start: a mistake stops the start with a message naming the key, never a
 * sign-in that fails later. The providers' own documents (discovery, keys) are fetched when first needed, so a
 * provider that is down does not keep Authgate from starting.
 */
@Singleton
@Startup
public class Providers {

    static final String GOOGLE_ISSUER = "https://accounts.google.com";
    static final List<String> DEFAULT_SCOPES = List.of("openid", "email", "profile");
    static final String GITHUB_URL = "https://github.com";
    static final String GITHUB_API_URL = "https://api.github.com";
    static final List<String> GITHUB_SCOPES = List.of("read:user", "user:email");

    /**
     * One provider as checked. {@code kind} is null for an issuer of its own; for GitHub {@code issuer} is its web
     * address and {@code apiUrl} its REST API's (null for the others).
     */
    public record Definition(String name, ProvidersConfig.Kind kind, String issuer, String clientId,
            Optional<String> clientSecret, List<String> scopes, Set<String> groups, boolean trustMfa, String apiUrl) {
    }

    private final Map<String, Definition> definitions;
    private final List<String> allowlist;

    @Inject
    public Providers(ProvidersConfig config, AuthgateConfig authgate) {
        this(config, authgate.groups().keySet());
    }

    Providers(ProvidersConfig config, Set<String> groups) {
        this.definitions = check(config, groups);
        this.allowlist = List.copyOf(config.redirectAllowlist().orElse(List.of()));
    }

    public Optional<Definition> find(String name) {
        return Optional.ofNullable(definitions.get(name));
    }

    /** The providers offered to an API group, by name (sorted: the sign-in page's buttons in a stable order). */
    public List<String> forGroup(String group) {
        return definitions.values().stream().filter(d -> d.groups().contains(group)).map(Definition::name).sorted()
                .toList();
    }

    /** Exact string comparison: no prefix, pattern or normalization, so no open redirect. */
    public boolean allowed(String redirectUri) {
        return redirectUri != null && allowlist.contains(redirectUri);
    }

    static Map<String, Definition> check(ProvidersConfig config, Set<String> groups) {
        for (String url : config.redirectAllowlist().orElse(List.of())) {
            URI uri = uri(url, "authgate.providers.redirect-allowlist");
            if (!uri.isAbsolute() || uri.getHost() == null || uri.getFragment() != null
                    || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()) && loopback(uri))) {
                throw new IllegalStateException("authgate.providers.redirect-allowlist: " + url + " must be an absolute"
                        + " https URL without fragment (http only on localhost)");
            }
        }
        Map<String, Definition> found = new TreeMap<>();
        config.provider().forEach((name, p) -> {
            String key = "authgate.providers." + name;
            if (!name.matches("[a-z0-9][a-z0-9-]{0,31}")) {
                throw new IllegalStateException(key + ": a provider name is 1-32 of a-z, 0-9 and -");
            }
            if (p.issuer().isPresent() == p.kind().isPresent()) {
                throw new IllegalStateException(key + ".issuer or " + key + ".kind (google, github): exactly one is"
                        + " needed");
            }
            boolean github = p.kind().filter(ProvidersConfig.Kind.GITHUB::equals).isPresent();
            if (!github && (p.githubUrl().isPresent() || p.githubApiUrl().isPresent())) {
                throw new IllegalStateException(key + ".github-url and .github-api-url are for kind=github only");
            }
            String issuer = github ? p.githubUrl().orElse(GITHUB_URL) : p.issuer().orElse(GOOGLE_ISSUER);
            String apiUrl = github ? p.githubApiUrl().orElse(GITHUB_API_URL) : null;
            checkBase(issuer, key + (github ? ".github-url" : ".issuer"));
            if (github) {
                checkBase(apiUrl, key + ".github-api-url");
                if (p.clientSecret().isEmpty()) {
                    throw new IllegalStateException(key + ".client-secret is needed: GitHub's token endpoint wants it");
                }
                if (p.trustMfa()) {
                    throw new IllegalStateException(key + ".trust-mfa: GitHub says nothing of how its user signed in"
                            + " (no amr), so there is nothing to trust");
                }
            }
            if (p.clientId().isBlank()) {
                throw new IllegalStateException(key + ".client-id is empty");
            }
            if (p.clientSecret().isPresent() && p.clientSecret().get().isBlank()) {
                throw new IllegalStateException(key + ".client-secret is empty (leave it unset for a public client)");
            }
            List<String> scopes = p.scopes().orElse(github ? GITHUB_SCOPES : DEFAULT_SCOPES);
            if (!github && !scopes.contains("openid")) {
                throw new IllegalStateException(key + ".scopes must include openid: " + scopes);
            }
            if (p.groups().isEmpty()) {
                throw new IllegalStateException(key + ".groups names no API group");
            }
            for (String g : p.groups()) {
                if (!groups.contains(g)) {
                    throw new IllegalStateException(key + ".groups: " + g + " is no API group; known: "
                            + new java.util.TreeSet<>(groups));
                }
            }
            found.put(name, new Definition(name, p.kind().orElse(null), github ? strip(issuer) : issuer, p.clientId(), p.clientSecret(),
                    List.copyOf(scopes), Set.copyOf(p.groups()), p.trustMfa(), apiUrl == null ? null : strip(apiUrl)));
        });
        return Map.copyOf(found);
    }

    /** An https base URL (http only on localhost) without query or fragment. */
    private static void checkBase(String url, String key) {
        URI uri = uri(url, key);
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getQuery() != null || uri.getFragment() != null
                || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()) && loopback(uri))) {
            throw new IllegalStateException(key + " must be an https URL without query or fragment (http only on"
                    + " localhost): " + url);
        }
    }

    /** A GitHub base without a trailing slash, so paths are appended as {@code /login/oauth/...}; an OpenID issuer is kept as written (compared exactly). */
    private static String strip(String url) {
        String s = url.strip();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static boolean loopback(URI uri) {
        return "localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost()) || "[::1]".equals(uri.getHost());
    }

    private static URI uri(String url, String key) {
        try {
            return new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(key + ": not a URL: " + url);
        }
    }
}
