package dev.authgate.oidc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Singleton;

/**
 * A group's provider metadata (OpenID Connect Discovery 1.0 §3, RFC 8414): what a relying party reads from
 * {@code {issuer}/.well-known/openid-configuration}. Endpoints are {@code {issuer}/<name>}.
 */
@Singleton
public class Discovery {

    private final SigningKeys keys;

    public Discovery(SigningKeys keys) {
        this.keys = keys;
    }

    public Map<String, Object> document(String issuer) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("issuer", issuer);
        d.put("authorization_endpoint", issuer + "/authorize");
        d.put("token_endpoint", issuer + "/token");
        d.put("userinfo_endpoint", issuer + "/userinfo");
        d.put("jwks_uri", issuer + "/jwks");
        // the endpoints a relying party finds only here: quarkus-oidc refuses to start its logout without the first
        d.put("end_session_endpoint", issuer + "/end-session");
        d.put("revocation_endpoint", issuer + "/revoke");
        d.put("introspection_endpoint", issuer + "/introspect");
        d.put("revocation_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post", "none"));
        d.put("introspection_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        d.put("response_types_supported", List.of("code"));
        d.put("response_modes_supported", List.of("query"));
        d.put("grant_types_supported", List.of("authorization_code", "refresh_token"));
        d.put("subject_types_supported", List.of("public"));
        d.put("id_token_signing_alg_values_supported", keys.algorithms());
        d.put("scopes_supported", List.of(Scopes.OPENID, Scopes.EMAIL, Scopes.PROFILE, Scopes.OFFLINE_ACCESS));
        d.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post", "none"));
        d.put("code_challenge_methods_supported", List.of("S256"));
        d.put("claims_supported", List.of("iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr",
                "azp", "at_hash", "email", "email_verified", "name"));
        d.put("acr_values_supported", List.of("aal1", "aal2"));
        d.put("prompt_values_supported", List.of(AuthorizationRequest.NONE, AuthorizationRequest.LOGIN,
                AuthorizationRequest.CONSENT, AuthorizationRequest.SELECT_ACCOUNT));
        d.put("authorization_response_iss_parameter_supported", true);
        d.put("request_parameter_supported", false);
        d.put("request_uri_parameter_supported", false);
        d.put("claims_parameter_supported", false);
        return d;
    }
}
