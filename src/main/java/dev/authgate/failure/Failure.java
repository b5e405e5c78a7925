package dev.authgate.failure;

/**
 * Why the core refused a request. Accounts, tokens, sessions, throttling and the group registry raise these and
 * know nothing of HTTP; one mapper at the edge ({@code http.ErrorMapper}) turns each kind into Xano's status, code
 * and headers. The kinds are a closed set: a switch over {@link Kind} is checked for completeness by the compiler.
 */
public final class Failure extends RuntimeException {

    public enum Kind {
        /** A field breaks a rule; {@link #field()} names it. */
        INVALID_INPUT,
        /** The body cannot be read at all (not a JSON object, bad form encoding). */
        MALFORMED,
        /** The body is larger than the limit. */
        TOO_LARGE,
        EMAIL_TAKEN,
        INVALID_CREDENTIALS,
        SIGNUP_CLOSED,
        /** Refused for another reason the message gives. */
        DENIED,
        NOT_FOUND,
        /** Too many attempts; {@link #retryAfterSeconds()} says when to come back. */
        TOO_MANY_ATTEMPTS,
        /** A service client's credentials are missing or wrong. */
        CLIENT_UNAUTHENTICATED,
        /** The caller's token was accepted, but its record is gone by the time it is used. */
        INVALID_TOKEN,
        /** An upstream identity provider did not answer (or answered with a server error). */
        UPSTREAM_UNAVAILABLE
    }

    /** Xano's answer for what it cannot route: also an unknown group, branch or managed table. */
    public static final String UNKNOWN_ROUTE = "Unable to locate request.";

    private final Kind kind;
    private final String field;
    private final long retryAfterSeconds;

    private Failure(Kind kind, String message, String field, long retryAfterSeconds) {
        super(message, null, false, false); // expected outcomes: no stack trace to fill or leak
        this.kind = kind;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static Failure invalidInput(String field, String message) {
        return new Failure(Kind.INVALID_INPUT, message, field, 0);
    }

    public static Failure missing(String field) {
        return invalidInput(field, "Missing param: " + field);
    }

    public static Failure malformed(String message) {
        return new Failure(Kind.MALFORMED, message, null, 0);
    }

    public static Failure tooLarge() {
        return new Failure(Kind.TOO_LARGE, "The request body is too large.", null, 0);
    }

    public static Failure emailTaken() {
        return new Failure(Kind.EMAIL_TAKEN, "This account is already in use.", null, 0);
    }

    public static Failure invalidCredentials() {
        return new Failure(Kind.INVALID_CREDENTIALS, "Invalid Credentials.", null, 0);
    }

    public static Failure signupClosed() {
        return new Failure(Kind.SIGNUP_CLOSED, "Sign-up is not allowed for this table.", null, 0);
    }

    public static Failure denied(String message) {
        return new Failure(Kind.DENIED, message, null, 0);
    }

    public static Failure notFound(String message) {
        return new Failure(Kind.NOT_FOUND, message, null, 0);
    }

    public static Failure unknownRoute() {
        return notFound(UNKNOWN_ROUTE);
    }

    public static Failure recordNotFound() {
        return notFound("Record not found.");
    }

    public static Failure tooManyAttempts(long retryAfterSeconds) {
        return new Failure(Kind.TOO_MANY_ATTEMPTS, "Too many attempts. Try again later.", null,
                Math.max(1, retryAfterSeconds));
    }

    public static Failure invalidToken() {
        return new Failure(Kind.INVALID_TOKEN, "Invalid token.", null, 0);
    }

    public static Failure upstreamUnavailable(String message) {
        return new Failure(Kind.UPSTREAM_UNAVAILABLE, message, null, 0);
    }

    public static Failure clientUnauthenticated() {
        return new Failure(Kind.CLIENT_UNAUTHENTICATED, "Client authentication failed.", null, 0);
    }

    public Kind kind() {
        return kind;
    }

    /** The field an {@link Kind#INVALID_INPUT} names, else null. */
    public String field() {
        return field;
    }

    /** Seconds until a {@link Kind#TOO_MANY_ATTEMPTS} clears, else 0. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
