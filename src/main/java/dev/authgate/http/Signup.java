package dev.authgate.http;

import static dev.authgate.account.AccountRule.Kind.EMAIL;
import static dev.authgate.account.AccountRule.Kind.NAME;
import static dev.authgate.account.AccountRule.Kind.PASSWORD;

import jakarta.validation.constraints.NotNull;

import io.quarkus.runtime.annotations.RegisterForReflection;

import dev.authgate.account.AccountRule;
import dev.authgate.account.AccountRules;

/** {@code POST auth/signup}. Checked in this order: name, email, password. */
@RegisterForReflection
public record Signup(
        @NotNull(message = "Missing param: name") @AccountRule(NAME) String name,
        @NotNull(message = "Missing param: email") @AccountRule(EMAIL) String email,
        @NotNull(message = "Missing param: password") @AccountRule(PASSWORD) String password) {

    public Signup {
        name = AccountRules.strip(name);
        email = AccountRules.normalizeEmail(email);
    }
}
