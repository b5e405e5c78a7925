package dev.authgate.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

import dev.authgate.group.ApiGroup;

/** A token read from the request, and the API group the request addresses (null when none). */
public final class TokenAuthenticationRequest extends BaseAuthenticationRequest {

    private final String token;
    private final ApiGroup group;

    public TokenAuthenticationRequest(String token, ApiGroup group) {
        this.token = token;
        this.group = group;
    }

    String token() {
        return token;
    }

    ApiGroup group() {
        return group;
    }
}
