package dev.authgate.token;

/** A token that was read but cannot be accepted. The reason feeds metrics and logs, never the client. */
public final class InvalidTokenException extends Exception {

    public enum Reason { MALFORMED, UNKNOWN_KEY, EXPIRED, REVOKED, OTHER_TABLE, OTHER_ISSUER }

    private final Reason reason;

    public InvalidTokenException(Reason reason) {
        super(reason.name(), null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
