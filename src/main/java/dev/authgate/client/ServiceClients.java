package dev.authgate.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import jakarta.inject.Singleton;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.quarkus.runtime.Startup;

import io.vertx.core.http.HttpServerRequest;

import dev.authgate.throttle.Throttle;
import dev.authgate.throttle.ThrottleKey;
import dev.authgate.config.AuthgateConfig;
import dev.authgate.failure.Failure;
import dev.authgate.group.ApiGroup;
import dev.authgate.group.ApiGroups;
import dev.authgate.security.ClientAddress;

/**
 * The clients of {@code authgate.clients.*}, checked at start (a short secret, an unknown group or scope stops the
 * service with a message naming the key), and the authentication of a client's request.
 */
@Startup
@Singleton
public class ServiceClients {

    static final int MIN_SECRET = 32;
    /** Compared with when the id is unknown, so an unknown id costs the same work as a wrong secret. */
    private final byte[] decoy;

    private final Map<String, ServiceClient> clients = new TreeMap<>();
    /**
     * Throttle keys found under their limits within the last second, so a busy client's successful calls do not
     * each count rows in PostgreSQL. A failure drops its keys first, so failed attempts (and a right secret after
     * them) are always checked against the database.
     */
    private final Cache<ThrottleKey, Boolean> clear = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofSeconds(1)).build();
    private final Throttle throttle;
    private final AuthgateConfig.Throttle.Clients limits;
    private final ClientAddress addresses;
    private final ClientMetrics metrics;

    public ServiceClients(ClientsConfig config, AuthgateConfig settings, ApiGroups groups, Throttle throttle,
            ClientAddress addresses, ClientMetrics metrics, SecureRandom random) {
        this.decoy = sha256(Long.toHexString(random.nextLong()) + "-no-client");
        this.throttle = throttle;
        this.addresses = addresses;
        this.limits = settings.throttle().clients();
        this.metrics = metrics;
        config.clients().forEach((id, c) -> clients.put(id, load(id, c, groups)));
    }

    private static ServiceClient load(String id, ClientsConfig.Client c, ApiGroups groups) {
        String key = "authgate.clients." + id;
        if (!id.matches("[A-Za-z0-9_-]{1," + ClientCredentials.MAX_ID + "}")) {
            throw new IllegalStateException(key + ": client ids are letters, digits, _ and - (at most "
                    + ClientCredentials.MAX_ID + ")");
        }
        if (c.secret().codePointCount(0, c.secret().length()) < MIN_SECRET) {
            throw new IllegalStateException(key + ".secret must be at least " + MIN_SECRET
                    + " characters; make one with: openssl rand -hex 32");
        }
        Set<String> tables = new LinkedHashSet<>();
        for (String group : c.groups()) {
            var found = group.contains(":") ? Optional.<ApiGroup>empty() : groups.find(group);
            tables.add(found.orElseThrow(() -> new IllegalStateException(
                    key + ".groups: " + group + " is not a configured API group (authgate.groups.*)")).table().name());
        }
        for (String scope : c.scopes()) {
            if (!ServiceClient.SCOPES.contains(scope)) {
                throw new IllegalStateException(key + ".scopes: unknown scope " + scope + "; known: "
                        + new java.util.TreeSet<>(ServiceClient.SCOPES));
            }
        }
        return new ServiceClient(id, sha256(c.secret()), Set.copyOf(c.groups()), Set.copyOf(tables),
                Set.copyOf(c.scopes()), c.maxExpiration().toSeconds());
    }

    /** The client of a request whose credentials are in its Authorization header or its form fields. */
    public ServiceClient authenticate(HttpServerRequest request, String clientId, String clientSecret, String endpoint,
            String scope) {
        return authenticate(ClientCredentials.of(request.getHeader("Authorization"), clientId, clientSecret),
                addresses.addressKey(request), endpoint, scope);
    }

    /**
     * The client a request authenticates as, allowed {@code scope}; every outcome is counted for {@code endpoint}.
     * Failures count against the client id and the address (429 past either limit, even with the right secret; a
     * key found under its limit is trusted for a second on success).
     *
     * @throws Failure client unauthenticated (401 with a Basic challenge) for no or wrong credentials
     * @throws Failure too many attempts when throttled, denied without the scope
     */
    ServiceClient authenticate(Optional<ClientCredentials> presented, String address, String endpoint,
            String scope) {
        String id = presented.map(ClientCredentials::id).filter(i -> i.length() <= ClientCredentials.MAX_ID).orElse("");
        var perAddress = new Throttle.Limit(ThrottleKey.clientAddress(address), limits.maxFailuresPerAddress());
        // no readable id: nothing to count against but the address
        List<Throttle.Limit> counted = id.isEmpty() ? List.of(perAddress)
                : List.of(new Throttle.Limit(ThrottleKey.client(id), limits.maxFailures()), perAddress);
        ServiceClient known = clients.get(id);
        String tag = known == null ? ClientMetrics.UNKNOWN : id;
        boolean match = matches(known, presented);
        if (!match) {
            counted.forEach(l -> clear.invalidate(l.key()));
        }
        List<Throttle.Limit> unchecked = match
                ? counted.stream().filter(l -> clear.getIfPresent(l.key()) == null).toList() : counted;
        try {
            unchecked.forEach(throttle::check);
        } catch (Failure tooMany) {
            metrics.call(tag, endpoint, ClientMetrics.THROTTLED);
            throw tooMany;
        }
        if (!match) {
            counted.forEach(throttle::record);
            metrics.call(tag, endpoint, ClientMetrics.UNAUTHENTICATED);
            throw Failure.clientUnauthenticated();
        }
        counted.forEach(l -> clear.put(l.key(), Boolean.TRUE));
        if (!known.may(scope)) {
            metrics.call(tag, endpoint, ClientMetrics.FORBIDDEN);
            throw Failure.denied("This client lacks the scope " + scope + ".");
        }
        return known;
    }

    /** Constant time: equal-length digests, every candidate compared, the same work for an unknown id. */
    private boolean matches(ServiceClient known, Optional<ClientCredentials> presented) {
        byte[] expected = known == null ? decoy : known.digest();
        boolean match = false;
        for (String secret : presented.map(ClientCredentials::secrets).orElse(List.of("", ""))) {
            match |= MessageDigest.isEqual(expected, sha256(secret));
        }
        return match && known != null;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
