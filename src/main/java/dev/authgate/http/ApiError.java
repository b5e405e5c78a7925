package dev.authgate.http;

/** Xano's error shape: every failure leaves as {@code {"code","message","payload"}}. */
public record ApiError(String code, String message, Object payload) {
}
