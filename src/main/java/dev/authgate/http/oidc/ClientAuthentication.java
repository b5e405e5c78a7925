package dev.authgate.http.oidc;

import java.util.List;
import java.util.Optional;

import jakarta.inject.Singleton;

import dev.authgate.client.ClientCredentials;
import dev.authgate.group.ApiGroup;
import dev.authgate.oidc.OidcClient;
import dev.authgate.oidc.OidcClients;
import dev.authgate.oidc.OidcFailure;
import dev.authgate.oidc.OidcFailure.Error;

/**
 * How a relying party authenticates at the back-channel endpoints (token, and whatever else takes a client's
 * credentials): one method (RFC 6749 §2.3), HTTP Basic ({@code client_secret_basic}; a {@code client_id} in the body
 * may repeat its id), or the body's {@code client_id} with ({@code client_secret_post}) or without (a public client)
 * {@code client_secret}. Anything else is {@code invalid_client}.
 */
@Singleton
public class ClientAuthentication {

    private static final String BASIC = "basic ";

    private final OidcClients clients;

    public ClientAuthentication(OidcClients clients) {
        this.clients = clients;
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
            if (credentials.isEmpty() || clientSecret != null
                    || (clientId != null && !clientId.equals(credentials.get().id()))) {
                throw OidcFailure.of(Error.INVALID_CLIENT, "Client authentication failed.");
            }
            return clients.authenticate(group.name(), credentials.get().id(), credentials.get().secrets());
        }
        if (clientId == null) {
            throw OidcFailure.of(Error.INVALID_CLIENT, "Client authentication failed.");
        }
        return clients.authenticate(group.name(), clientId, clientSecret == null ? List.of() : List.of(clientSecret));
    }
}
