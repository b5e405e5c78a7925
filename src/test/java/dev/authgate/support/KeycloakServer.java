package dev.authgate.support;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real Keycloak (Maven Central's {@code keycloak-quarkus-dist}, unpacked into target/keycloak by the build before
 * the ITs) as the upstream OpenID provider: {@code kc.sh start-dev} on 127.0.0.1 and free ports, with the realm of
 * {@code keycloak/authgate-test-realm.json} imported at start, on Temurin 25 (Keycloak 26 needs JDK 21+). Ready when the
 * realm's discovery document answers; the wait is long (15-60 s on a loaded machine, more the first time), never a
 * fixed sleep. As a test resource it points {@code authgate.providers.kc.*} at it.
 */
public class KeycloakServer implements QuarkusTestResourceLifecycleManager {

    public static final String REALM = "authgate-test";
    public static final String CLIENT_ID = "authgate";
    public static final String CLIENT_SECRET = "authgate-test-client-secret-0123456789";
    /** Where the test app wants sign-ins to end: allowlisted; nothing listens there, the tests read the Location. */
    public static final String APP_REDIRECT = "http://127.0.0.1:9/app/signed-in";
    /** Also allowlisted: a page the test serves (on a port chosen once per JVM), where a real browser lands. */
    public static final int APP_PORT = appPort();
    public static final String APP_PAGE = "http://127.0.0.1:" + APP_PORT + "/app/signed-in";
    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "admin-pass-for-tests-123";
    static final String JAVA_HOME = "/usr/lib/jvm/temurin-25-jdk-amd64";
    static final Duration READY_WITHIN = Duration.ofMinutes(5);

    private static Process process;
    private static int port;
    private static long startMillis;

    public static synchronized void launch() {
        if (process != null) {
            return;
        }
        String home = System.getProperty("dev.authgate.test.keycloak-home");
        if (home == null || !new File(home, "bin/kc.sh").isFile()) {
            throw new IllegalStateException("Keycloak is not unpacked at " + home + ": run the ITs through ./mvnw verify,"
                    + " which unpacks org.keycloak:keycloak-quarkus-dist into target/keycloak");
        }
        if (!new File(JAVA_HOME, "bin/java").canExecute()) {
            throw new IllegalStateException("Keycloak 26 needs JDK 21+, expected Temurin 25 at " + JAVA_HOME
                    + " (CI machines have it there)");
        }
        try {
            Path kc = Path.of(home);
            Path data = kc.resolve("data");
            Path imported = data.resolve("import/" + REALM + "-realm.json");
            byte[] realm;
            try (InputStream in = KeycloakServer.class.getResourceAsStream("/keycloak/" + REALM + "-realm.json")) {
                realm = in.readAllBytes();
            }
            // --import-realm skips a realm that exists: the dev H2 database is kept (a start without its schema to
            // make is much faster) unless the realm file changed, and then made again from the file
            if (Files.exists(data) && !(Files.exists(imported) && java.util.Arrays.equals(Files.readAllBytes(imported), realm))) {
                try (Stream<Path> files = Files.walk(data)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            Files.createDirectories(imported.getParent());
            Files.write(imported, realm);
            port = freePort();
            Path log = kc.getParent().resolve("keycloak.log");
            ProcessBuilder pb = new ProcessBuilder(kc.resolve("bin/kc.sh").toString(), "start-dev",
                    "--http-host=127.0.0.1", "--http-port=" + port, "--http-management-port=" + freePort(),
                    "--import-realm")
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("JAVA_HOME", JAVA_HOME);
            pb.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
            pb.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
            long t0 = System.nanoTime();
            process = pb.start();
            Runtime.getRuntime().addShutdownHook(new Thread(KeycloakServer::halt));
            awaitReady(log);
            startMillis = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("Keycloak ready in " + startMillis + " ms on port " + port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitReady(Path log) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        HttpRequest discovery = HttpRequest.newBuilder(URI.create(issuer() + "/.well-known/openid-configuration"))
                .timeout(Duration.ofSeconds(10)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + process.exitValue() + ":\n"
                        + Files.readString(log));
            }
            try {
                if (http.send(discovery, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                process.waitFor(250, java.util.concurrent.TimeUnit.MILLISECONDS); // returns early if it exits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("Keycloak not ready within " + READY_WITHIN + ":\n" + Files.readString(log));
    }

    /** Stops Keycloak (kc.sh and its JVM) and waits until it is gone. */
    public static synchronized void halt() {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            process.descendants().forEach(p -> p.onExit().join());
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    public static String base() {
        return "http://127.0.0.1:" + port;
    }

    public static String issuer() {
        return base() + "/realms/" + REALM;
    }

    /** How long the last start took, launch to a discovery document. */
    public static long startMillis() {
        return startMillis;
    }

    private static int appPort() {
        try {
            return freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public Map<String, String> start() {
        launch();
        return Map.of("authgate.providers.kc.issuer", issuer(),
                "authgate.providers.kc.client-id", CLIENT_ID,
                "authgate.providers.kc.client-secret", CLIENT_SECRET,
                "authgate.providers.kc.groups", "main",
                "authgate.providers.redirect-allowlist", APP_REDIRECT + "," + APP_PAGE);
    }

    @Override
    public void stop() {
        halt();
    }
}
