package dev.authgate.oidc;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;

import dev.authgate.token.KeyRing;

/**
 * The provider's signing keys ({@code authgate.oidc.signing-keys}, a JWK Set): the first signs id_tokens and access
 * tokens, every one is published at {@code jwks} and verifies (rotation: add the new key second, publish, then move it
 * first; drop the old one once its tokens have expired). EC P-256 signs ES256, RSA (2048 bits or more) RS256. Keys
 * whose kid starts with {@value KeyRing#DEV_KEY_PREFIX} are refused outside dev and test, as the token keys are.
 */
@Startup
@Singleton
public class SigningKeys {

    public static final JOSEObjectType ACCESS_TOKEN = new JOSEObjectType("at+jwt");
    public static final JOSEObjectType ID_TOKEN = JOSEObjectType.JWT;
    static final String HOW_TO_MAKE_ONE = "Set authgate.oidc.signing-keys to a JWK Set with a private EC P-256 key "
            + "(ES256) or RSA key (RS256) and a kid, e.g. made with `step crypto jwk create` or Nimbus' ECKeyGenerator "
            + "(docs/oidc.md).";

    /** A signing key and the algorithm it signs with. */
    record SigningKey(JWK jwk, JWSAlgorithm algorithm) {
    }

    private final List<SigningKey> keys;
    private final JWSSigner signer;
    private final JWKSet published;
    private final DefaultJWTProcessor<SecurityContext> accessTokens;

    @Inject
    public SigningKeys(OidcConfig config, OidcClients clients) {
        this(parse(config.signingKeys(), LaunchMode.current() != LaunchMode.NORMAL, clients.any()));
    }

    SigningKeys(List<SigningKey> keys) {
        this.keys = keys;
        this.signer = keys.isEmpty() ? null : signer(keys.get(0));
        List<JWK> publicKeys = new ArrayList<>();
        for (SigningKey k : keys) {
            publicKeys.add(k.jwk() instanceof ECKey ec
                    ? new ECKey.Builder(ec.toPublicJWK()).algorithm(k.algorithm()).keyUse(KeyUse.SIGNATURE).build()
                    : new RSAKey.Builder(((RSAKey) k.jwk()).toPublicJWK()).algorithm(k.algorithm())
                            .keyUse(KeyUse.SIGNATURE).build());
        }
        this.published = new JWKSet(publicKeys);
        this.accessTokens = new DefaultJWTProcessor<>();
        accessTokens.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(ACCESS_TOKEN));
        accessTokens.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.ES256, JWSAlgorithm.RS256),
                new ImmutableJWKSet<>(published)));
        // exp (with Nimbus' default clock skew) is checked here; the issuer and the session by the caller
        accessTokens.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>((JWTClaimsSet) null,
                Set.of("iss", "sub", "exp", "iat", "jti", "client_id")));
    }

    /**
     * @param allowDevKeys false in production
     * @param needed whether a client is configured: then keys are required
     */
    static List<SigningKey> parse(Optional<String> jwks, boolean allowDevKeys, boolean needed) {
        Optional<String> json = jwks.map(String::strip).filter(s -> !s.isEmpty());
        if (json.isEmpty()) {
            if (needed) {
                throw new IllegalStateException("authgate.oidc.clients are configured but no signing key. "
                        + HOW_TO_MAKE_ONE);
            }
            return List.of();
        }
        JWKSet set;
        try {
            set = JWKSet.parse(json.get());
        } catch (ParseException e) {
            throw new IllegalStateException("authgate.oidc.signing-keys is not a valid JWK Set. " + HOW_TO_MAKE_ONE);
        }
        if (set.getKeys().isEmpty()) {
            throw new IllegalStateException("authgate.oidc.signing-keys holds no key. " + HOW_TO_MAKE_ONE);
        }
        List<SigningKey> keys = new ArrayList<>();
        for (JWK jwk : set.getKeys()) {
            keys.add(checked(jwk, allowDevKeys));
        }
        if (keys.stream().map(k -> k.jwk().getKeyID()).distinct().count() != keys.size()) {
            throw new IllegalStateException("authgate.oidc.signing-keys has two keys with the same kid.");
        }
        return List.copyOf(keys);
    }

    private static SigningKey checked(JWK jwk, boolean allowDevKeys) {
        String kid = jwk.getKeyID();
        if (kid == null || kid.isBlank()) {
            throw new IllegalStateException("Every key in authgate.oidc.signing-keys needs a \"kid\". " + HOW_TO_MAKE_ONE);
        }
        if (!allowDevKeys && kid.startsWith(KeyRing.DEV_KEY_PREFIX)) {
            throw new IllegalStateException("Signing key \"" + kid + "\" is a dev-only key and is refused outside dev "
                    + "and test. " + HOW_TO_MAKE_ONE);
        }
        if (!jwk.isPrivate()) {
            throw new IllegalStateException("Signing key \"" + kid + "\" has no private part. " + HOW_TO_MAKE_ONE);
        }
        JWSAlgorithm algorithm;
        if (jwk instanceof ECKey ec && Curve.P_256.equals(ec.getCurve())) {
            algorithm = JWSAlgorithm.ES256;
        } else if (jwk instanceof RSAKey rsa && rsa.size() >= 2048) {
            algorithm = JWSAlgorithm.RS256;
        } else {
            throw new IllegalStateException("Signing key \"" + kid + "\" is neither EC P-256 nor RSA of 2048 bits or "
                    + "more. " + HOW_TO_MAKE_ONE);
        }
        if (jwk.getAlgorithm() != null && !algorithm.getName().equals(jwk.getAlgorithm().getName())) {
            throw new IllegalStateException("Signing key \"" + kid + "\" says alg " + jwk.getAlgorithm() + " but signs "
                    + algorithm + ".");
        }
        return new SigningKey(jwk, algorithm);
    }

    private static JWSSigner signer(SigningKey key) {
        try {
            return key.jwk() instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) key.jwk());
        } catch (JOSEException e) {
            throw new IllegalStateException("Signing key \"" + key.jwk().getKeyID() + "\" cannot sign: "
                    + e.getMessage());
        }
    }

    /** Whether the provider is on: a key is configured. */
    public boolean on() {
        return !keys.isEmpty();
    }

    /** The algorithm of the signing key (the first). */
    public JWSAlgorithm algorithm() {
        return keys.get(0).algorithm();
    }

    /** Every algorithm a published key signs with (discovery's {@code id_token_signing_alg_values_supported}). */
    public List<String> algorithms() {
        return keys.stream().map(k -> k.algorithm().getName()).distinct().toList();
    }

    /** The compact JWS of these claims, signed with the first key. */
    public String sign(JWTClaimsSet claims, JOSEObjectType type) {
        SigningKey key = keys.get(0);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(key.algorithm()).keyID(key.jwk().getKeyID()).type(type)
                .build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed", e);
        }
        return jwt.serialize();
    }

    /** The public keys as {@code jwks} publishes them. */
    public Map<String, Object> published() {
        return published.toJSONObject(true);
    }

    /**
     * The claims of an access token this provider signed ({@code typ: at+jwt}, a published key, not expired), or
     * {@code invalid_token}.
     */
    public JWTClaimsSet verifyAccessToken(String token) {
        try {
            return accessTokens.process(token, null);
        } catch (ParseException | BadJOSEException | JOSEException | RuntimeException e) {
            throw OidcFailure.of(OidcFailure.Error.INVALID_TOKEN, "The access token is invalid or expired.");
        }
    }
}
