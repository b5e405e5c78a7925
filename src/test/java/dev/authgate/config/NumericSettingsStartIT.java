package dev.authgate.config;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.authgate.support.Jwe;
import dev.authgate.support.Processes;
import dev.authgate.support.ServiceProcess;

/**
 * Issue 23 #9: a zero or negative number where only a positive one makes sense stops the start, and the message names
 * each key (Bean Validation on the configuration mappings). {@code max-sessions=0} used to make every login fail.
 */
@Processes
class NumericSettingsStartIT {

    @Test
    void zeroAndNegativeNumbersStopTheStartNamingEachKey() throws Exception {
        try (ServiceProcess service = ServiceProcess.start(Map.of(
                "AUTHGATE_TOKEN_KEYS", Jwe.jwks("prod-numbers-1", Jwe.randomKey()),
                "AUTHGATE_TABLES_USER_MAX_SESSIONS", "0",
                "AUTHGATE_TABLES_USER_TOKEN_EXPIRATION", "-1",
                "AUTHGATE_THROTTLE_LOGIN_MAX_FAILURES", "-3",
                "AUTHGATE_THROTTLE_WINDOW", "0s",
                "AUTHGATE_MAIL_MAX_CODE_ATTEMPTS", "0",
                "AUTHGATE_SESSIONS_CACHE_MAXIMUM_SIZE", "0"))) {
            assertNotEquals(0, service.awaitExit(Duration.ofSeconds(90)));
            String log = service.log();
            for (String key : new String[] { "authgate.tables.user.max-sessions", "authgate.tables.user.token-expiration",
                    "authgate.throttle.login.max-failures", "authgate.throttle.window", "authgate.mail.max-code-attempts",
                    "authgate.sessions.cache.maximum-size" }) {
                assertTrue(log.contains(key), key + " not named in: " + log);
            }
            assertTrue(log.contains("must be greater than 0"), log);
        }
    }
}
