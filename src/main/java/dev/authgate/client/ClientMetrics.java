package dev.authgate.client;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code authgate_client_calls_total{client, endpoint, outcome}}: every call of a service client. The client tag is
 * a configured id or {@value #UNKNOWN}, never what a caller made up, so series stay few.
 */
@Singleton
public class ClientMetrics {

    public static final String UNKNOWN = "unknown";
    // outcomes
    public static final String OK = "ok";
    public static final String UNAUTHENTICATED = "unauthenticated";
    public static final String THROTTLED = "throttled";
    public static final String FORBIDDEN = "forbidden";
    public static final String REJECTED = "rejected";
    // endpoints
    public static final String INTROSPECT = "introspect";
    public static final String REVOKE = "revoke";
    public static final String ISSUE = "issue";

    private final MeterRegistry registry;

    public ClientMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void call(String client, String endpoint, String outcome) {
        Counter.builder("authgate.client.calls").description("Calls of service clients by outcome")
                .tags("client", client, "endpoint", endpoint, "outcome", outcome).register(registry).increment();
    }
}
