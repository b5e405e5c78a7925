package dev.authgate.http;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The bodies of the second-factor endpoints. A code is at most 64 characters: no code is longer. */
public final class MfaRequests {

    private MfaRequests() {
    }

    /** {@code POST auth/mfa/verify}. */
    @RegisterForReflection
    public record Verify(
            @JsonProperty("mfa_token") @NotBlank(message = "Missing param: mfa_token")
            @Size(max = 128, message = "Invalid mfa_token.") String mfaToken,
            @NotBlank(message = "Missing param: code") @Size(max = 64, message = "The code is not right.") String code) {
    }

    /** {@code POST auth/mfa/totp/{id}/activate}. */
    @RegisterForReflection
    record Code(@NotBlank(message = "Missing param: code") @Size(max = 64, message = "The code is not right.")
            String code) {
    }

    /** {@code POST auth/mfa/totp}: a name for the factor, as its owner will see it in the list (optional). */
    @RegisterForReflection
    record Enrol(@Size(max = 100, message = "name is at most 100 characters.") String name) {

        String nameOrDefault() {
            return name == null || name.isBlank() ? "Authenticator app" : name.strip();
        }
    }

    static void requireBody(Object body, String field) {
        if (body == null) {
            throw dev.authgate.failure.Failure.missing(field);
        }
    }
}
