package dev.authgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.authgate.support.Jwe;
import dev.authgate.support.Processes;
import dev.authgate.support.ServiceProcess;
import dev.authgate.support.TestDatabase;

/**
 * The production run of the README: {@code java -jar target/quarkus-app/quarkus-run.jar} with the database and
 * key from the environment. Without a key, or with the repository's dev key, it refuses to start and says why.
 */
@Processes
class ProductionStartIT {

    private static String refusal(Map<String, String> env) throws Exception {
        try (ServiceProcess service = ServiceProcess.start(env)) {
            assertNotEquals(0, service.awaitExit(Duration.ofSeconds(90)));
            return service.log();
        }
    }

    @Test
    void withoutKeysItRefusesToStartAndSaysWhatToSet() throws Exception {
        String out = refusal(Map.of());
        assertTrue(out.contains("AUTHGATE_TOKEN_KEYS"), out);
        assertTrue(out.contains("/dev/urandom"), "says how to make a key: " + out);
    }

    @Test
    void theRepositoryDevKeyIsRefused() throws Exception {
        String out = refusal(Map.of("AUTHGATE_TOKEN_KEYS", Jwe.jwks(Jwe.DEV_KID, Jwe.DEV_KEY)));
        assertTrue(out.contains("dev-only"), out);
    }

    @Test
    void withAKeyItMigratesAndServes() throws Exception {
        try (ServiceProcess service = ServiceProcess.start(Map.of("AUTHGATE_TOKEN_KEYS", Jwe.jwks("prod-1", Jwe.randomKey())))) {
            service.awaitReady(Duration.ofSeconds(90));
            assertEquals(1, TestDatabase.scalar("select count(*) from flyway_schema_history where version = '1' and success"));
        }
    }
}
