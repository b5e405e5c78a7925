package dev.authgate.client;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Service clients for the tests (also for the packaged application in *IT). 127.0.0.1 is a trusted proxy, so
 * X-Forwarded-For stands for distinct client addresses; throttling limits are low so that tests can reach them. The
 * console is off, as in a deployment that only serves API consumers (ConsoleOffTest).
 */
public class ClientsProfile implements QuarkusTestProfile {

    /** id → secret; groups and scopes below. */
    public static final String READER = "reader";
    public static final String POSTER = "poster";
    public static final String STAFF_READER = "staff-reader";
    public static final String NO_SCOPE = "no-scope";
    public static final String MINTER = "minter";
    public static final String ROLE_MINTER = "role-minter";
    /** May set extras.verified, and issue tokens that never expire. */
    public static final String VERIFIED_MINTER = "verified-minter";
    /** Tokens of at most an hour. */
    public static final String HOUR_MINTER = "hour-minter";
    public static final String WRONGED = "wronged";
    public static final String LOCKED = "locked";
    public static final String CONSUMER = "consumer";
    public static final String ENCODED = "encoded";

    public static final int MAX_FAILURES = 4;
    public static final int MAX_FAILURES_PER_ADDRESS = 6;

    public static String secret(String client) {
        return ENCODED.equals(client) ? "a+b/c%d:e " + "x".repeat(32) : "secret-of-" + client + "-0123456789abcdef0123456789";
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> c = new HashMap<>();
        client(c, READER, "main", "introspect,revoke");
        client(c, POSTER, "main", "introspect");
        client(c, STAFF_READER, "staff", "introspect,revoke");
        client(c, NO_SCOPE, "main", "revoke");
        client(c, MINTER, "main", "issue,introspect");
        client(c, ROLE_MINTER, "main,staff", "issue,issue:role");
        client(c, VERIFIED_MINTER, "main", "issue,issue:verified,introspect");
        c.put("authgate.clients." + VERIFIED_MINTER + ".max-expiration", "0");
        client(c, HOUR_MINTER, "main", "issue");
        c.put("authgate.clients." + HOUR_MINTER + ".max-expiration", "1H");
        client(c, WRONGED, "main", "introspect");
        client(c, LOCKED, "main", "introspect");
        client(c, CONSUMER, "main", "introspect");
        client(c, ENCODED, "main", "introspect");
        c.put("authgate.throttle.clients.max-failures", Integer.toString(MAX_FAILURES));
        c.put("authgate.throttle.clients.max-failures-per-address", Integer.toString(MAX_FAILURES_PER_ADDRESS));
        c.put("authgate.throttle.trusted-proxies", "127.0.0.1,::1");
        c.put("authgate.console.enabled", "false");
        return c;
    }

    private static void client(Map<String, String> c, String id, String groups, String scopes) {
        c.put("authgate.clients." + id + ".secret", secret(id));
        c.put("authgate.clients." + id + ".groups", groups);
        c.put("authgate.clients." + id + ".scopes", scopes);
    }
}
