package dev.authgate.session;

/**
 * Where a token is being issued from, recorded with its session and shown by {@code GET auth/sessions}. The edge
 * supplies it (security/RequestOrigin, from the HTTP request); sessions know nothing of HTTP.
 */
public interface SessionOrigin {

    /** The client's address and user agent; both null outside a request (a token issued by a job, say). */
    record Origin(String ip, String userAgent) {
        public static final Origin NONE = new Origin(null, null);
    }

    Origin current();
}
