package dev.authgate.http.oidc;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.authgate.oidc.OidcFailure;

/**
 * How the provider's errors leave the back-channel endpoints (token, userinfo): RFC 6749 §5.2's
 * {@code {"error","error_description"}}, 400, or 401 with the challenge for a client ({@code Basic}) or an access
 * token ({@code Bearer}, RFC 6750 §3). The authorization endpoint redirects its errors ({@link #redirect}) or shows
 * them ({@link AuthorizeResource}).
 */
public class OidcErrors {

    static final String NO_STORE = "no-store";

    @ServerExceptionMapper
    public Response toResponse(OidcFailure f) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", f.error().code());
        body.put("error_description", f.getMessage());
        Response.ResponseBuilder r = Response.status(400);
        switch (f.error()) {
            case INVALID_CLIENT -> r.status(401).header(HttpHeaders.WWW_AUTHENTICATE,
                    "Basic realm=\"authgate\", charset=\"UTF-8\"");
            case INVALID_TOKEN -> r.status(401).header(HttpHeaders.WWW_AUTHENTICATE,
                    "Bearer error=\"invalid_token\", error_description=\"" + f.getMessage() + "\"");
            default -> {
            }
        }
        return r.type(MediaType.APPLICATION_JSON_TYPE).entity(body).header(HttpHeaders.CACHE_CONTROL, NO_STORE)
                .header("Pragma", "no-cache").build();
    }

    /** The redirect URI with these parameters added to its query (RFC 6749 §4.1.2: its own query is kept). */
    static String redirect(String redirectUri, Map<String, String> params) {
        StringBuilder uri = new StringBuilder(redirectUri).append(redirectUri.contains("?") ? '&' : '?');
        String sep = "";
        for (var e : params.entrySet()) {
            if (e.getValue() != null) {
                uri.append(sep).append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(),
                        StandardCharsets.UTF_8));
                sep = "&";
            }
        }
        return uri.toString();
    }

    /** An authorization error for the client (RFC 6749 §4.1.2.1), with {@code state} and RFC 9207's {@code iss}. */
    static String redirect(String redirectUri, OidcFailure f, String state, String issuer) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("error", f.error().code());
        params.put("error_description", f.getMessage());
        params.put("state", state);
        params.put("iss", issuer);
        return redirect(redirectUri, params);
    }
}
