package dev.authgate.http;

import static dev.authgate.account.AccountRule.Kind.PASSWORD;

import jakarta.validation.constraints.NotNull;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

import dev.authgate.account.AccountRule;

/** {@code POST auth/password}: the current password proves the caller, the new one follows the sign-up rules. */
@RegisterForReflection
public record PasswordChange(
        @JsonProperty("current_password") @NotNull(message = "Missing param: current_password") String currentPassword,
        @JsonProperty("new_password") @NotNull(message = "Missing param: new_password") @AccountRule(PASSWORD)
        String newPassword) {
}
