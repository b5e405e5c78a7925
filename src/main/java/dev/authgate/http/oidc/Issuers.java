package dev.authgate.http.oidc;

import java.util.Optional;

import jakarta.inject.Singleton;

import io.vertx.core.http.HttpServerRequest;

import dev.authgate.config.AuthgateConfig;
import dev.authgate.failure.Failure;
import dev.authgate.group.ApiGroup;
import dev.authgate.group.ApiGroups;
import dev.authgate.http.ServerMetadataResource;
import dev.authgate.oidc.OidcConfig;
import dev.authgate.oidc.SigningKeys;

/**
 * A group's issuer, {@code {base}/oidc/{G}}: the base is {@code authgate.oidc.base-url}, else
 * {@code authgate.public-url}, else the request's scheme and Host (dev and tests). A group that does not exist,
 * a branch label, or a provider without signing keys: 404, as any unknown route.
 */
@Singleton
public class Issuers {

    static final String PATH = "/oidc/";

    private final Optional<String> base;
    private final ApiGroups groups;
    private final SigningKeys keys;

    public Issuers(OidcConfig config, AuthgateConfig settings, ApiGroups groups, SigningKeys keys) {
        this.base = config.baseUrl().or(settings::publicUrl).map(ServerMetadataResource::checked);
        this.groups = groups;
        this.keys = keys;
    }

    ApiGroup group(String name) {
        if (!keys.on() || name == null || name.indexOf(':') >= 0) {
            throw Failure.unknownRoute();
        }
        return groups.find(name).orElseThrow(Failure::unknownRoute);
    }

    String issuer(HttpServerRequest request, ApiGroup group) {
        return base.orElseGet(() -> ServerMetadataResource.base(request)) + PATH + group.name();
    }
}
