package dev.authgate.metrics;

import java.util.Locale;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.authgate.token.InvalidTokenException.Reason;

/**
 * The service's own counters, exported at {@code /q/metrics} (Prometheus adds {@code _total}). Tag values are
 * the constants below and configured table names only: never an email, id or token, so series stay few.
 */
@Singleton
public class AuthMetrics {

    // outcomes of signup and login
    public static final String SUCCESS = "success";
    public static final String IN_USE = "in_use";
    public static final String INVALID_CREDENTIALS = "invalid_credentials";
    public static final String THROTTLED = "throttled";

    // kinds of issued tokens
    public static final String SIGNUP = "signup";
    public static final String LOGIN = "login";
    public static final String QUICK = "quick";

    private final MeterRegistry registry;

    public AuthMetrics(MeterRegistry registry) {
        this.registry = registry;
        // Every refusal reason exists from the start: rate() and alerts see 0, not a missing series.
        for (Reason reason : Reason.values()) {
            refused(reason);
        }
    }

    /** {@code authgate_signups_total{table, outcome}}: {@link #SUCCESS} or {@link #IN_USE}. */
    public void signup(String table, String outcome) {
        counter("authgate.signups", "Sign-up attempts by outcome", "table", table, "outcome", outcome).increment();
    }

    /** {@code authgate_logins_total{table, outcome}}: {@link #SUCCESS}, {@link #INVALID_CREDENTIALS}, {@link #THROTTLED}. */
    public void login(String table, String outcome) {
        counter("authgate.logins", "Login attempts by outcome", "table", table, "outcome", outcome).increment();
    }

    /** {@code authgate_tokens_issued_total{table, kind}}: {@link #SIGNUP}, {@link #LOGIN}, {@link #QUICK}. */
    public void tokenIssued(String table, String kind) {
        counter("authgate.tokens.issued", "authTokens issued", "table", table, "kind", kind).increment();
    }

    /** {@code authgate_tokens_refused_total{reason}}: a token was read but not accepted (the client got 401). */
    public void tokenRefused(Reason reason) {
        refused(reason).increment();
    }

    /**
     * {@code authgate_throttle_address_over_limit_total}: a login let through from an address over its failure
     * limit, because that address had not failed for that account (many clients behind one address, or an attack).
     */
    public void addressOverLimit() {
        counter("authgate.throttle.address.over.limit", "Logins let through from an address over its failure limit")
                .increment();
    }

    /** {@code authgate_quick_tokens_total{table}}: quick test tokens minted by an operator. */
    public void quickToken(String table) {
        counter("authgate.quick.tokens", "Quick test tokens minted", "table", table).increment();
    }

    private Counter refused(Reason reason) {
        return counter("authgate.tokens.refused", "Tokens refused with 401, by reason",
                "reason", reason.name().toLowerCase(Locale.ROOT));
    }

    private Counter counter(String name, String description, String... tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }
}
