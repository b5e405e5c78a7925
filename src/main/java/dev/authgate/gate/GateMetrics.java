package dev.authgate.gate;

import java.util.List;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code authgate_gate_decisions_total{rule, outcome}}: one count per answer of {@code /gate/check}. Tag values
 * are configured rule names and the outcomes below only, so series stay few.
 */
@Singleton
class GateMetrics {

    static final String ALLOWED = "allowed";
    static final String UNAUTHORIZED = "unauthorized";
    static final String FORBIDDEN = "forbidden";

    private final MeterRegistry registry;

    GateMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Every series exists from the start: rate() and alerts see 0, not a missing series. */
    void register(List<String> rules) {
        for (String rule : rules) {
            for (String outcome : List.of(ALLOWED, UNAUTHORIZED, FORBIDDEN)) {
                counter(rule, outcome);
            }
        }
    }

    void decision(String rule, String outcome) {
        counter(rule, outcome).increment();
    }

    private Counter counter(String rule, String outcome) {
        return Counter.builder("authgate.gate.decisions").description("Gate decisions by rule and outcome")
                .tags("rule", rule, "outcome", outcome).register(registry);
    }
}
