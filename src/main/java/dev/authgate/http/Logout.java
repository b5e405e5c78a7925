package dev.authgate.http;

import jakarta.validation.constraints.Pattern;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** {@code POST auth/logout}: which tokens end; {@code local} when absent. */
@RegisterForReflection
public record Logout(@Pattern(regexp = "local|global|others", message = "scope is one of local, global, others.")
        String scope) {

    String scopeOrDefault() {
        return scope == null ? "local" : scope;
    }
}
