package dev.authgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.authgate.support.Api;
import dev.authgate.support.Jwe;
import dev.authgate.support.Processes;
import dev.authgate.support.ServiceProcess;

/**
 * The packaged application as docs/operations.md runs it in production: JSON log lines only, no secret in them;
 * health, metrics and OpenAPI on the management port only, and Swagger UI off unless QUARKUS_SWAGGER_UI_ENABLED=true.
 */
@Processes
class ProductionObservabilityIT {

    @Test
    void jsonLogsWithoutSecretsAndManagementOnItsOwnPort() throws Exception {
        byte[] key = Jwe.randomKey();
        String encodedKey = Base64.getUrlEncoder().withoutPadding().encodeToString(key);
        try (ServiceProcess service = ServiceProcess.start(Map.of(
                "AUTHGATE_TOKEN_KEYS", Jwe.jwks("prod-obs-1", key)))) {
            service.awaitReady(Duration.ofSeconds(90));
            String base = service.url("");
            HttpClient http = HttpClient.newHttpClient();
            String email = Api.uniqueEmail();
            String signup = "{\"name\":\"N\",\"email\":\"" + email + "\",\"password\":\"" + Api.PASSWORD + "\"}";
            String token = body(http, post(base + "/api:main/auth/signup", signup)).replaceAll(".*\"authToken\":\"([^\"]+)\".*", "$1");
            assertEquals(200, send(http, HttpRequest.newBuilder(URI.create(base + "/api:main/auth/me"))
                    .header("Authorization", "Bearer " + token).build()));
            assertEquals(403, send(http, post(base + "/api:main/auth/signup", signup)));
            assertEquals(401, send(http, HttpRequest.newBuilder(URI.create(base + "/api:main/auth/me"))
                    .header("Authorization", "Bearer " + token + "x").header("X-Request-Id", "prod-req-1").build()));

            assertEquals(404, service.management("/q/swagger-ui/").statusCode(), "Swagger UI is off in production");
            assertEquals(200, service.management("/q/openapi").statusCode());
            assertEquals(200, service.management("/q/metrics").statusCode());
            for (String path : new String[] { "/q/health/ready", "/q/metrics", "/q/openapi", "/q/swagger-ui/" }) {
                HttpResponse<String> publicPort = service.get(path);
                assertEquals(404, publicPort.statusCode(), path);
                assertEquals("ERROR_CODE_NOT_FOUND", new ObjectMapper().readTree(publicPort.body()).path("code").asText(), path);
            }

            List<String> lines = service.log().lines().filter(l -> !l.isBlank()).toList();
            assertTrue(lines.size() > 5, "start-up lines expected:\n" + lines);
            ObjectMapper json = new ObjectMapper();
            for (String line : lines) {
                JsonNode entry = json.readTree(line);
                assertTrue(entry.has("level") && entry.has("message") && entry.has("mdc"), "a JSON log line: " + line);
            }
            String all = String.join("\n", lines);
            for (String secret : new String[] { encodedKey, token, Api.PASSWORD, email }) {
                assertFalse(all.contains(secret), "a secret or an email in the logs:\n" + all);
            }
        }
    }

    @Test
    void swaggerUiWhenSwitchedOn() throws Exception {
        try (ServiceProcess service = ServiceProcess.start(Map.of(
                "AUTHGATE_TOKEN_KEYS", Jwe.jwks("prod-obs-2", Jwe.randomKey()),
                "QUARKUS_SWAGGER_UI_ENABLED", "true"))) {
            service.awaitReady(Duration.ofSeconds(90));
            assertEquals(200, service.management("/q/swagger-ui/").statusCode());
            assertEquals(404, service.get("/q/swagger-ui/").statusCode(), "never on the public port");
        }
    }

    private static HttpRequest post(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static int send(HttpClient http, HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String body(HttpClient http, HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }
}
