package dev.authgate.gate;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The application with the route rules shipped in examples/gate.properties, as the proxies' examples use them. */
public class GateRules implements QuarkusTestProfile {

    public static final Path FILE = Path.of("examples/gate.properties");

    @Override
    public Map<String, String> getConfigOverrides() {
        return load(FILE);
    }

    static Map<String, String> load(Path file) {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> map = new TreeMap<>();
        props.stringPropertyNames().forEach(k -> map.put(k, props.getProperty(k)));
        return map;
    }
}
