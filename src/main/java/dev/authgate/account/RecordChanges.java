package dev.authgate.account;

import static dev.authgate.account.AccountRule.Kind.EMAIL;
import static dev.authgate.account.AccountRule.Kind.EXTRAS;
import static dev.authgate.account.AccountRule.Kind.NAME;
import static dev.authgate.account.AccountRule.Kind.PASSWORD;

import java.util.Map;
import java.util.Optional;

import jakarta.validation.constraints.Size;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What an administrator's create or update sets; null leaves a field alone. {@code role} can be cleared: absent is
 * null, {@code "role": null} is {@code Optional.empty()}.
 */
@RegisterForReflection
public record RecordChanges(
        @AccountRule(NAME) String name,
        @AccountRule(EMAIL) String email,
        @AccountRule(PASSWORD) String password,
        Optional<@Size(min = 1, max = AccountRules.MAX_ROLE, message = "role is 1 to " + AccountRules.MAX_ROLE
                + " characters, or null.") String> role,
        @AccountRule(EXTRAS) Map<String, Object> extras) {

    public RecordChanges {
        name = AccountRules.strip(name);
        email = AccountRules.normalizeEmail(email);
        role = role == null ? null : role.map(String::strip);
    }
}
