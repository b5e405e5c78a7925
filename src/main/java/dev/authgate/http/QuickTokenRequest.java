package dev.authgate.http;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;

import io.quarkus.runtime.annotations.RegisterForReflection;

import dev.authgate.token.TokenService;

/** {@code POST auth/quick-token}: the record id, and the expiration in seconds (0 = never; the table's when absent). */
@RegisterForReflection
public record QuickTokenRequest(@NotNull(message = "Missing param: id") Long id,
        @PositiveOrZero(message = "expiration is in seconds, 0 for never.")
        @Max(value = TokenService.MAX_EXPIRATION, message = "expiration is in seconds, 0 (never) to "
                + TokenService.MAX_EXPIRATION + ".") Long expiration) {
}
