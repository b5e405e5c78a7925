package dev.authgate.token;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: the token keys are loaded. Reports how many and the id of the encrypting key, which tells an operator
 * mid-rotation which set a pod runs with. Key ids only: key material never leaves {@link KeyRing}.
 */
@Readiness
@ApplicationScoped
public class TokenKeysCheck implements HealthCheck {

    static final String NAME = "token-keys";

    private final TokenService tokens;

    public TokenKeysCheck(TokenService tokens) {
        this.tokens = tokens;
    }

    @Override
    public HealthCheckResponse call() {
        KeyRing keys = tokens.keys();
        return HealthCheckResponse.named(NAME)
                .status(!keys.all().isEmpty())
                .withData("keys", keys.all().size())
                .withData("encryptingKid", keys.current().kid())
                .build();
    }
}
