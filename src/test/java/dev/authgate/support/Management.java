package dev.authgate.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The management interface (health, metrics, OpenAPI, Swagger UI) on a free port of 127.0.0.1, chosen once per test
 * JVM, for @QuarkusTest ({@code test-port}) and the packaged application of @QuarkusIntegrationTest ({@code port}).
 */
@QuarkusTestResource(Management.class)
public final class Management implements QuarkusTestResourceLifecycleManager {

    /** A system property (outside authgate.*, which the config mapping owns): every class loader sees one value. */
    private static final String PORT = "dev.authgate.test.management-port";

    public static synchronized int port() {
        String chosen = System.getProperty(PORT);
        if (chosen == null) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                chosen = Integer.toString(socket.getLocalPort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            System.setProperty(PORT, chosen);
        }
        return Integer.parseInt(chosen);
    }

    /** {@code path} under /q of the management interface, e.g. {@code url("/metrics")}. */
    public static String url(String path) {
        return "http://127.0.0.1:" + port() + "/q" + path;
    }

    @Override
    public Map<String, String> start() {
        String port = Integer.toString(port());
        return Map.of("quarkus.management.test-port", port, "quarkus.management.port", port,
                "quarkus.management.host", "127.0.0.1");
    }

    @Override
    public void stop() {
        // the port stays this JVM's
    }
}
