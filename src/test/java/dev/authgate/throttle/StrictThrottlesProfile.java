package dev.authgate.throttle;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Throttles at small thresholds, counted per client address: the tests' own address (127.0.0.1) is a trusted proxy,
 * so X-Forwarded-For stands for distinct clients. Quick test tokens are on, with their operator-key throttle.
 */
public class StrictThrottlesProfile implements QuarkusTestProfile {

    public static final String OPERATOR_KEY = "an-operator-key-of-more-than-32-characters";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "authgate.throttle.login.max-failures", "3",
                "authgate.throttle.login.max-failures-per-address", "5",
                "authgate.throttle.login.max-successes", "6",
                "authgate.throttle.signup.max-per-address", "4",
                "authgate.tables.user.max-sessions", "3",
                "authgate.throttle.trusted-proxies", "127.0.0.1,::1",
                "authgate.quick-tokens.secret", OPERATOR_KEY,
                "authgate.quick-tokens.max-failures-per-address", "3");
    }
}
