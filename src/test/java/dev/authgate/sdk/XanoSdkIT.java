package dev.authgate.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

import dev.authgate.support.RealServer;

/**
 * The official Xano JavaScript SDK (sdk-test/, version locked in its package-lock.json) driven through
 * signup, login, me, errors and the alternative headers against the packaged application.
 * Needs node and npm on PATH: a missing Node fails the build rather than skipping the check.
 */
@QuarkusIntegrationTest
@RealServer
class XanoSdkIT {

    private static final Path DIR = Path.of("sdk-test").toAbsolutePath();
    private static final long TIMEOUT_MINUTES = 5;

    @TestHTTPResource
    URL url;

    @Test
    void officialSdkAgainstPackagedApp() throws Exception {
        if (stale(DIR.resolve("node_modules/.package-lock.json"), DIR.resolve("package-lock.json"))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"), null);
        }
        run(List.of("node", "--test", "sdk.test.mjs"), url.toString().replaceAll("/+$", ""));
    }

    /** No install yet, or one older than the lock file (npm writes node_modules/.package-lock.json last when installing). */
    private static boolean stale(Path installed, Path lock) throws IOException {
        return !Files.exists(installed)
                || Files.getLastModifiedTime(installed).compareTo(Files.getLastModifiedTime(lock)) < 0;
    }

    private static void run(List<String> command, String authgateUrl) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true);
        if (authgateUrl != null) {
            pb.environment().put("AUTHGATE_URL", authgateUrl);
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            fail("'" + command.get(0) + "' could not be started (" + e.getMessage() + "). The SDK test needs Node 20+ and npm"
                    + " on PATH; PATH=" + System.getenv("PATH"));
            return;
        }
        // Drain the merged output while waiting, so a full pipe can never block the child.
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        boolean finished = p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String out = output.get(30, TimeUnit.SECONDS);
        System.out.println("$ " + String.join(" ", command) + " (in " + DIR + File.separator + ")\n" + out);
        if (!finished) {
            fail(String.join(" ", command) + " did not finish within " + TIMEOUT_MINUTES + " minutes (output above)");
        }
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed (output above)");
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
