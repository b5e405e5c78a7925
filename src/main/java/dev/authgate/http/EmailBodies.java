package dev.authgate.http;

import static dev.authgate.account.AccountRule.Kind.EMAIL;
import static dev.authgate.account.AccountRule.Kind.PASSWORD;

import jakarta.validation.constraints.NotNull;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

import dev.authgate.account.AccountRule;
import dev.authgate.account.AccountRules;

/**
 * The bodies the email endpoints read (JSON or form encoding, checked by Bean Validation once the flow is known to
 * be on) and answer; also their OpenAPI schemas. Link tokens and codes are checked for form by {@code mail.Secrets}.
 */
public final class EmailBodies {

    private EmailBodies() {
    }

    @RegisterForReflection
    public record EmailRequest(@NotNull(message = "Missing param: email") @AccountRule(EMAIL) String email) {
        public EmailRequest {
            email = AccountRules.normalizeEmail(email);
        }
    }

    @RegisterForReflection
    public record TokenRequest(@NotNull(message = "Missing param: token") String token) {
        @Override
        public String toString() {
            return "TokenRequest"; // never the token
        }
    }

    @RegisterForReflection
    public record ResetConfirm(@NotNull(message = "Missing param: token") String token,
            @JsonProperty("new_password") @NotNull(message = "Missing param: new_password") @AccountRule(PASSWORD)
            String newPassword) {
        @Override
        public String toString() {
            return "ResetConfirm"; // never the token or the password
        }
    }

    /** Either {@code email} and {@code code}, or {@code token}. */
    @RegisterForReflection
    public record MagicLogin(@AccountRule(EMAIL) String email, String code, String token) {
        public MagicLogin {
            email = AccountRules.normalizeEmail(email);
        }

        @Override
        public String toString() {
            return "MagicLogin"; // never the code or the token
        }
    }

    @RegisterForReflection
    public record EmailChange(
            @JsonProperty("new_email") @NotNull(message = "Missing param: new_email") @AccountRule(EMAIL) String newEmail,
            @NotNull(message = "Missing param: password") String password) {
        public EmailChange {
            newEmail = AccountRules.normalizeEmail(newEmail);
        }

        @Override
        public String toString() {
            return "EmailChange"; // never the password
        }
    }

    /** The answer of every send endpoint, whether or not the email belongs to an account. */
    public record Sent(boolean sent) {
        public static final Sent YES = new Sent(true);
    }

    public record Verified(boolean verified) {
    }

    public record Cancelled(boolean cancelled) {
        public static final Cancelled YES = new Cancelled(true);
    }
}
