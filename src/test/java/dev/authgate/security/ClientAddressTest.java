package dev.authgate.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Which address a request counts as, for throttling: literals only, trusted proxies only, IPv6 by /64. */
class ClientAddressTest {

    private static final String FORWARDED_UNTRUSTED = "authgate.forwarded.untrusted";

    @Test
    void onlyIpLiteralsAreAddressesNeverHostNamesOrAmbiguousShortForms() {
        // hex-only host names: InetAddress.getByName would have looked them up in DNS
        for (String name : new String[] { "cafe", "beef", "dead", "abc", "face.b00c", "localhost", "", " ", "1.2.3.4.5",
                "127.1", "1.1", "0", "10.0.1", "0x7f.0.0.1", "256.1.1.1", "1.2.3.-4", "::1%eth0", "2001:db8::1::2",
                "12345::1", "[::1]", "1.2.3.4/32" }) {
            assertNull(ClientAddress.literal(name), "not an IP literal: '" + name + "'");
        }
        assertArrayEquals(new byte[] { 127, 0, 0, 1 }, ClientAddress.literal("127.0.0.1"));
        assertArrayEquals(new byte[] { 10, 1, 2, 3 }, ClientAddress.literal("::ffff:10.1.2.3"), "IPv4-mapped is IPv4");
        assertEquals(16, ClientAddress.literal("::1").length);
        assertEquals(16, ClientAddress.literal("2001:db8::1").length);
        assertEquals(16, ClientAddress.literal("2001:0db8:0000:0000:0000:0000:0000:0001").length);
    }

    @Test
    void aForwardedNameOrShortFormIsNotBelievedTheSocketCounts() {
        ClientAddress behindProxy = new ClientAddress(List.of("127.0.0.1", "::1"), new SimpleMeterRegistry());
        assertEquals("10.1.0.1", behindProxy.of("127.0.0.1", "203.0.113.7, 10.1.0.1"));
        // "127.1" is 127.0.0.1 to InetAddress: the proxy would have been skipped and the forged hop believed
        assertEquals("127.0.0.1", behindProxy.of("127.0.0.1", "203.0.113.7, 127.1"));
        assertEquals("127.0.0.1", behindProxy.of("127.0.0.1", "203.0.113.7, cafe"));
        assertEquals("127.0.0.1", behindProxy.of("127.0.0.1", "cafe"));
        // one address, one spelling: a trusted proxy's IPv6 socket as Java writes it, and a long-hand hop
        assertEquals("2001:db8::1", behindProxy.of("0:0:0:0:0:0:0:1", "2001:0db8:0000::0001"));
        assertEquals("10.1.2.3", behindProxy.of("::1", "::ffff:10.1.2.3"));
    }

    @Test
    void everyForwardedForLineCountsInOrder() {
        ClientAddress behindProxy = new ClientAddress(List.of("127.0.0.1"), new SimpleMeterRegistry());
        // HAProxy's option forwardfor: the client's line, then the proxy's own
        assertEquals("10.9.8.7", behindProxy.of("127.0.0.1", ClientAddress.forwardedFor(List.of("6.6.6.6", "10.9.8.7"))));
        assertEquals("203.0.113.9", behindProxy.of("127.0.0.1",
                ClientAddress.forwardedFor(List.of("6.6.6.6, 1.2.3.4", "203.0.113.9, 127.0.0.1"))));
        assertNull(ClientAddress.forwardedFor(List.of()));
    }

    @Test
    void ipv6AddressesShareAKeyPerSlash64AndIpv4KeepsItsAddress() {
        String key = ClientAddress.key("2001:db8:1:2:aaaa::1");
        assertEquals("2001:db8:1:2::/64", key);
        assertEquals(key, ClientAddress.key("2001:db8:1:2:ffff:ffff:ffff:ffff"));
        assertEquals(key, ClientAddress.key("2001:0db8:0001:0002:0000:0000:0000:0001"));
        assertNotEquals(key, ClientAddress.key("2001:db8:1:3::1"));
        assertEquals("::/64", ClientAddress.key("::1"));
        assertEquals("10.1.2.3", ClientAddress.key("10.1.2.3"));
        assertEquals("10.1.2.3", ClientAddress.key("::ffff:10.1.2.3"));
        assertEquals("unknown", ClientAddress.key("unknown"));
    }

    @Test
    void forwardedFromAnUntrustedPrivatePeerIsCountedAndSaidOnce() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ClientAddress unset = new ClientAddress(List.of(), registry);
        List<String> warnings = capture(() -> {
            assertEquals("10.0.0.5", unset.of("10.0.0.5", "198.51.100.1"));
            assertEquals("127.0.0.1", unset.of("127.0.0.1", "198.51.100.2"));
            assertEquals("fd00::7", unset.of("fd00::7", "198.51.100.3"));
            // not a proxy of ours, or nothing forwarded: not counted
            assertEquals("203.0.113.5", unset.of("203.0.113.5", "198.51.100.4"));
            assertEquals("10.0.0.5", unset.of("10.0.0.5", null));
        });
        assertEquals(3, registry.get(FORWARDED_UNTRUSTED).counter().count());
        assertEquals(1, warnings.size(), "rate-limited: " + warnings);
        assertTrue(warnings.get(0).contains("10.0.0.5") && warnings.get(0).contains("authgate.throttle.trusted-proxies"),
                warnings.get(0));
        assertTrue(warnings.stream().noneMatch(w -> w.contains("198.51.100")), "the forwarded addresses stay out of the log");

        SimpleMeterRegistry other = new SimpleMeterRegistry();
        ClientAddress set = new ClientAddress(List.of("10.0.0.0/8"), other);
        assertEquals("198.51.100.1", set.of("10.0.0.5", "198.51.100.1"));
        assertEquals(0, other.get(FORWARDED_UNTRUSTED).counter().count());
        assertEquals("192.168.1.1", set.of("192.168.1.1", "198.51.100.1"));
        assertEquals(1, other.get(FORWARDED_UNTRUSTED).counter().count());
    }

    @Test
    void startingWithoutTrustedProxiesIsAWarning() {
        List<String> unset = capture(() -> new ClientAddress(List.of(), new SimpleMeterRegistry()).warnWhenUnset(null));
        assertEquals(1, unset.size());
        assertTrue(unset.get(0).contains("authgate.throttle.trusted-proxies is not set"), unset.get(0));
        assertEquals(List.of(), capture(() -> new ClientAddress(List.of("10.0.0.0/8"), new SimpleMeterRegistry())
                .warnWhenUnset(null)));
    }

    /** WARNING lines ClientAddress logs while {@code work} runs. */
    private static List<String> capture(Runnable work) {
        List<String> lines = new CopyOnWriteArrayList<>();
        Logger logger = Logger.getLogger(ClientAddress.class.getName());
        Handler handler = handler(r -> {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                lines.add(String.valueOf(r.getMessage()).formatted(r.getParameters() == null ? new Object[0] : r.getParameters()));
            }
        });
        logger.addHandler(handler);
        try {
            work.run();
        } finally {
            logger.removeHandler(handler);
        }
        return lines;
    }

    private static Handler handler(Consumer<LogRecord> publish) {
        return new Handler() {
            @Override
            public void publish(LogRecord record) {
                publish.accept(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }
}
