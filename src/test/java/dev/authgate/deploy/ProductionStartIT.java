package dev.authgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.authgate.support.Jwe;
import dev.authgate.support.PostgresResource;
import dev.authgate.support.TestDatabase;

/**
 * The production run of the README: {@code java -jar target/quarkus-app/quarkus-run.jar} with the database and
 * key from the environment. Without a key, or with the repository's dev key, it refuses to start and says why.
 */
class ProductionStartIT {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    private static Process launch(Map<String, String> env, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString());
        pb.environment().keySet().removeIf(k -> k.startsWith("AUTHGATE_") || k.startsWith("QUARKUS_"));
        pb.environment().put("QUARKUS_DATASOURCE_JDBC_URL", PostgresResource.jdbcUrl());
        pb.environment().put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        pb.environment().put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return pb.start();
    }

    private static String refusal(Map<String, String> env) throws Exception {
        Path log = Files.createTempFile("authgate-start", ".log");
        Process p = launch(env, log);
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "the service should stop by itself");
        assertNotEquals(0, p.exitValue());
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    @Test
    void withoutKeysItRefusesToStartAndSaysWhatToSet() throws Exception {
        String out = refusal(Map.of("QUARKUS_HTTP_PORT", "0"));
        assertTrue(out.contains("AUTHGATE_TOKEN_KEYS"), out);
        assertTrue(out.contains("/dev/urandom"), "says how to make a key: " + out);
    }

    @Test
    void theRepositoryDevKeyIsRefused() throws Exception {
        String out = refusal(Map.of("QUARKUS_HTTP_PORT", "0",
                "AUTHGATE_TOKEN_KEYS", Jwe.jwks(Jwe.DEV_KID, Jwe.DEV_KEY)));
        assertTrue(out.contains("dev-only"), out);
    }

    @Test
    void withAKeyItMigratesAndServes() throws Exception {
        int port = 18000 + (int) (ProcessHandle.current().pid() % 1000);
        Path log = Files.createTempFile("authgate-start", ".log");
        Process p = launch(Map.of("QUARKUS_HTTP_PORT", Integer.toString(port),
                "AUTHGATE_TOKEN_KEYS", Jwe.jwks("prod-1", Jwe.randomKey())), log);
        try {
            HttpClient http = HttpClient.newHttpClient();
            int status = 0;
            for (int i = 0; i < 120 && status != 200; i++) {
                try {
                    status = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health/ready")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (IOException notYet) {
                    Thread.sleep(500);
                }
            }
            assertEquals(200, status, Files.readString(log));
            assertEquals(1, TestDatabase.scalar("select count(*) from flyway_schema_history where version = '1' and success"));
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
