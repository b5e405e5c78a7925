package dev.authgate.oidc;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkus.runtime.Startup;

import dev.authgate.group.ApiGroups;

/**
 * The configured relying parties, checked at start (a wrong setting stops the start with a message naming its key),
 * and the one check of a client's secret.
 */
@Startup
@Singleton
public class OidcClients {

    /** What a client may ask for; {@code offline_access} asks for a refresh token. */
    public static final Set<String> SUPPORTED_SCOPES = Set.of(Scopes.OPENID, Scopes.EMAIL, Scopes.PROFILE,
            Scopes.OFFLINE_ACCESS);
    static final List<String> DEFAULT_SCOPES = List.of(Scopes.OPENID, Scopes.EMAIL, Scopes.PROFILE);

    private final Map<String, OidcClient> clients;
    /** Compared against when the client is unknown: the same work either way. */
    private final byte[] decoy = sha256("decoy-" + System.nanoTime());

    @Inject
    public OidcClients(OidcConfig config, ApiGroups groups) {
        this(config.clients(), name -> groups.find(name).isPresent());
    }

    OidcClients(Map<String, OidcConfig.Client> configured, Predicate<String> groupExists) {
        Map<String, OidcClient> all = new LinkedHashMap<>();
        configured.forEach((id, c) -> all.put(id, checked(id, c, groupExists)));
        this.clients = Map.copyOf(all);
    }

    private static OidcClient checked(String id, OidcConfig.Client c, Predicate<String> groupExists) {
        String key = "authgate.oidc.clients." + id;
        if (!id.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new IllegalStateException(key + ": a client id is 1-100 of A-Z, a-z, 0-9, '.', '_' and '-'");
        }
        String group = c.group().strip();
        if (group.indexOf(':') >= 0 || !groupExists.test(group)) {
            throw new IllegalStateException(key + ".group: no API group is named '" + group + "'");
        }
        if (c.redirectUris().isEmpty()) {
            throw new IllegalStateException(key + ".redirect-uris: at least one is needed");
        }
        c.redirectUris().forEach(uri -> absolute(key + ".redirect-uris", uri));
        c.postLogoutRedirectUris().orElse(List.of()).forEach(uri -> absolute(key + ".post-logout-redirect-uris", uri));
        Set<String> scopes = new LinkedHashSet<>(c.scopes().orElse(DEFAULT_SCOPES));
        scopes.add(Scopes.OPENID);
        for (String scope : scopes) {
            if (!SUPPORTED_SCOPES.contains(scope)) {
                throw new IllegalStateException(key + ".scopes: '" + scope + "' is not one of " + SUPPORTED_SCOPES);
            }
        }
        Optional<String> secret = c.secret().map(String::strip).filter(s -> !s.isEmpty());
        if (secret.isPresent() && secret.get().length() < 16) {
            throw new IllegalStateException(key + ".secret: at least 16 characters (e.g. openssl rand -base64 32)");
        }
        return new OidcClient(id, group, List.copyOf(c.redirectUris()), secret.map(OidcClients::sha256).orElse(null),
                Set.copyOf(scopes), c.firstParty(), List.copyOf(c.postLogoutRedirectUris().orElse(List.of())));
    }

    /** An absolute URI without a fragment (OAuth 2.0 §3.1.2). */
    private static void absolute(String key, String uri) {
        try {
            URI parsed = new URI(uri);
            if (parsed.getScheme() != null && parsed.getRawFragment() == null && uri.equals(uri.strip())) {
                return;
            }
        } catch (URISyntaxException e) {
            // the message below
        }
        throw new IllegalStateException(key + ": '" + uri + "' is not an absolute URI without a fragment");
    }

    public Optional<OidcClient> find(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(clients.get(id));
    }

    public boolean any() {
        return !clients.isEmpty();
    }

    /**
     * The client these credentials prove, of this group. A confidential client must present its secret; a public
     * client presents its id alone and must not present a secret. Constant time over the secret: equal-length
     * digests, every candidate compared, the same work for an unknown id.
     *
     * @param secrets the secret as it may be meant (Basic's form-encoded reading and the raw one), empty when none
     */
    public OidcClient authenticate(String group, String id, List<String> secrets) {
        OidcClient client = find(id).orElse(null);
        byte[] expected = client == null || client.secretDigest() == null ? decoy : client.secretDigest();
        boolean match = false;
        for (String secret : secrets) {
            match |= MessageDigest.isEqual(expected, sha256(secret));
        }
        boolean proved = client != null && (client.confidential() ? match : secrets.isEmpty());
        if (!proved || !client.group().equals(group)) {
            throw OidcFailure.of(OidcFailure.Error.INVALID_CLIENT, "Client authentication failed.");
        }
        return client;
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
