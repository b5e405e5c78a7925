package dev.authgate.http;

import static dev.authgate.account.AccountRule.Kind.EMAIL;

import jakarta.validation.constraints.NotNull;

import io.quarkus.runtime.annotations.RegisterForReflection;

import dev.authgate.account.AccountRule;
import dev.authgate.account.AccountRules;

/** {@code POST auth/login}. The password is not checked against the sign-up rules: it is only compared. */
@RegisterForReflection
public record Login(
        @NotNull(message = "Missing param: email") @AccountRule(EMAIL) String email,
        @NotNull(message = "Missing param: password") String password) {

    public Login {
        email = AccountRules.normalizeEmail(email);
    }
}
