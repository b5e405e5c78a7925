package dev.authgate.http;

import java.util.Locale;

import jakarta.validation.constraints.Pattern;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** {@code POST auth/logout}: which tokens end; {@code local} when absent (Supabase's scopes). */
@RegisterForReflection
public record Logout(@Pattern(regexp = "local|global|others", message = "scope is one of local, global, others.")
        String scope) {

    enum Scope {
        /** This token. */
        LOCAL,
        /** Every token of the account, and every secret mailed to it. */
        GLOBAL,
        /** Every token of the account but this one. */
        OTHERS
    }

    /** The scope, once Bean Validation has checked the text. */
    Scope scopeOrDefault() {
        return scope == null ? Scope.LOCAL : Scope.valueOf(scope.toUpperCase(Locale.ROOT));
    }
}
