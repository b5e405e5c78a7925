package dev.authgate.mail;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The bodies the email endpoints read and answer (JSON or form encoding), also their OpenAPI schemas. */
public final class EmailBodies {

    private EmailBodies() {
    }

    public record EmailRequest(String email) {
    }

    public record TokenRequest(String token) {
    }

    public record ResetConfirm(String token, @JsonProperty("new_password") String newPassword) {
    }

    /** Either {@code email} and {@code code}, or {@code token}. */
    public record MagicLogin(String email, String code, String token) {
    }

    public record EmailChange(@JsonProperty("new_email") String newEmail, String password) {
    }

    /** The answer of every send endpoint, whether or not the email belongs to an account. */
    public record Sent(boolean sent) {
        static final Sent YES = new Sent(true);
    }

    public record Verified(boolean verified) {
    }
}
