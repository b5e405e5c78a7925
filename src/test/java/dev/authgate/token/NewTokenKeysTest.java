package dev.authgate.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.authgate.support.Processes;

/** bin/NewTokenKeys.java, run as docs/operations.md says, makes sets that production accepts. */
@Processes
class NewTokenKeysTest {

    private record Run(int exit, String out, String err) {
    }

    private static Run tool(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "bin/NewTokenKeys.java"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the tool should finish");
        return new Run(p.exitValue(), out, err);
    }

    @Test
    void printsAFreshSetThatProductionAccepts() throws Exception {
        Run first = tool(null);
        assertEquals(0, first.exit(), first.err());
        KeyRing ring = KeyRing.parse(Optional.of(first.out()), false);
        assertEquals(1, ring.all().size());
        assertTrue(ring.current().kid().matches("\\d{8}-[0-9a-f]{8}"), ring.current().kid());
        Run second = tool(null);
        assertNotEquals(first.out(), second.out(), "every run makes a new key");
    }

    @Test
    void rotatePrependsANewKeyAndKeepsTheOldOnes() throws Exception {
        String old = tool(null).out();
        String oldKid = KeyRing.parse(Optional.of(old), false).current().kid();

        Run rotated = tool(null, "--rotate", old);
        assertEquals(0, rotated.exit(), rotated.err());
        KeyRing ring = KeyRing.parse(Optional.of(rotated.out()), false);
        assertEquals(2, ring.all().size());
        assertNotEquals(oldKid, ring.current().kid(), "the new key encrypts");
        assertEquals(oldKid, ring.all().get(1).kid(), "the old key still decrypts");

        // from stdin, on a set written by hand with spaces and newlines
        Run piped = tool("{\n  \"keys\": [\n" + old.strip().replaceFirst("^\\{\"keys\":\\[", "").replaceFirst("]}$", "")
                + "\n  ]\n}\n", "--rotate", "-");
        assertEquals(0, piped.exit(), piped.err());
        assertEquals(2, KeyRing.parse(Optional.of(piped.out()), false).all().size());
    }

    @Test
    void refusesWhatIsNotAKeySet() throws Exception {
        Run bad = tool(null, "--rotate", "not json");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("--rotate"), bad.err());
        assertEquals(2, tool(null, "--what").exit());
    }
}
