package dev.authgate.token;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: the encrypting key works — a probe token is encrypted and read back (a broken key or cipher provider
 * reports DOWN, with the reason's class). Reports how many keys and the id of the encrypting key, which tells an
 * operator mid-rotation which set a pod runs with. Key ids only: key material never leaves {@link KeyRing}.
 */
@Readiness
@ApplicationScoped
public class TokenKeysCheck implements HealthCheck {

    static final String NAME = "token-keys";

    private final Supplier<TokenCodec> codec;

    @Inject
    public TokenKeysCheck(TokenService tokens) {
        this(tokens::codec);
    }

    TokenKeysCheck(Supplier<TokenCodec> codec) {
        this.codec = codec;
    }

    @Override
    public HealthCheckResponse call() {
        TokenCodec c = codec.get();
        KeyRing keys = c.keys();
        var response = HealthCheckResponse.named(NAME)
                .withData("keys", keys.all().size())
                .withData("encryptingKid", keys.current().kid());
        try {
            long now = Instant.now().getEpochSecond();
            Auth probe = new Auth(0, "probe", Map.of(), now, now + 60, UUID.randomUUID());
            boolean roundTrip = probe.jti().equals(c.decrypt(c.encrypt(probe), now).jti());
            return response.status(roundTrip).build();
        } catch (Exception e) {
            return response.down().withData("error", e.getClass().getSimpleName()).build();
        }
    }
}
