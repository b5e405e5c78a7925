package dev.authgate.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.authgate.support.Jwe;
import dev.authgate.support.Processes;
import dev.authgate.support.ServiceProcess;

/**
 * Clients as an operator configures them: environment variables (what a Kubernetes Secret becomes). A secret that
 * is too short stops the start with a message naming the key.
 */
@Processes
class ClientConfigIT {

    private static final String KEYS = Jwe.jwks("prod-1", Jwe.randomKey());

    @Test
    void aShortSecretStopsTheStartNamingTheKey() throws Exception {
        try (ServiceProcess service = ServiceProcess.start(Map.of("AUTHGATE_TOKEN_KEYS", KEYS,
                "AUTHGATE_CLIENTS_SHORTY_SECRET", "only-31-characters-long-secret!",
                "AUTHGATE_CLIENTS_SHORTY_GROUPS", "main", "AUTHGATE_CLIENTS_SHORTY_SCOPES", "introspect"))) {
            assertNotEquals(0, service.awaitExit(Duration.ofSeconds(90)));
            String log = service.log();
            assertTrue(log.contains("authgate.clients.shorty.secret must be at least 32 characters"), log);
            assertTrue(!log.contains("only-31-characters-long-secret!"), "the secret is not logged: " + log);
        }
    }

    @Test
    void aClientFromTheEnvironmentIntrospects() throws Exception {
        String secret = "a-secret-of-at-least-32-characters-" + Long.toHexString(System.nanoTime());
        try (ServiceProcess service = ServiceProcess.start(Map.of("AUTHGATE_TOKEN_KEYS", KEYS,
                "AUTHGATE_CLIENTS_GATEWAY_SECRET", secret, "AUTHGATE_CLIENTS_GATEWAY_GROUPS", "main",
                "AUTHGATE_CLIENTS_GATEWAY_SCOPES", "introspect"))) {
            service.awaitReady(Duration.ofSeconds(120));
            String email = "env-" + System.nanoTime() + "@example.com";
            HttpResponse<String> signup = service.post("/api:main/auth/signup",
                    "{\"name\":\"E\",\"email\":\"" + email + "\",\"password\":\"correct horse battery\"}");
            assertEquals(200, signup.statusCode(), signup.body());
            String token = signup.body().replaceAll(".*\"authToken\":\"([^\"]+)\".*", "$1");
            String basic = Base64.getEncoder().encodeToString(("gateway:" + secret).getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(service.url("/oauth2/introspect"))).header("Authorization", "Basic " + basic)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("token=" + token)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer.body());
            assertTrue(answer.body().startsWith("{\"active\":true"), answer.body());
        }
    }
}
