package dev.authgate.gate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A real reverse proxy (Debian's nginx or caddy) run from the configuration file shipped in examples/, on a free
 * loopback port, as a child process of the test. The file is changed only by its addresses.
 */
final class Proxy implements AutoCloseable {

    private final Process process;
    private final Path log;
    final int port;

    private Proxy(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** examples/nginx/nginx.conf with ${LISTEN}, ${AUTHGATE} and ${UPSTREAM} filled in. */
    static Proxy nginx(String authgate, String upstream) throws IOException {
        return nginx(Files.readString(Path.of("examples/nginx/nginx.conf")), authgate, upstream);
    }

    private static Proxy nginx(String template, String authgate, String upstream) throws IOException {
        int port = freePort();
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "proxies")), "nginx-");
        Files.createDirectories(dir.resolve("tmp"));
        String conf = template.replace("${LISTEN}", "127.0.0.1:" + port)
                .replace("${AUTHGATE}", authgate).replace("${UPSTREAM}", upstream);
        Files.writeString(dir.resolve("nginx.conf"), conf);
        String nginx = Files.isExecutable(Path.of("/usr/sbin/nginx")) ? "/usr/sbin/nginx" : "nginx"; // sbin: not on every PATH
        return start(new ProcessBuilder(nginx, "-p", dir.toAbsolutePath() + "/", "-e", "stderr", "-c", "nginx.conf"),
                dir, port);
    }

    /**
     * NGINX configured as ingress-nginx renders k8s/examples/ingress-nginx.yaml (src/test/resources/gate/ingress-nginx.conf),
     * the identity headers from the Ingress' own auth-response-headers annotation.
     */
    static Proxy ingressNginx(String authgate, String upstream) throws IOException {
        String ingress = Files.readString(Path.of("k8s/examples/ingress-nginx.yaml"));
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("nginx\\.ingress\\.kubernetes\\.io/auth-response-headers: (\\S+)").matcher(ingress);
        if (!m.find()) {
            throw new IllegalStateException("k8s/examples/ingress-nginx.yaml has no auth-response-headers");
        }
        StringBuilder headers = new StringBuilder();
        String[] names = m.group(1).split(",");
        for (int i = 0; i < names.length; i++) {
            // the template's buildAuthResponseHeaders
            headers.append("            auth_request_set $authHeader").append(i).append(" $upstream_http_")
                    .append(names[i].strip().toLowerCase(java.util.Locale.ROOT).replace('-', '_')).append(";\n")
                    .append("            proxy_set_header '").append(names[i].strip()).append("' $authHeader").append(i)
                    .append(";\n");
        }
        String template;
        try (var in = Proxy.class.getResourceAsStream("/gate/ingress-nginx.conf")) {
            template = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        return nginx(template.replace("${AUTH_RESPONSE_HEADERS}", headers), authgate, upstream);
    }

    /** examples/caddy/Caddyfile as it is: its addresses come from the environment. */
    static Proxy caddy(String authgate, String upstream) throws IOException {
        int port = freePort();
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "proxies")), "caddy-");
        ProcessBuilder pb = new ProcessBuilder("caddy", "run", "--adapter", "caddyfile", "--config",
                Path.of("examples/caddy/Caddyfile").toAbsolutePath().toString());
        pb.environment().putAll(Map.of("AUTHGATE_PORT", String.valueOf(port), "AUTHGATE_BIND", "127.0.0.1",
                "AUTHGATE_GATE", authgate, "AUTHGATE_UPSTREAM", upstream,
                // Caddy's own state (autosave, certificates) under the test's directory, not the user's home
                "XDG_CONFIG_HOME", dir.toAbsolutePath().toString(), "XDG_DATA_HOME", dir.toAbsolutePath().toString(),
                "HOME", dir.toAbsolutePath().toString()));
        return start(pb, dir, port);
    }

    private static Proxy start(ProcessBuilder pb, Path dir, int port) throws IOException {
        Path log = dir.resolve("proxy.log");
        Process process = pb.directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Proxy proxy = new Proxy(process, log, port);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60)); // a generous ceiling: CI may be busy
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(pb.command().get(0) + " stopped: " + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return proxy;
            } catch (IOException notYet) {
                sleep();
            }
        }
        proxy.close();
        throw new IllegalStateException(pb.command().get(0) + " did not listen on " + port + ": " + Files.readString(log));
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
