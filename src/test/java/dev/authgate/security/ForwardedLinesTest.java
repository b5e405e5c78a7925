package dev.authgate.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

import dev.authgate.support.Api;
import dev.authgate.support.RawHttp;
import dev.authgate.support.RealServer;
import dev.authgate.support.TestDatabase;
import dev.authgate.throttle.StrictThrottlesProfile;

/**
 * Issue 23, finding 4: X-Forwarded-For on several header lines is one list, read in order. HAProxy's
 * {@code option forwardfor} appends a line of its own after the client's, so reading the first line only took the
 * client's word for its address. The test's 127.0.0.1 is a trusted proxy; a failed
 * login records the address it counted in {@code auth_attempt}.
 */
@QuarkusTest
@TestProfile(StrictThrottlesProfile.class)
@RealServer
class ForwardedLinesTest {

    private static final String FORGED = "6.6.6.6";

    /** The address the login-pair key of a failed login for this email names. */
    private static String countedAddress(String email) {
        String key = TestDatabase.text("select key from auth_attempt where key like ?", "login-pair:user:" + email + ":%");
        return key == null ? null : key.substring(("login-pair:user:" + email + ":").length());
    }

    @Test
    void twoHeaderLinesAreOneListAndItsRightMostUntrustedHopCounts() {
        String email = Api.uniqueEmail();
        given().header("X-Forwarded-For", FORGED).header("X-Forwarded-For", "203.0.113.9, 127.0.0.1")
                .contentType(ContentType.JSON).body(Map.of("email", email, "password", "wrong password"))
                .post("/api:main/auth/login").then().statusCode(403);
        assertEquals("203.0.113.9", countedAddress(email));
    }

    @Test
    void behindHaproxyTheClientsOwnForwardedForIsNotItsAddress() throws Exception {
        try (Haproxy haproxy = Haproxy.start(RestAssured.port); RawHttp client = new RawHttp(haproxy.port,
                InetAddress.getByName("127.0.0.2"))) {
            String email = Api.uniqueEmail();
            byte[] body = ("{\"email\":\"" + email + "\",\"password\":\"wrong password\"}").getBytes(StandardCharsets.UTF_8);
            RawHttp.Response r = client.send(RawHttp.request("POST", "/api:main/auth/login",
                    Map.of("X-Forwarded-For", FORGED, "Content-Type", "application/json"), body));
            assertEquals(403, r.status(), r.text());
            assertTrue(r.text().contains("\"code\":\"ERROR_CODE_ACCESS_DENIED\""), r.text());
            // HAProxy connected from 127.0.0.1 (trusted) and appended the client's socket, 127.0.0.2, on a line of its own
            assertEquals("127.0.0.2", countedAddress(email), haproxy.log());
        }
    }

    /** Debian's haproxy in the foreground, {@code option forwardfor}, in front of the application. */
    static final class Haproxy implements AutoCloseable {
        final int port;
        private final Process process;
        private final Path log;

        private Haproxy(int port, Process process, Path log) {
            this.port = port;
            this.process = process;
            this.log = log;
        }

        static Haproxy start(int backend) throws IOException {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "proxies")), "haproxy-");
            Files.writeString(dir.resolve("haproxy.cfg"), String.join("\n",
                    "global", "    maxconn 64",
                    "defaults", "    mode http", "    timeout connect 5s", "    timeout client 60s", "    timeout server 60s",
                    "frontend in", "    bind 127.0.0.1:" + port, "    option forwardfor", "    default_backend authgate",
                    "backend authgate", "    server authgate 127.0.0.1:" + backend, ""));
            Path log = dir.resolve("haproxy.log");
            String haproxy = Files.isExecutable(Path.of("/usr/sbin/haproxy")) ? "/usr/sbin/haproxy" : "haproxy";
            Process process = new ProcessBuilder(haproxy, "-db", "-f", dir.resolve("haproxy.cfg").toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Haproxy h = new Haproxy(port, process, log);
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("haproxy stopped: " + h.log());
                }
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                    return h;
                } catch (IOException notYet) {
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
            h.close();
            throw new IllegalStateException("haproxy did not listen on " + port + ": " + h.log());
        }

        String log() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                return e.toString();
            }
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
