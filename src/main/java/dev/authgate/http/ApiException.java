package dev.authgate.http;

import java.util.Map;

/** A failure a client can act on, with the status and code of SPEC.md's error table. */
public final class ApiException extends RuntimeException {

    private final int status;
    private final ApiError error;
    private final Long retryAfterSeconds;

    private ApiException(int status, String code, String message, Object payload, Long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.error = new ApiError(code, message, payload);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 400 naming the field: {@code {"param": "email"}}. */
    public static ApiException input(String param, String message) {
        return new ApiException(400, "ERROR_CODE_INPUT_ERROR", message, Map.of("param", param), null);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "ERROR_CODE_BAD_REQUEST", message, null, null);
    }

    public static ApiException unauthorized() {
        return new ApiException(401, "ERROR_CODE_UNAUTHORIZED", "Invalid token.", null, null);
    }

    public static ApiException accessDenied(String message) {
        return new ApiException(403, "ERROR_CODE_ACCESS_DENIED", message, null, null);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "ERROR_CODE_NOT_FOUND", message, null, null);
    }

    public static ApiException payloadTooLarge() {
        return new ApiException(413, "ERROR_CODE_PAYLOAD_TOO_LARGE", "The request body is too large.", null, null);
    }

    public static ApiException tooManyRequests(long retryAfterSeconds) {
        return new ApiException(429, "ERROR_CODE_TOO_MANY_REQUESTS", "Too many attempts. Try again later.", null,
                retryAfterSeconds);
    }

    public static ApiException fatal() {
        return new ApiException(500, "ERROR_FATAL", "Something went wrong.", null, null);
    }

    public static ApiException serviceUnavailable() {
        return new ApiException(503, "ERROR_CODE_SERVICE_UNAVAILABLE",
                "The service is temporarily unavailable. Try again shortly.", null, 1L);
    }

    public int status() {
        return status;
    }

    public ApiError error() {
        return error;
    }

    /** Seconds for {@code Retry-After}, or null. */
    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
