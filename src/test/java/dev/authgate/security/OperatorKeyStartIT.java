package dev.authgate.security;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.authgate.support.Jwe;
import dev.authgate.support.Processes;
import dev.authgate.support.ServiceProcess;

/** The packaged application refuses to start with a guessable quick-token operator key, and says which key. */
@Processes
class OperatorKeyStartIT {

    @Test
    void aShortOperatorKeyStopsTheStartAndIsNamed() throws Exception {
        try (ServiceProcess service = ServiceProcess.start(Map.of(
                "AUTHGATE_TOKEN_KEYS", Jwe.jwks("prod-opkey-1", Jwe.randomKey()),
                "AUTHGATE_QUICK_TOKENS_SECRET", "short-operator-key"))) {
            assertNotEquals(0, service.awaitExit(Duration.ofSeconds(90)));
            String log = service.log();
            assertTrue(log.contains("AUTHGATE_QUICK_TOKENS_SECRET") && log.contains("shorter than 32 characters"), log);
            assertTrue(!log.contains("short-operator-key"), "the key itself stays out of the log");
        }
    }
}
