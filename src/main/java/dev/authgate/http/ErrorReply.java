package dev.authgate.http;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.authgate.failure.Failure;

/**
 * An error as it leaves, whichever exit writes it ({@link ErrorMapper} for the REST layer, {@link HttpErrors}
 * before and around it): the contract's status, Xano's body and the headers that go with them ({@link #headers()}).
 *
 * @param challenge the {@code WWW-Authenticate} of a 401: {@code Bearer} for a token, Basic for a service client
 *        (RFC 6749 §5.2)
 */
public record ErrorReply(int status, ApiError body, Long retryAfterSeconds, String challenge) {

    static final String TOKEN_CHALLENGE = "Bearer";
    static final String CLIENT_CHALLENGE = "Basic realm=\"authgate\", charset=\"UTF-8\"";

    private ErrorReply(int status, ApiError body, Long retryAfterSeconds) {
        this(status, body, retryAfterSeconds, null);
    }

    private static ErrorReply of(int status, String code, String message) {
        return new ErrorReply(status, new ApiError(code, message, null), null);
    }

    /** The one translation of the core's failures into Xano's codes. */
    public static ErrorReply of(Failure f) {
        return switch (f.kind()) {
            case INVALID_INPUT -> new ErrorReply(400,
                    new ApiError("ERROR_CODE_INPUT_ERROR", f.getMessage(), Map.of("param", f.field())), null);
            case MALFORMED -> badRequest(f.getMessage());
            case TOO_LARGE -> of(413, "ERROR_CODE_PAYLOAD_TOO_LARGE", f.getMessage());
            case EMAIL_TAKEN, INVALID_CREDENTIALS, SIGNUP_CLOSED, DENIED -> accessDenied(f.getMessage());
            case NOT_FOUND -> of(404, "ERROR_CODE_NOT_FOUND", f.getMessage());
            case TOO_MANY_ATTEMPTS -> new ErrorReply(429,
                    new ApiError("ERROR_CODE_TOO_MANY_REQUESTS", f.getMessage(), null), f.retryAfterSeconds());
            case CLIENT_UNAUTHENTICATED -> new ErrorReply(401,
                    new ApiError("ERROR_CODE_UNAUTHORIZED", f.getMessage(), null), null, CLIENT_CHALLENGE);
            case INVALID_TOKEN -> unauthorized();
            case UPSTREAM_UNAVAILABLE -> of(502, "ERROR_CODE_BAD_GATEWAY", f.getMessage());
        };
    }

    public static ErrorReply badRequest(String message) {
        return of(400, "ERROR_CODE_BAD_REQUEST", message);
    }

    public static ErrorReply unauthorized() {
        return new ErrorReply(401, new ApiError("ERROR_CODE_UNAUTHORIZED", "Invalid token.", null), null,
                TOKEN_CHALLENGE);
    }

    public static ErrorReply accessDenied(String message) {
        return of(403, "ERROR_CODE_ACCESS_DENIED", message);
    }

    public static ErrorReply fatal() {
        return of(500, "ERROR_FATAL", "Something went wrong.");
    }

    /** The database is unreachable: it recovers by itself, so the client is told when to retry. */
    public static ErrorReply serviceUnavailable() {
        return new ErrorReply(503, new ApiError("ERROR_CODE_SERVICE_UNAVAILABLE",
                "The service is temporarily unavailable. Try again shortly.", null), 1L);
    }

    /**
     * {@code Retry-After} when the client should come back later; on a 401 its challenge, and {@code no-store}:
     * an answer about credentials is never cached.
     */
    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        if (retryAfterSeconds != null) {
            headers.put("Retry-After", Long.toString(retryAfterSeconds));
        }
        if (challenge != null) {
            headers.put("WWW-Authenticate", challenge);
            headers.put("Cache-Control", "no-store");
        }
        return headers;
    }

    /** Statuses raised by the HTTP layer itself (routing, media types, body size) in the contract's codes. */
    public static ErrorReply fromStatus(int status) {
        return switch (status) {
            case 401 -> unauthorized();
            case 403 -> accessDenied("Access denied.");
            case 404, 405 -> of(Failure.unknownRoute());
            case 413 -> of(Failure.tooLarge());
            case 415 -> badRequest("Unsupported content type: send JSON or form encoding.");
            case 503 -> serviceUnavailable();
            default -> status >= 400 && status < 500 ? badRequest("Bad request.") : fatal();
        };
    }
}
