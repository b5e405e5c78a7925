package dev.authgate.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** {@link Schema#LATEST} is the newest migration this build ships: a new migration must raise it. */
class SchemaVersionTest {

    private static final Pattern VERSIONED = Pattern.compile("V([0-9][0-9._]*)__.+\\.sql");

    @Test
    void latestIsTheNewestMigration() throws IOException {
        List<String> versions;
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            versions = files.map(f -> VERSIONED.matcher(f.getFileName().toString()))
                    .filter(Matcher::matches).map(m -> m.group(1).replace('_', '.')).toList();
        }
        String newest = versions.stream().max(SchemaVersionTest::compare).orElseThrow();
        assertEquals(newest, Schema.LATEST, "raise Schema.LATEST to the newest migration, V" + newest);
    }

    /** Flyway's order: part by part, numerically. */
    private static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = (i < x.length ? new BigInteger(x[i]) : BigInteger.ZERO)
                    .compareTo(i < y.length ? new BigInteger(y[i]) : BigInteger.ZERO);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
