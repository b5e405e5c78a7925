package dev.authgate.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
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

/**
 * One of the apps in {@code examples/} that use Authgate the way a team would (quarkus-oidc as a resource server, as
 * a web app), built with the project's own Maven wrapper and run as its own process beside the packaged Authgate.
 */
public final class ExampleApp implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("Listening on: http://[^\\s:]+:(\\d+)");

    private final Process process;
    private final Path log;
    private final int port;

    private ExampleApp(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * {@code mvnw -f examples/NAME package} from the surrounding build's local repository: once the example's few
     * extra artifacts are there, Maven needs no network for it. Output in target/NAME-build.log.
     */
    public static void build(String name) throws Exception {
        Path project = Path.of("examples", name);
        Path output = Files.createDirectories(Path.of("target")).resolve(name + "-build.log");
        List<String> command = new ArrayList<>(List.of(Path.of("mvnw").toAbsolutePath().toString(), "-B", "-f",
                project.resolve("pom.xml").toString(), "package", "-DskipTests"));
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
            throw new AssertionError("the build of examples/" + name + " took over 15 minutes; see " + output);
        }
        assertEquals(0, build.exitValue(), "the build of examples/" + name + " failed; see " + output.toAbsolutePath());
    }

    /** Starts the built example with only these settings of ours in its environment; returns once it listens. */
    public static ExampleApp start(String name, Map<String, String> environment) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-jar",
                Path.of("examples", name, "target", "quarkus-app", "quarkus-run.jar").toString());
        pb.environment().keySet().removeIf(k -> k.startsWith("AUTHGATE_") || k.startsWith("QUARKUS_") || k.startsWith("APP_"));
        pb.environment().putAll(environment);
        Path log = Files.createTempFile(Files.createDirectories(Path.of("target", "service-logs")), name + "-", ".log");
        Process process = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos(); // a generous ceiling: CI may be busy
        while (System.nanoTime() < deadline) {
            String written = Files.readString(log, StandardCharsets.UTF_8);
            if (!process.isAlive()) {
                throw new AssertionError("examples/" + name + " exited with " + process.exitValue() + ":\n" + written);
            }
            Matcher m = LISTENING.matcher(written);
            if (m.find()) {
                return new ExampleApp(process, log, Integer.parseInt(m.group(1)));
            }
            Thread.sleep(200);
        }
        process.destroyForcibly();
        throw new AssertionError("examples/" + name + " did not start within 180 s:\n" + Files.readString(log));
    }

    public int port() {
        return port;
    }

    public String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
