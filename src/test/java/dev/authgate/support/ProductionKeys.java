package dev.authgate.support;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A fresh token key for {@code @QuarkusIntegrationTest}s: the packaged application runs in the prod profile,
 * which has no key and refuses the dev-only one, exactly as in production.
 */
public class ProductionKeys implements QuarkusTestResourceLifecycleManager {

    public static final String KID = "it-1";

    @Override
    public Map<String, String> start() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String k = Base64.getUrlEncoder().withoutPadding().encodeToString(key);
        return Map.of("authgate.token.keys", "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"" + KID + "\",\"k\":\"" + k + "\"}]}");
    }

    @Override
    public void stop() {
        // nothing to release
    }
}
