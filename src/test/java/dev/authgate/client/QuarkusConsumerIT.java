package dev.authgate.client;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;

import dev.authgate.support.Api;
import dev.authgate.support.PostgresResource;
import dev.authgate.support.TestDatabase;

/**
 * A consumer no one here wrote the security of: examples/quarkus-consumer, a Quarkus service protected by
 * quarkus-oidc configured with nothing but Authgate's introspection endpoint and a client secret. Built once for
 * this class (output in target/quarkus-consumer-build.log) and run against the packaged Authgate.
 */
@QuarkusIntegrationTest
@TestProfile(ClientsProfile.class)
class QuarkusConsumerIT {

    private static final Path PROJECT = Path.of("examples", "quarkus-consumer");
    private static final Pattern LISTENING = Pattern.compile("Listening on: http://[^\\s:]+:(\\d+)");

    private static Process consumer;
    private static Path log;
    private static int port;

    @TestHTTPResource("/")
    URL authgate;

    @BeforeEach
    void consumerRuns() throws Exception {
        if (consumer == null) {
            build();
            // the address Authgate listens on, whatever "localhost" resolves to first
            start("http://127.0.0.1:" + authgate.getPort());
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (consumer != null) {
            consumer.destroy();
            if (!consumer.waitFor(30, TimeUnit.SECONDS)) {
                consumer.destroyForcibly();
            }
        }
    }

    private static RequestSpecification bearer(String token) {
        return given().baseUri("http://127.0.0.1").port(port).header("Authorization", "Bearer " + token);
    }

    @Test
    void aLiveTokenPassesWithTheCallersId() {
        String email = Api.uniqueEmail();
        String token = Api.signup(email);
        long id = TestDatabase.scalar("select id from \"user\" where email = ?", email);
        bearer(token).get("/whoami").then().statusCode(200).body(equalTo(Long.toString(id)));
    }

    @Test
    void aLoggedOutOrRevokedTokenIsRefused() {
        String token = Api.signup(Api.uniqueEmail());
        bearer(token).get("/whoami").then().statusCode(200);
        Api.bearer(token).post("/api:main/auth/logout").then().statusCode(200);
        bearer(token).get("/whoami").then().statusCode(401);

        String other = Api.signup(Api.uniqueEmail());
        bearer(other).get("/whoami").then().statusCode(200);
        Clients.revoke(ClientsProfile.READER, other).statusCode(200);
        bearer(other).get("/whoami").then().statusCode(401);
    }

    @Test
    void theRoleDecides() {
        String email = Api.uniqueEmail();
        String plain = Api.signup(email);
        bearer(plain).get("/editor").then().statusCode(403);
        long id = TestDatabase.scalar("select id from \"user\" where email = ?", email);
        String editor = Clients.basic(ClientsProfile.ROLE_MINTER).contentType("application/json")
                .body(Map.of("id", id, "extras", Map.of("role", "editor"))).post("/api:main/auth/issue").then()
                .statusCode(200).extract().path("authToken");
        bearer(editor).get("/editor").then().statusCode(200).body(equalTo("editor " + id));
        String viewer = Clients.basic(ClientsProfile.ROLE_MINTER).contentType("application/json")
                .body(Map.of("id", id, "extras", Map.of("role", "viewer"))).post("/api:main/auth/issue").then()
                .statusCode(200).extract().path("authToken");
        bearer(viewer).get("/editor").then().statusCode(403);
    }

    @Test
    void tokensOfAGroupTheConsumerMayNotSeeAndGarbageAreRefused() {
        String staff = Api.login("staff", PostgresResource.ADMIN_EMAIL, PostgresResource.ADMIN_PASSWORD);
        bearer(staff).get("/whoami").then().statusCode(401);
        bearer("garbage").get("/whoami").then().statusCode(401);
        given().baseUri("http://127.0.0.1").port(port).get("/whoami").then().statusCode(401);
    }

    /**
     * {@code mvnw -f examples/quarkus-consumer package} from the surrounding build's local repository: once the
     * consumer's few extra artifacts are there, Maven needs no network for it.
     */
    private static void build() throws Exception {
        Path output = Files.createDirectories(Path.of("target")).resolve("quarkus-consumer-build.log");
        List<String> command = new ArrayList<>(List.of(Path.of("mvnw").toAbsolutePath().toString(), "-B", "-f",
                PROJECT.resolve("pom.xml").toString(), "package", "-DskipTests"));
        String repository = System.getProperty("authgate.maven.repo", "");
        if (!repository.isBlank() && !repository.startsWith("${")) {
            command.add("-Dmaven.repo.local=" + repository);
        }
        if (Boolean.getBoolean("authgate.consumer.offline")) { // -Dauthgate.consumer.offline=true: never the network
            command.add("-o");
        }
        Process build = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!build.waitFor(15, TimeUnit.MINUTES)) {
            build.destroyForcibly();
            throw new AssertionError("the consumer's build took over 15 minutes; see " + output);
        }
        assertEquals(0, build.exitValue(), "the consumer's build failed; see " + output.toAbsolutePath());
    }

    private static void start(String authgateUrl) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-jar", PROJECT.resolve("target/quarkus-app/quarkus-run.jar").toString());
        pb.environment().keySet().removeIf(k -> k.startsWith("AUTHGATE_") || k.startsWith("QUARKUS_"));
        pb.environment().putAll(Map.of("QUARKUS_HTTP_HOST", "127.0.0.1", "QUARKUS_HTTP_PORT", "0",
                "AUTHGATE_URL", authgateUrl, "AUTHGATE_CLIENT_ID", ClientsProfile.CONSUMER,
                "AUTHGATE_CLIENT_SECRET", ClientsProfile.secret(ClientsProfile.CONSUMER)));
        log = Files.createTempFile(Files.createDirectories(Path.of("target", "service-logs")), "quarkus-consumer-", ".log");
        consumer = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!consumer.isAlive()) {
                throw new AssertionError("the consumer exited with " + consumer.exitValue() + ":\n" + log());
            }
            Matcher m = LISTENING.matcher(log());
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the consumer did not start within 90 s:\n" + log());
    }

    private static String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }
}
