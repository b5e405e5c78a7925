package dev.authgate.oidc;

/**
 * An OAuth 2.0 / OpenID Connect error (RFC 6749 §4.1.2.1, §5.2; OIDC Core §3.1.2.6): its wire code and a description
 * for the developer of the client. The edge ({@code http/oidc}) decides how it leaves: redirected to the client, as
 * the token endpoint's JSON, or, when the client or its redirect URI cannot be trusted, as an error page.
 */
public final class OidcFailure extends RuntimeException {

    public enum Error {
        INVALID_REQUEST("invalid_request"),
        INVALID_CLIENT("invalid_client"),
        INVALID_GRANT("invalid_grant"),
        UNAUTHORIZED_CLIENT("unauthorized_client"),
        UNSUPPORTED_GRANT_TYPE("unsupported_grant_type"),
        UNSUPPORTED_RESPONSE_TYPE("unsupported_response_type"),
        INVALID_SCOPE("invalid_scope"),
        ACCESS_DENIED("access_denied"),
        LOGIN_REQUIRED("login_required"),
        CONSENT_REQUIRED("consent_required"),
        INTERACTION_REQUIRED("interaction_required"),
        REQUEST_NOT_SUPPORTED("request_not_supported"),
        REQUEST_URI_NOT_SUPPORTED("request_uri_not_supported"),
        INVALID_TOKEN("invalid_token"),
        SERVER_ERROR("server_error");

        private final String code;

        Error(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final Error error;
    /** The client or its redirect URI is not trusted: never redirect, show the error page. */
    private final boolean untrustedRedirect;

    private OidcFailure(Error error, String description, boolean untrustedRedirect) {
        super(description, null, false, false); // expected outcomes: no stack trace
        this.error = error;
        this.untrustedRedirect = untrustedRedirect;
    }

    public static OidcFailure of(Error error, String description) {
        return new OidcFailure(error, description, false);
    }

    /** An unknown client, or a redirect URI it did not register: shown, never redirected to. */
    public static OidcFailure untrusted(String description) {
        return new OidcFailure(Error.INVALID_REQUEST, description, true);
    }

    public Error error() {
        return error;
    }

    public boolean untrustedRedirect() {
        return untrustedRedirect;
    }
}
