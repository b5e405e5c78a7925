package dev.authgate.token;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;

import javax.crypto.spec.SecretKeySpec;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import dev.authgate.support.Jwe;

/** The readiness check can fail: a key that cannot encrypt makes the pod unready instead of failing every login. */
class TokenKeysCheckTest {

    @Test
    void upWhenTheEncryptingKeyRoundTrips() {
        KeyRing ring = KeyRing.parse(Optional.of(Jwe.jwks("k1", Jwe.randomKey())), false);
        HealthCheckResponse r = new TokenKeysCheck(() -> new TokenCodec(ring, "authgate")).call();
        assertEquals(HealthCheckResponse.Status.UP, r.getStatus());
        assertEquals("k1", r.getData().orElseThrow().get("encryptingKid"));
    }

    @Test
    void downWhenTheEncryptingKeyCannotEncrypt() {
        // a 128-bit key cannot wrap with A256KW: what a truncated Secret would give
        KeyRing ring = KeyRing.unchecked(List.of(new KeyRing.NamedKey("short", new SecretKeySpec(new byte[16], "AES"))));
        HealthCheckResponse r = new TokenKeysCheck(() -> new TokenCodec(ring, "authgate")).call();
        assertEquals(HealthCheckResponse.Status.DOWN, r.getStatus());
        assertEquals("short", r.getData().orElseThrow().get("encryptingKid"));
    }
}
