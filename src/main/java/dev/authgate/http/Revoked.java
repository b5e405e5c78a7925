package dev.authgate.http;

/** The answer of logout and password change: how many tokens ended. */
public record Revoked(long revoked) {
}
