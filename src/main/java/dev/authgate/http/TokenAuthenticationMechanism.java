package dev.authgate.http;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

import dev.authgate.security.TokenAuthenticationRequest;
import dev.authgate.security.TokenHeaders;

/**
 * Reads the token (per {@link TokenHeaders}) on every request. Authentication is proactive, so a token that
 * was read but is not valid gets 401 on every endpoint, public ones too.
 */
@ApplicationScoped
public class TokenAuthenticationMechanism implements HttpAuthenticationMechanism {

    private static final String OIDC = "/oidc/";

    private final TokenHeaders headers;

    public TokenAuthenticationMechanism(TokenHeaders headers) {
        this.headers = headers;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        // the OpenID Provider's endpoints read their own credentials: access tokens (at+jwt), client secrets
        String token = context.normalizedPath().startsWith(OIDC) ? null : headers.tokenOf(context.request().headers());
        if (token == null) {
            return Uni.createFrom().nullItem();
        }
        var request = new TokenAuthenticationRequest(token, GroupPath.of(context).orElse(null));
        return identityProviderManager.authenticate(HttpSecurityUtils.setRoutingContextAttribute(request, context));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }
}
