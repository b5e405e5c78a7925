package dev.authgate.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer of sign-up, login and the other sign-ins; {@code refreshToken} only where the table has refresh tokens
 * (added by {@link RefreshTokenAnswer}).
 */
@io.quarkus.runtime.annotations.RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuthToken(String authToken, String refreshToken) implements RefreshTokenAnswer.Carrier {

    public AuthToken(String authToken) {
        this(authToken, null);
    }

    @Override
    public AuthToken withRefreshToken(String refreshToken) {
        return new AuthToken(authToken, refreshToken);
    }
}
