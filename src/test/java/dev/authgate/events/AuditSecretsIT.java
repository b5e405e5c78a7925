package dev.authgate.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.authgate.support.AuditScanListener;

/**
 * Every audit row the whole unit suite wrote (scanned by AuditScanListener when its run ended): none holds a
 * password, a hash, a webhook secret or a token the suite used.
 */
class AuditSecretsIT {

    @Test
    void noRowTheUnitSuiteWroteHoldsASecret() throws Exception {
        Path scan = Path.of(AuditScanListener.FILE);
        assumeTrue(Files.exists(scan), "the unit suite did not run in this build");
        List<String> lines = Files.readAllLines(scan);
        assertTrue(!lines.isEmpty() && lines.get(0).startsWith("rows "), "the scan ran: " + lines);
        long rows = Long.parseLong(lines.get(0).substring("rows ".length()));
        System.out.printf("AuditSecretsIT: %d audit rows of the unit suite scanned%n", rows);
        assumeTrue(rows > 0, "the unit suite's databases held no audit rows (a partial run)");
        assertEquals(List.of(), lines.subList(1, lines.size()));
    }
}
