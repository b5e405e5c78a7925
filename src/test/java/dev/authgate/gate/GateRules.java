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

import dev.authgate.support.OperatorProfile;

/**
 * The application with the route rules shipped in examples/gate.properties, as the proxies' examples use them, behind
 * NGINX (authgate.gate.forwarded's default); the nested profiles name another proxy. Quick test tokens are on, as the
 * console's workbench needs them to mint a token for each rule's curl (ConsoleGateCurlsTest).
 */
public class GateRules implements QuarkusTestProfile {

    public static final Path FILE = Path.of("examples/gate.properties");

    @Override
    public Map<String, String> getConfigOverrides() {
        return rules();
    }

    /** The same rules behind Caddy. */
    public static class Caddy extends GateRules {
        @Override
        public Map<String, String> getConfigOverrides() {
            return with("caddy");
        }
    }

    /** The same rules behind ingress-nginx. */
    public static class IngressNginx extends GateRules {
        @Override
        public Map<String, String> getConfigOverrides() {
            return with("ingress-nginx");
        }
    }

    static Map<String, String> with(String forwarded) {
        Map<String, String> config = rules();
        config.put("authgate.gate.forwarded", forwarded);
        return config;
    }

    private static Map<String, String> rules() {
        Map<String, String> config = load(FILE);
        config.put("authgate.quick-tokens.secret", OperatorProfile.OPERATOR_KEY);
        return config;
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
