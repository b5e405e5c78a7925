package dev.authgate.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged application ({@code java -jar target/quarkus-app/quarkus-run.jar}, or the native executable in a
 * {@code -Dnative} build) as a separate process, configured only through the environment, as an operator runs it:
 * on 127.0.0.1, a free port, the tests' PostgreSQL.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final Pattern LISTENING = Pattern.compile("Listening on: http://[^\\s:]+:(\\d+)");
    private static final Pattern MANAGEMENT = Pattern.compile("Management interface listening on http://[^\\s:]+:(\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final Path log;
    private int port;
    private int managementPort;

    private ServiceProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts the application; {@code env} adds to (or overrides) the database settings. Does not wait. */
    public static ServiceProcess start(Map<String, String> env) throws IOException {
        // -Dnative builds (the native profile sets authgate.it.native): the executable instead of the jar
        ProcessBuilder pb = Boolean.getBoolean("authgate.it.native")
                ? new ProcessBuilder(System.getProperty("native.image.path"), "-Xmx256m")
                : new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m", "-XX:+UseSerialGC", "-jar", JAR.toString());
        // only what this test sets: not the developer's or CI's own AUTHGATE_* and QUARKUS_* variables
        pb.environment().keySet().removeIf(k -> k.startsWith("AUTHGATE_") || k.startsWith("QUARKUS_"));
        pb.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        pb.environment().put("QUARKUS_HTTP_PORT", "0");
        pb.environment().put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        pb.environment().put("QUARKUS_MANAGEMENT_PORT", "0");
        pb.environment().put("QUARKUS_DATASOURCE_JDBC_URL", PostgresResource.jdbcUrl());
        pb.environment().put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        pb.environment().put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        // production migrates in its own step; here the first start does it (UnmigratedStartIT turns it off)
        pb.environment().put("QUARKUS_FLYWAY_MIGRATE_AT_START", "true");
        // as in PostgresResource: every test comes from 127.0.0.1, into one database
        pb.environment().put("AUTHGATE_THROTTLE_LOGIN_MAX_FAILURES_PER_ADDRESS", "1000000");
        pb.environment().put("AUTHGATE_THROTTLE_SIGNUP_MAX_PER_ADDRESS", "1000000");
        pb.environment().put("AUTHGATE_THROTTLE_LOGIN_MAX_SUCCESSES", "1000000");
        pb.environment().putAll(env);
        Path logs = Files.createDirectories(Path.of("target", "service-logs")); // kept for a look after a failure
        Path log = Files.createTempFile(logs, "authgate-", ".log");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return new ServiceProcess(pb.start(), log);
    }

    /**
     * Waits until both ports are known and {@code /q/health/ready} (management port) answers 200; fails with the
     * log otherwise.
     */
    public ServiceProcess awaitReady(Duration timeout) throws InterruptedException {
        return awaitStatus("/q/health/ready", 200, timeout);
    }

    /** Waits until the port is known and {@code path} answers {@code status}; fails with the log otherwise. */
    public ServiceProcess awaitStatus(String path, int status, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the service exited with " + process.exitValue() + ":\n" + log());
            }
            String log = log();
            Matcher m = LISTENING.matcher(log);
            Matcher management = MANAGEMENT.matcher(log);
            if (m.find() && management.find()) {
                port = Integer.parseInt(m.group(1));
                managementPort = Integer.parseInt(management.group(1));
                try {
                    if ((path.startsWith("/q/") ? management(path) : get(path)).statusCode() == status) {
                        return this;
                    }
                } catch (IOException notYet) {
                    // listening but not answering yet
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError(path + " did not answer " + status + " within " + timeout + ":\n" + log());
    }

    /** For a service expected to refuse to start: its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the service should stop by itself:\n" + log());
        }
        return process.exitValue();
    }

    /** The process id, e.g. to find this replica's connections in {@code pg_stat_activity}. */
    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        return send(request(url(path), headers).GET());
    }

    /** A GET on the management interface: {@code /q/health/ready}, {@code /q/metrics}, {@code /q/openapi}. */
    public HttpResponse<String> management(String path) throws IOException, InterruptedException {
        return send(request("http://127.0.0.1:" + managementPort + path).GET());
    }

    public HttpResponse<String> post(String path, String json, String... headers) throws IOException, InterruptedException {
        return send(request(url(path), headers).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Of {@code emails}, those that do not log in with {@code password}, with the answer; four at a time. */
    public List<String> notLoggingIn(Collection<String> emails, String password) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4); // a fixed pool: blocking sends cannot widen it
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (String e : emails) {
                answers.add(pool.submit(() -> {
                    HttpResponse<String> r = post("/api:main/auth/login", "{\"email\":\"" + e + "\",\"password\":\""
                            + password + "\"}");
                    return r.statusCode() == 200 ? null : e + ": " + r.statusCode() + " " + r.body();
                }));
            }
            List<String> refused = new ArrayList<>();
            for (Future<String> a : answers) {
                if (a.get() != null) {
                    refused.add(a.get());
                }
            }
            return refused;
        } finally {
            pool.shutdownNow();
        }
    }

    private static HttpRequest.Builder request(String url, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        return headers.length == 0 ? b : b.headers(headers);
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** SIGKILL, as a crashed node or an OOM kill: no shutdown hook runs. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Closes those that were started (null for those that were not). */
    public static void closeAll(ServiceProcess... services) throws InterruptedException {
        for (ServiceProcess s : services) {
            if (s != null) {
                s.close();
            }
        }
    }

    /** SIGTERM (a graceful stop), then SIGKILL if it lingers. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }
}
