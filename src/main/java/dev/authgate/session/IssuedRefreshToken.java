package dev.authgate.session;

import jakarta.enterprise.context.RequestScoped;

import io.quarkus.arc.Arc;

/**
 * The refresh token a sign-in opened in this request, on its way to the answer. The sign-in paths (login, sign-up,
 * second factors, passkeys, mailed links, providers) hand the authToken up through several layers as a string; the
 * refresh token {@link SessionIssuer} opened in the same transaction travels beside it here, and the edge adds it to
 * the answer (http/RefreshTokenAnswer), instead of every one of those signatures changing.
 */
@RequestScoped
public class IssuedRefreshToken {

    private String token;

    /** Outside a request (a job, a test calling a service) no one could receive a refresh token. */
    static boolean receivable() {
        return Arc.container().requestContext().isActive();
    }

    public void set(String token) {
        this.token = token;
    }

    /** The refresh token opened in this request, once; null when none was. */
    public String take() {
        String t = token;
        token = null;
        return t;
    }

    @Override
    public String toString() {
        return "IssuedRefreshToken"; // never the token
    }
}
