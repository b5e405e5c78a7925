package dev.authgate.http;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.http.HttpServerRequest;

import dev.authgate.client.ServerMetadata;
import dev.authgate.config.AuthgateConfig;

/**
 * {@code GET /.well-known/oauth-authorization-server} (RFC 8414). Its URLs start with {@code authgate.public-url}
 * when set; otherwise with the request's scheme and Host, which is right when clients reach Authgate directly and
 * is why deployments behind a proxy set the public URL.
 */
@Startup // a wrong public URL stops the start, not the first request
@Path("/.well-known/oauth-authorization-server")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Service clients")
public class ServerMetadataResource {

    /** A Host header we are willing to repeat: a name or an address, and a port. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+\\](:\\d{1,5})?");

    private final Optional<String> publicUrl;

    public ServerMetadataResource(AuthgateConfig config) {
        this.publicUrl = config.publicUrl().map(ServerMetadataResource::checked);
    }

    @GET
    @NonBlocking
    @Operation(summary = "OAuth 2.0 authorization server metadata (RFC 8414)",
            description = "Where introspection and revocation are, and how clients authenticate to them.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ServerMetadata.class)))
    public ServerMetadata metadata(@Context HttpServerRequest request) {
        return ServerMetadata.at(publicUrl.orElseGet(() -> base(request)));
    }

    public static String base(HttpServerRequest request) {
        String host = request.getHeader("Host");
        if (host == null || !HOST.matcher(host).matches()) {
            String address = request.localAddress().hostAddress();
            host = (address.contains(":") ? "[" + address + "]" : address) + ":" + request.localAddress().port();
        }
        return request.scheme() + "://" + host;
    }

    /** An absolute http(s) URL without query or fragment (RFC 8414 §2), kept without a trailing slash. */
    public static String checked(String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("authgate.public-url is not a URL: " + url);
        }
        if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalStateException("authgate.public-url must be an absolute http(s) URL without query or"
                    + " fragment, e.g. https://auth.example.com");
        }
        return uri.toString().replaceAll("/+$", "");
    }
}
