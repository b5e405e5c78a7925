package dev.authgate.client;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * RFC 8414 authorization server metadata. Authgate has no authorization or token endpoint, so it supports no
 * response or grant types: the lists say so instead of leaving RFC 8414's defaults to be assumed.
 */
@RegisterForReflection
public record ServerMetadata(String issuer,
        @JsonProperty("introspection_endpoint") String introspectionEndpoint,
        @JsonProperty("introspection_endpoint_auth_methods_supported") List<String> introspectionAuthMethods,
        @JsonProperty("revocation_endpoint") String revocationEndpoint,
        @JsonProperty("revocation_endpoint_auth_methods_supported") List<String> revocationAuthMethods,
        @JsonProperty("response_types_supported") List<String> responseTypes,
        @JsonProperty("grant_types_supported") List<String> grantTypes) {

    static final List<String> AUTH_METHODS = List.of("client_secret_basic", "client_secret_post");

    public static ServerMetadata at(String base) {
        return new ServerMetadata(base, base + "/oauth2/introspect", AUTH_METHODS, base + "/oauth2/revoke",
                AUTH_METHODS, List.of(), List.of());
    }
}
