package dev.authgate.http.oidc;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;

import io.vertx.core.http.HttpServerRequest;

import dev.authgate.group.ApiGroup;
import dev.authgate.oidc.OidcClient;
import dev.authgate.oidc.OidcFailure;
import dev.authgate.oidc.OidcFailure.Error;
import dev.authgate.oidc.OidcTokens;
import dev.authgate.oidc.TokenSet;
import dev.authgate.oidc.UserInfo;

/**
 * The token endpoint (RFC 6749 §3.2, §4.1.3; the client authenticates with {@code client_secret_basic},
 * {@code client_secret_post}, or, public, its {@code client_id} alone) and userinfo (OIDC Core §5.3). Errors leave
 * through {@link OidcErrors}.
 */
@Path("/oidc/{group}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "OpenID Provider")
public class TokenResource {

    static final String AUTHORIZATION_CODE = "authorization_code";
    static final String REFRESH_TOKEN = "refresh_token";
    private static final String BEARER = "bearer ";

    private final Issuers issuers;
    private final ClientAuthentication clientAuthentication;
    private final OidcTokens tokens;
    private final UserInfo userInfo;

    public TokenResource(Issuers issuers, ClientAuthentication clientAuthentication, OidcTokens tokens,
            UserInfo userInfo) {
        this.issuers = issuers;
        this.clientAuthentication = clientAuthentication;
        this.tokens = tokens;
        this.userInfo = userInfo;
    }

    @POST
    @Path("token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Token endpoint: grant_type=authorization_code (PKCE S256) or refresh_token (rotated)")
    public Response token(@PathParam("group") String group, @RestForm("grant_type") String grantType,
            @RestForm String code, @RestForm("redirect_uri") String redirectUri,
            @RestForm("code_verifier") String codeVerifier, @RestForm("client_id") String clientId,
            @RestForm("client_secret") String clientSecret, @RestForm("refresh_token") String refreshToken,
            @RestForm String scope,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context HttpServerRequest request) {
        ApiGroup g = issuers.group(group);
        if (grantType == null || grantType.isEmpty()) {
            throw OidcFailure.of(Error.INVALID_REQUEST, "grant_type is missing.");
        }
        OidcClient client = clientAuthentication.authenticate(g, authorization, blankIsNull(clientId),
                blankIsNull(clientSecret));
        TokenSet set = switch (grantType) {
            case AUTHORIZATION_CODE -> tokens.exchangeCode(issuers.issuer(request, g), client, blankIsNull(code),
                    blankIsNull(redirectUri), blankIsNull(codeVerifier));
            case REFRESH_TOKEN -> tokens.refresh(issuers.issuer(request, g), g.table(), client,
                    blankIsNull(refreshToken), blankIsNull(scope));
            default -> throw OidcFailure.of(Error.UNSUPPORTED_GRANT_TYPE, "grant_type " + grantType
                    + " is not supported.");
        };
        return noStore(Response.ok(answer(set)));
    }

    /** RFC 6749 §5.1. */
    static Map<String, Object> answer(TokenSet set) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", set.accessToken());
        body.put("token_type", "Bearer");
        body.put("expires_in", set.expiresIn());
        body.put("id_token", set.idToken());
        body.put("scope", set.scope());
        if (set.refreshToken() != null) {
            body.put("refresh_token", set.refreshToken());
        }
        return body;
    }

    @GET
    @Path("userinfo")
    @Operation(summary = "The signed-in account's claims (OIDC Core §5.3)")
    public Response userinfo(@PathParam("group") String group,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context HttpServerRequest request) {
        ApiGroup g = issuers.group(group);
        String token = authorization != null && authorization.strip().regionMatches(true, 0, BEARER, 0,
                BEARER.length()) ? authorization.strip().substring(BEARER.length()).strip() : null;
        return noStore(Response.ok(userInfo.claims(issuers.issuer(request, g), g.table(), token)));
    }

    @POST
    @Path("userinfo")
    @Operation(summary = "The same, by POST (OIDC Core §5.3.1)")
    public Response userinfoByPost(@PathParam("group") String group,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context HttpServerRequest request) {
        return userinfo(group, authorization, request);
    }

    static Response noStore(Response.ResponseBuilder r) {
        return r.header(HttpHeaders.CACHE_CONTROL, OidcErrors.NO_STORE).header("Pragma", "no-cache").build();
    }

    static String blankIsNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
