package dev.authgate.http;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Xano's error shape: every failure leaves as {@code {"code","message","payload"}}. Serialized from a
 * {@code Response} and from Vert.x handlers, where Quarkus cannot infer it: registered for the native image.
 */
@RegisterForReflection
@Schema(name = "ApiError", requiredProperties = { "code", "message", "payload" })
public record ApiError(
        @Schema(description = "ERROR_CODE_INPUT_ERROR, ERROR_CODE_UNAUTHORIZED, ...") String code,
        String message,
        @Schema(description = "{\"param\": field} for input errors, else null", nullable = true) Object payload) {
}
