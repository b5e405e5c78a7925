package dev.authgate.token;

import java.security.Key;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jwe.ContentEncryptionAlgorithmIdentifiers;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwe.KeyManagementAlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.lang.JoseException;

import dev.authgate.token.InvalidTokenException.Reason;

/**
 * authTokens as compact JWE: {@code A256KW} + {@code A256CBC-HS512} with a {@code kid}, the algorithms of Xano's own
 * tokens. Issued without compression (RFC 8725 §3.6); tokens with {@code zip: DEF} are still read.
 */
public final class TokenCodec {

    /** Longer than any token we issue (extras are bounded); refuse before any parsing work. */
    static final int MAX_TOKEN_LENGTH = 16 * 1024;

    private static final AlgorithmConstraints KEY_ALGORITHMS =
            new AlgorithmConstraints(ConstraintType.PERMIT, KeyManagementAlgorithmIdentifiers.A256KW);
    private static final AlgorithmConstraints CONTENT_ALGORITHMS =
            new AlgorithmConstraints(ConstraintType.PERMIT, ContentEncryptionAlgorithmIdentifiers.AES_256_CBC_HMAC_SHA_512);

    private final KeyRing keys;
    private final String issuer;

    public TokenCodec(KeyRing keys, String issuer) {
        this.keys = keys;
        this.issuer = issuer;
    }

    KeyRing keys() {
        return keys;
    }

    public String encrypt(Auth auth) {
        JwtClaims claims = new JwtClaims();
        claims.setClaim("id", auth.id());
        claims.setClaim("dbtable", auth.dbtable());
        claims.setClaim("extras", auth.extras());
        claims.setClaim("aal", auth.aal());
        claims.setStringListClaim("amr", auth.amr());
        claims.setIssuedAt(NumericDate.fromSeconds(auth.iat()));
        claims.setJwtId(auth.jti().toString());
        claims.setIssuer(issuer);
        claims.setSubject(Long.toString(auth.id()));
        if (auth.expires()) {
            claims.setExpirationTime(NumericDate.fromSeconds(auth.exp()));
        }
        if (auth.clientId() != null) {
            claims.setClaim("client_id", auth.clientId()); // RFC 9068's name: the service client that issued it
        }
        KeyRing.NamedKey key = keys.current();
        JsonWebEncryption jwe = new JsonWebEncryption();
        jwe.setAlgorithmHeaderValue(KeyManagementAlgorithmIdentifiers.A256KW);
        jwe.setEncryptionMethodHeaderParameter(ContentEncryptionAlgorithmIdentifiers.AES_256_CBC_HMAC_SHA_512);
        jwe.setKeyIdHeaderValue(key.kid());
        jwe.setKey(key.key());
        jwe.setPayload(claims.toJson());
        try {
            return jwe.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("token encryption failed", e);
        }
    }

    /**
     * Decrypts and checks a token: algorithms, key, integrity, issuer, claim types and expiry. Revocation and the
     * group's table are checked by the caller, which knows the request.
     */
    public Auth decrypt(String token, long nowSeconds) throws InvalidTokenException {
        if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH || !canonical(token)) {
            throw new InvalidTokenException(Reason.MALFORMED);
        }
        String payload;
        try {
            JsonWebEncryption jwe = new JsonWebEncryption();
            jwe.setAlgorithmConstraints(KEY_ALGORITHMS);
            jwe.setContentEncryptionAlgorithmConstraints(CONTENT_ALGORITHMS);
            jwe.setCompactSerialization(token);
            payload = decryptWithKnownKey(jwe, token);
        } catch (JoseException | RuntimeException e) {
            throw new InvalidTokenException(Reason.MALFORMED);
        }
        Auth auth = claims(payload, issuer);
        if (auth.expires() && nowSeconds >= auth.exp()) {
            throw new InvalidTokenException(Reason.EXPIRED);
        }
        return auth;
    }

    /**
     * Five parts in canonical base64url. jose4j's decoder also takes '+' and '/' and ignores unused trailing
     * bits, so other spellings of the same bytes would be accepted: a token is exactly the string we issued.
     */
    static boolean canonical(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 5) {
            return false;
        }
        Base64.Decoder decoder = Base64.getUrlDecoder();
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        for (String part : parts) {
            try {
                if (!encoder.encodeToString(decoder.decode(part)).equals(part)) {
                    return false;
                }
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return true;
    }

    private String decryptWithKnownKey(JsonWebEncryption jwe, String token) throws JoseException, InvalidTokenException {
        String kid = jwe.getKeyIdHeaderValue();
        if (kid != null) {
            Key key = keys.byKid(kid).orElseThrow(() -> new InvalidTokenException(Reason.UNKNOWN_KEY)).key();
            jwe.setKey(key);
            return jwe.getPayload();
        }
        // Xano's own tokens carry no kid: try every key, integrity decides.
        for (KeyRing.NamedKey candidate : keys.all()) {
            try {
                JsonWebEncryption attempt = new JsonWebEncryption();
                attempt.setAlgorithmConstraints(KEY_ALGORITHMS);
                attempt.setContentEncryptionAlgorithmConstraints(CONTENT_ALGORITHMS);
                attempt.setCompactSerialization(token);
                attempt.setKey(candidate.key());
                return attempt.getPayload();
            } catch (JoseException e) {
                // not this key
            }
        }
        throw new InvalidTokenException(Reason.UNKNOWN_KEY);
    }

    /** {@code aal} 1 or 2 and {@code amr} strings; both absent (a token from before them): aal 1, no methods. */
    private static Assurance assurance(Map<String, Object> raw) throws InvalidTokenException {
        Object aal = raw.get("aal");
        Object amr = raw.get("amr");
        if (aal == null && amr == null) {
            return Assurance.LEGACY;
        }
        if (!(aal instanceof Number n) || n.doubleValue() != n.longValue() || n.longValue() < 1 || n.longValue() > 2
                || !(amr instanceof List<?> methods) || !methods.stream().allMatch(String.class::isInstance)) {
            throw new InvalidTokenException(Reason.MALFORMED);
        }
        return new Assurance(n.intValue(), methods.stream().map(String.class::cast).toList());
    }

    private static Auth claims(String payload, String issuer) throws InvalidTokenException {
        try {
            JwtClaims claims = JwtClaims.parse(payload);
            Map<String, Object> raw = claims.getClaimsMap();
            // Another deployment sharing a key (a copied Secret, staging and production) does not mint our tokens.
            if (!issuer.equals(raw.get("iss"))) {
                throw new InvalidTokenException(Reason.OTHER_ISSUER);
            }
            if (!(raw.get("id") instanceof Number id) || id.longValue() != id.doubleValue()
                    || !(raw.get("dbtable") instanceof String dbtable)
                    || !(raw.get("jti") instanceof String jti)
                    || !(raw.get("iat") instanceof Number iat)) {
                throw new InvalidTokenException(Reason.MALFORMED);
            }
            Object extras = raw.getOrDefault("extras", Map.of());
            Object exp = raw.get("exp");
            Object clientId = raw.get("client_id");
            if (!(extras instanceof Map<?, ?>) || (exp != null && !(exp instanceof Number))
                    || (clientId != null && !(clientId instanceof String))) {
                throw new InvalidTokenException(Reason.MALFORMED);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> extrasMap = (Map<String, Object>) extras;
            return new Auth(id.longValue(), dbtable, extrasMap, iat.longValue(),
                    exp == null ? 0 : ((Number) exp).longValue(), UUID.fromString(jti), (String) clientId,
                    assurance(raw));
        } catch (InvalidJwtException | IllegalArgumentException | NullPointerException e) {
            throw new InvalidTokenException(Reason.MALFORMED);
        }
    }
}
