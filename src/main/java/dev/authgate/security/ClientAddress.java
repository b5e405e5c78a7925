package dev.authgate.security;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.NetUtil;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.http.HttpServerRequest;

import dev.authgate.config.AuthgateConfig;

/**
 * The client's address for throttling: the socket's, or — only when the socket belongs to a trusted proxy —
 * the right-most address in {@code X-Forwarded-For} that is not itself a trusted proxy. Address-wide limits
 * key on {@link #addressKey}, which groups IPv6 by /64 (one host usually holds a whole /64).
 */
@Singleton
public class ClientAddress {

    private static final Logger LOG = Logger.getLogger(ClientAddress.class);
    private static final String RESOLVED = ClientAddress.class.getName();

    /** At most one warning per this many nanoseconds about an untrusted proxy: a busy ingress would flood the log. */
    static final long WARN_EVERY_NANOS = 10L * 60 * 1_000_000_000;

    private record Network(byte[] address, int prefix) {
        boolean contains(byte[] candidate) {
            if (candidate.length != address.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (candidate[i] != address[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            return rest == 0 || ((candidate[full] ^ address[full]) & (0xff << (8 - rest)) & 0xff) == 0;
        }
    }

    /** Loopback, RFC 1918, shared (RFC 6598), link-local and unique-local: where proxies of this service live. */
    private static final List<Network> PRIVATE = List.of("127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12",
            "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16", "::1/128", "fc00::/7", "fe80::/10")
            .stream().map(ClientAddress::network).toList();

    private final List<Network> trusted;
    private final Counter untrustedForwarded;
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

    @Inject
    public ClientAddress(AuthgateConfig config, MeterRegistry registry) {
        this(config.throttle().trustedProxies().orElse(List.of()), registry);
    }

    ClientAddress(List<String> trustedProxies, MeterRegistry registry) {
        this.trusted = trustedProxies.stream().map(ClientAddress::network).toList();
        this.untrustedForwarded = Counter.builder("authgate.forwarded.untrusted")
                .description("Requests with X-Forwarded-For from a private or loopback peer that is not a trusted proxy")
                .register(registry);
    }

    void warnWhenUnset(@Observes StartupEvent event) {
        if (trusted.isEmpty()) {
            LOG.warn("authgate.throttle.trusted-proxies is not set: behind an ingress, a load balancer or Knative's "
                    + "queue-proxy every client shares the proxy's address, and one client's failed logins throttle "
                    + "all of them. Set it to the proxies' addresses (docs/security.md).");
        }
    }

    /**
     * The request's client address. Resolved once per request (kept in its duplicated Vert.x context): the throttle,
     * the session's origin and the audit row all ask, and an untrusted proxy's request is counted once.
     */
    public String of(HttpServerRequest request) {
        boolean perRequest = VertxContext.isOnDuplicatedContext();
        if (perRequest) {
            String known = ContextLocals.get(RESOLVED, null);
            if (known != null) {
                return known;
            }
        }
        String socket = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        String address = of(socket, forwardedFor(request.headers().getAll("X-Forwarded-For")));
        if (perRequest) {
            ContextLocals.put(RESOLVED, address);
        }
        return address;
    }

    /**
     * Every X-Forwarded-For line, in order, as one list (RFC 9110 5.3): HAProxy's {@code option forwardfor} appends
     * a line of its own rather than extending the client's, so the first line alone is the client's word.
     */
    static String forwardedFor(List<String> lines) {
        return lines.isEmpty() ? null : String.join(",", lines);
    }

    /**
     * The key address-wide limits count under: {@link #of} with an IPv6 address cut to its /64. Throttle keys
     * per address use this, never {@link #of}: otherwise one IPv6 host has 2^64 addresses to spread guesses over.
     */
    public String addressKey(HttpServerRequest request) {
        return key(of(request));
    }

    /** The address in one canonical spelling ({@code ::1}, not {@code 0:0:0:0:0:0:0:1}): one address, one key. */
    String of(String socket, String forwarded) {
        socket = canonical(withoutZone(socket));
        if (trusted.isEmpty() || !isTrusted(socket)) {
            if (forwarded != null && isPrivate(socket)) {
                untrusted(socket);
            }
            return socket;
        }
        if (forwarded == null) {
            return socket;
        }
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            byte[] bytes = literal(hop);
            if (bytes == null) {
                return socket; // a forged or garbled header: fall back to what we know
            }
            if (!isTrusted(hop)) {
                return NetUtil.bytesToIpAddress(bytes);
            }
        }
        return socket;
    }

    /** An IPv4 address as it is; IPv6 as its /64 network ({@code 2001:db8:0:1::/64}); anything else unchanged. */
    static String key(String address) {
        byte[] bytes = literal(address);
        if (bytes == null) {
            return address;
        }
        if (bytes.length == 4) {
            return NetUtil.bytesToIpAddress(bytes);
        }
        byte[] network = Arrays.copyOf(Arrays.copyOf(bytes, 8), 16);
        return NetUtil.bytesToIpAddress(network) + "/64";
    }

    /** A proxy we do not believe is forwarding: its clients all count as the proxy. Counted, and said now and then. */
    private void untrusted(String peer) {
        untrustedForwarded.increment();
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
            LOG.warnf("X-Forwarded-For arrived from %s, which is not in authgate.throttle.trusted-proxies: its clients "
                    + "share one address for throttling. Add the proxy there if it is yours (docs/security.md).", peer);
        }
    }

    private boolean isTrusted(String ip) {
        byte[] bytes = literal(ip);
        return bytes != null && trusted.stream().anyMatch(n -> n.contains(bytes));
    }

    private static boolean isPrivate(String ip) {
        byte[] bytes = literal(ip);
        return bytes != null && PRIVATE.stream().anyMatch(n -> n.contains(bytes));
    }

    private static String canonical(String address) {
        byte[] bytes = literal(address);
        return bytes == null ? address : NetUtil.bytesToIpAddress(bytes);
    }

    /** The socket's IPv6 scope ({@code fe80::1%eth0}) names an interface, not a host. */
    private static String withoutZone(String socket) {
        int zone = socket.indexOf('%');
        return zone < 0 || socket.indexOf(':') < 0 ? socket : socket.substring(0, zone);
    }

    /**
     * The bytes of an IP literal, or null: dotted-quad IPv4 and RFC 4291 IPv6 only, parsed as text. Never a name
     * lookup (a hex-only host name such as {@code cafe} is not an address) and never the ambiguous short forms
     * ({@code 127.1}, {@code 0}) that {@code InetAddress} reads. IPv4-mapped IPv6 is read as the IPv4 address.
     */
    static byte[] literal(String s) {
        if (s == null || s.isEmpty() || s.length() > 45 || !s.chars().allMatch(ClientAddress::isAddressChar)) {
            return null;
        }
        byte[] bytes = NetUtil.isValidIpV4Address(s) || NetUtil.isValidIpV6Address(s)
                ? NetUtil.createByteArrayFromIpAddressString(s) : null;
        if (bytes != null && bytes.length == 16 && isV4Mapped(bytes)) {
            return Arrays.copyOfRange(bytes, 12, 16);
        }
        return bytes;
    }

    private static boolean isAddressChar(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.';
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    private static Network network(String spec) {
        String[] parts = spec.strip().split("/", 2);
        byte[] address = literal(parts[0]);
        if (address == null) {
            throw new IllegalStateException("authgate.throttle.trusted-proxies: not an IP or CIDR: " + spec);
        }
        int prefix;
        try {
            prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : address.length * 8;
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 0 || prefix > address.length * 8) {
            throw new IllegalStateException("authgate.throttle.trusted-proxies: bad prefix in " + spec);
        }
        return new Network(address, prefix);
    }
}
