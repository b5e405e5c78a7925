package dev.authgate.http;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Xano's error shape: every failure leaves as {@code {"code","message","payload"}}. Serialized from a
 * {@code Response} and from Vert.x handlers, where Quarkus cannot infer it: registered for the native image.
 */
@RegisterForReflection
public record ApiError(String code, String message, Object payload) {
}
