package dev.authgate.http.oidc;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.inject.Singleton;

import io.vertx.core.http.HttpServerRequest;

import dev.authgate.client.ClientCredentials;
import dev.authgate.config.AuthgateConfig;
import dev.authgate.group.ApiGroup;
import dev.authgate.oidc.OidcClient;
import dev.authgate.oidc.OidcClients;
import dev.authgate.oidc.OidcFailure;
import dev.authgate.oidc.OidcFailure.Error;
import dev.authgate.security.ClientAddress;
import dev.authgate.throttle.Throttle;
import dev.authgate.throttle.ThrottleKey;

/**
 * How a relying party authenticates at the back-channel endpoints (token, and whatever else takes a client's
 * credentials): one method (RFC 6749 §2.3), HTTP Basic ({@code client_secret_basic}; a {@code client_id} in the body
 * may repeat its id), or the body's {@code client_id} with ({@code client_secret_post}) or without (a public client)
 * {@code client_secret}. Anything else is {@code invalid_client}. Failures count against the client id and the
 * address, with the service clients' limits ({@code authgate.throttle.clients.*}): past either, 429 even with the
 * right secret.
 */
@Singleton
public class ClientAuthentication {

    private static final String BASIC = "basic ";

    private final OidcClients clients;
    private final Throttle throttle;
    private final ClientAddress addresses;
    private final HttpServerRequest request;
    private final AuthgateConfig.Throttle.Clients limits;

    public ClientAuthentication(OidcClients clients, Throttle throttle, ClientAddress addresses,
            HttpServerRequest request, AuthgateConfig settings) {
        this.clients = clients;
        this.throttle = throttle;
        this.addresses = addresses;
        this.request = request;
        this.limits = settings.throttle().clients();
    }

    /**
     * @param authorization the Authorization header, or null
     * @param clientId the body's {@code client_id}, null when absent or empty
     * @param clientSecret the body's {@code client_secret}, null when absent or empty
     */
    public OidcClient authenticate(ApiGroup group, String authorization, String clientId, String clientSecret) {
        boolean basic = authorization != null
                && authorization.strip().regionMatches(true, 0, BASIC, 0, BASIC.length());
        if (basic) {
            Optional<ClientCredentials> credentials = ClientCredentials.of(authorization, null, null);
            String id = credentials.map(ClientCredentials::id).orElse(null);
            if (credentials.isEmpty() || clientSecret != null || (clientId != null && !clientId.equals(id))) {
                return counted(id, () -> {
                    throw OidcFailure.of(Error.INVALID_CLIENT, "Client authentication failed.");
                });
            }
            return counted(id, () -> clients.authenticate(group.name(), id, credentials.get().secrets()));
        }
        return counted(clientId, () -> {
            if (clientId == null) {
                throw OidcFailure.of(Error.INVALID_CLIENT, "Client authentication failed.");
            }
            return clients.authenticate(group.name(), clientId,
                    clientSecret == null ? List.of() : List.of(clientSecret));
        });
    }

    /** Refused past a limit before anything is tried; a failure counts against the id (when readable) and address. */
    private OidcClient counted(String id, Supplier<OidcClient> attempt) {
        var perAddress = new Throttle.Limit(ThrottleKey.clientAddress(addresses.addressKey(request)),
                limits.maxFailuresPerAddress());
        List<Throttle.Limit> counters = id == null || id.isEmpty() || id.length() > ClientCredentials.MAX_ID
                ? List.of(perAddress)
                : List.of(new Throttle.Limit(ThrottleKey.oidcClient(id), limits.maxFailures()), perAddress);
        counters.forEach(throttle::check);
        try {
            return attempt.get();
        } catch (OidcFailure failed) {
            counters.forEach(throttle::record);
            throw failed;
        }
    }
}
