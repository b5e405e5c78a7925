package dev.authgate.federation;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.JWKSetUnavailableException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;

/**
 * One OpenID provider through Nimbus' OAuth 2.0 / OpenID Connect SDK: discovery (re-read hourly), the authorization
 * URL, the code exchange and the id_token's validation (signature by the provider's JWKS, {@code iss}, {@code aud},
 * {@code exp}, {@code iat}, {@code nonce}; {@code azp} when present). The JWKS is cached; a {@code kid} it does not
 * hold makes it refetch, at most once every {@link #JWKS_MIN_INTERVAL}, so rotated keys are picked up and a flood
 * of made-up kids cannot hammer the provider.
 */
final class OidcUpstream implements Upstream {

    static final Duration METADATA_TTL = Duration.ofHours(1);
    static final Duration JWKS_MIN_INTERVAL = Duration.ofSeconds(10);

    private record Resolved(OIDCProviderMetadata metadata, IDTokenValidator validator, Instant at) {
    }

    private final Providers.Definition definition;
    private final ClientID clientId;
    private volatile Resolved resolved;

    OidcUpstream(Providers.Definition definition) {
        this.definition = definition;
        this.clientId = new ClientID(definition.clientId());
    }

    @Override
    public Providers.Definition definition() {
        return definition;
    }

    @Override
    public String issuer() throws Down {
        return resolved().metadata().getIssuer().getValue();
    }

    @Override
    public boolean sendsIssuerParameter() throws Down {
        return resolved().metadata().supportsAuthorizationResponseIssuerParam();
    }

    @Override
    public URI authorizationUrl(URI callback, String state, String nonce, String pkceVerifier) throws Down {
        return new AuthenticationRequest.Builder(ResponseType.CODE, new Scope(definition.scopes().toArray(String[]::new)),
                clientId, callback)
                .endpointURI(resolved().metadata().getAuthorizationEndpointURI())
                .state(new State(state))
                .nonce(new Nonce(nonce))
                .codeChallenge(new CodeVerifier(pkceVerifier), CodeChallengeMethod.S256)
                .build().toURI();
    }

    /** Trades the code for tokens and validates the id_token. */
    @Override
    public Claims exchange(String code, URI callback, String pkceVerifier, String nonce) throws Down, Refused {
        Resolved r = resolved();
        var grant = new AuthorizationCodeGrant(new AuthorizationCode(code), callback, new CodeVerifier(pkceVerifier));
        TokenRequest request = definition.clientSecret()
                .map(s -> new TokenRequest(r.metadata().getTokenEndpointURI(),
                        new ClientSecretBasic(clientId, new Secret(s)), grant, null))
                .orElseGet(() -> new TokenRequest(r.metadata().getTokenEndpointURI(), clientId, grant, null));
        HTTPResponse answer = Upstream.send(request.toHTTPRequest(), "token endpoint");
        TokenResponse parsed;
        try {
            parsed = OIDCTokenResponseParser.parse(answer);
        } catch (ParseException e) {
            throw new Refused("the provider's token response could not be read");
        }
        if (!parsed.indicatesSuccess()) {
            ErrorObject error = parsed.toErrorResponse().getErrorObject();
            throw new Refused("the provider refused the code: " + (error == null ? "no reason" : error.getCode()));
        }
        JWT idToken = ((OIDCTokenResponse) parsed.toSuccessResponse()).getOIDCTokens().getIDToken();
        if (idToken == null) {
            throw new Refused("the provider sent no id_token");
        }
        IDTokenClaimsSet claims;
        try {
            claims = r.validator().validate(idToken, new Nonce(nonce));
        } catch (BadJOSEException e) {
            throw new Refused("the id_token is invalid: " + e.getMessage());
        } catch (JOSEException e) {
            if (e instanceof JWKSetUnavailableException || e.getCause() instanceof IOException) {
                throw new Down("the provider's keys could not be fetched", e);
            }
            throw new Refused("the id_token could not be verified: " + e.getMessage());
        }
        // the id_token is valid; OpenID Connect Core 3.1.3.7 item 5: an azp, when present, must be this client
        Object azp = claims.getClaim("azp");
        if (azp != null && !definition.clientId().equals(azp)) {
            throw new Refused("the id_token was issued to another client (azp)");
        }
        Boolean verified = claims.getBooleanClaim("email_verified");
        String email = claims.getStringClaim("email");
        List<String> amr = claims.getStringListClaim("amr");
        return new Claims(claims.getSubject().getValue(), email, Boolean.TRUE.equals(verified),
                claims.getStringClaim("name"), amr == null ? List.of() : amr);
    }

    private Resolved resolved() throws Down {
        Resolved r = resolved;
        if (r != null && r.at().plus(METADATA_TTL).isAfter(Instant.now())) {
            return r;
        }
        synchronized (this) {
            if (resolved != r) {
                return resolved;
            }
            try {
                resolved = resolve();
            } catch (Down e) {
                if (r == null) {
                    throw e;
                }
                resolved = new Resolved(r.metadata(), r.validator(), Instant.now()); // keep the last good one an hour
            }
            return resolved;
        }
    }

    private Resolved resolve() throws Down {
        OIDCProviderMetadata metadata;
        try {
            metadata = OIDCProviderMetadata.resolve(new Issuer(definition.issuer()), CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS);
        } catch (IOException | GeneralException e) {
            throw new Down("the provider's discovery document could not be read", e);
        }
        if (metadata.getJWKSetURI() == null || metadata.getTokenEndpointURI() == null) {
            throw new Down("the provider's discovery document names no jwks_uri or token_endpoint", null);
        }
        List<JWSAlgorithm> algorithms = Optional.ofNullable(metadata.getIDTokenJWSAlgs()).orElse(List.of()).stream()
                .filter(a -> JWSAlgorithm.Family.RSA.contains(a) || JWSAlgorithm.Family.EC.contains(a)
                        || JWSAlgorithm.Family.ED.contains(a))
                .toList();
        if (algorithms.isEmpty()) {
            algorithms = List.of(JWSAlgorithm.RS256);
        }
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.<SecurityContext>create(metadata.getJWKSetURI().toURL(),
                    new DefaultResourceRetriever(CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS, 512 * 1024))
                    .cache(Duration.ofMinutes(15).toMillis(), READ_TIMEOUT_MS)
                    .rateLimited(JWKS_MIN_INTERVAL.toMillis())
                    .refreshAheadCache(false)
                    .retrying(false)
                    .build();
        } catch (MalformedURLException e) {
            throw new Down("the provider's jwks_uri is not a URL", e);
        }
        var validator = new IDTokenValidator(metadata.getIssuer(), clientId,
                new JWSVerificationKeySelector<>(java.util.Set.copyOf(algorithms), keys), null);
        validator.setMaxClockSkew(60);
        return new Resolved(metadata, validator, Instant.now());
    }
}
