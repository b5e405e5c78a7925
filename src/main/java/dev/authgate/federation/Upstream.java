package dev.authgate.federation;

import java.io.IOException;
import java.net.URI;
import java.util.List;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;

/**
 * One upstream provider as a sign-in uses it: where to send the browser, and what the code it sends back proves.
 * An OpenID provider ({@link OidcUpstream}, the {@code google} preset too) or GitHub ({@link GitHubUpstream}, OAuth 2
 * without OpenID Connect).
 */
sealed interface Upstream permits OidcUpstream, GitHubUpstream {

    int CONNECT_TIMEOUT_MS = 5_000;
    int READ_TIMEOUT_MS = 10_000;

    /** The provider did not answer, or answered with a server error: a 502 for the caller. */
    final class Down extends Exception {
        Down(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    /** The provider refused or sent something that does not hold: the sign-in ends on the app with an error. */
    final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** Who the provider says signed in; {@code amr} as its id_token said (empty when it says nothing). */
    record Claims(String subject, String email, boolean emailVerified, String name, List<String> amr) {
    }

    static Upstream of(Providers.Definition definition) {
        return definition.kind() == ProvidersConfig.Kind.GITHUB ? new GitHubUpstream(definition)
                : new OidcUpstream(definition);
    }

    Providers.Definition definition();

    /** Compared with RFC 9207's {@code iss} parameter when the provider sends one. */
    String issuer() throws Down;

    /** Whether the provider promises RFC 9207's {@code iss} on its authorization responses. */
    boolean sendsIssuerParameter() throws Down;

    URI authorizationUrl(URI callback, String state, String nonce, String pkceVerifier) throws Down;

    /** Trades the code (with the flow's PKCE verifier) for who signed in. */
    Claims exchange(String code, URI callback, String pkceVerifier, String nonce) throws Down, Refused;

    /** Sends with the timeouts; no answer or a 5xx is {@link Down}, naming {@code what} was asked. */
    static HTTPResponse send(HTTPRequest request, String what) throws Down {
        request.setConnectTimeout(CONNECT_TIMEOUT_MS);
        request.setReadTimeout(READ_TIMEOUT_MS);
        HTTPResponse answer;
        try {
            answer = request.send();
        } catch (IOException e) {
            throw new Down("the provider's " + what + " did not answer", e);
        }
        if (answer.getStatusCode() >= 500) {
            throw new Down("the provider's " + what + " answered " + answer.getStatusCode(), null);
        }
        return answer;
    }
}
