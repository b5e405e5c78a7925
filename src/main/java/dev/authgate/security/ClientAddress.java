package dev.authgate.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import jakarta.inject.Singleton;

import io.vertx.core.http.HttpServerRequest;

import dev.authgate.config.AuthgateConfig;

/**
 * The client's address for throttling: the socket's, or — only when the socket belongs to a trusted proxy —
 * the right-most address in {@code X-Forwarded-For} that is not itself a trusted proxy.
 */
@Singleton
public class ClientAddress {

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

    private final List<Network> trusted;

    public ClientAddress(AuthgateConfig config) {
        this.trusted = config.throttle().trustedProxies().orElse(List.of()).stream().map(ClientAddress::network).toList();
    }

    public String of(HttpServerRequest request) {
        String socket = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        if (trusted.isEmpty() || !isTrusted(socket)) {
            return socket;
        }
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded == null) {
            return socket;
        }
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (!isLiteral(hop)) {
                return socket; // a forged or garbled header: fall back to what we know
            }
            if (!isTrusted(hop)) {
                return hop;
            }
        }
        return socket;
    }

    private boolean isTrusted(String ip) {
        byte[] bytes = literal(ip);
        return bytes != null && trusted.stream().anyMatch(n -> n.contains(bytes));
    }

    private static boolean isLiteral(String s) {
        return literal(s) != null;
    }

    /** Parses only IP literals: never a DNS lookup. */
    private static byte[] literal(String s) {
        if (s.isEmpty() || s.length() > 45 || !s.matches("[0-9A-Fa-f:.]+")) {
            return null;
        }
        try {
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static Network network(String spec) {
        String[] parts = spec.strip().split("/", 2);
        byte[] address = literal(parts[0]);
        if (address == null) {
            throw new IllegalStateException("authgate.throttle.trusted-proxies: not an IP or CIDR: " + spec);
        }
        int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : address.length * 8;
        if (prefix < 0 || prefix > address.length * 8) {
            throw new IllegalStateException("authgate.throttle.trusted-proxies: bad prefix in " + spec);
        }
        return new Network(address, prefix);
    }
}
