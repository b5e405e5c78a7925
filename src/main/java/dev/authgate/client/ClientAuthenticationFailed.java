package dev.authgate.client;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.authgate.http.ApiError;

/** A client that failed authentication: 401 in the error shape with a Basic challenge (RFC 6749 §5.2). */
public final class ClientAuthenticationFailed extends RuntimeException {

    static final String CHALLENGE = "Basic realm=\"authgate\", charset=\"UTF-8\"";

    ClientAuthenticationFailed() {
        super("client authentication failed", null, false, false);
    }

    /** A global mapper, like ErrorMapper's. */
    public static class Mapper {
        @ServerExceptionMapper
        public Response map(ClientAuthenticationFailed e) {
            return Response.status(401).type(MediaType.APPLICATION_JSON).header("WWW-Authenticate", CHALLENGE)
                    .header("Cache-Control", "no-store")
                    .entity(new ApiError("ERROR_CODE_UNAUTHORIZED", "Client authentication failed.", null)).build();
        }
    }
}
