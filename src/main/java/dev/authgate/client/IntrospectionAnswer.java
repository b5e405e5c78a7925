package dev.authgate.client;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

import dev.authgate.token.Auth;

/**
 * The RFC 7662 answer. {@code exp} is absent for tokens that never expire. {@code scope} carries the token's role
 * (when it is one word): quarkus-oidc and other RFC 7662 consumers take the roles of an opaque token from
 * {@code scope} and nothing else. {@code client_id} names the service client that issued the token, when one did.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IntrospectionAnswer(boolean active, String sub, Long exp, Long iat, UUID jti,
        @JsonProperty("token_type") String tokenType, String scope, @JsonProperty("client_id") String clientId,
        Claims authgate) {

    static final String TOKEN_TYPE = "authgate";
    static final IntrospectionAnswer INACTIVE = new IntrospectionAnswer(false, null, null, null, null, null, null, null,
            null);

    /** Authgate's own claims ($auth), namespaced as RFC 7662 §2.2 allows. */
    @RegisterForReflection
    public record Claims(long id, String dbtable, Map<String, Object> extras, int aal, List<String> amr) {
    }

    static IntrospectionAnswer of(Auth auth) {
        String role = auth.role();
        String scope = role != null && role.matches("\\S+") ? role : null;
        return new IntrospectionAnswer(true, Long.toString(auth.id()), auth.expires() ? auth.exp() : null, auth.iat(),
                auth.jti(), TOKEN_TYPE, scope, auth.clientId(), new Claims(auth.id(), auth.dbtable(), auth.extras(),
                auth.aal(), auth.amr()));
    }
}
