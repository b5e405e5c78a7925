package dev.authgate.support;

import java.util.Base64;
import java.util.Map;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.AESDecrypter;
import com.nimbusds.jose.crypto.AESEncrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

/** An independent JOSE library (Nimbus) reading and making tokens with the test keys. */
public final class Jwe {

    /** The dev-only key of application.properties (%dev,test), refused by the packaged application. */
    public static final String DEV_KID = "dev-only-1";
    public static final byte[] DEV_KEY = Base64.getUrlDecoder().decode("ZGV2LW9ubHkta2V5LW5ldmVyLXVzZS1pbi1wcm9kISE");

    /** The key every test run configures (see PostgresResource): fresh per JVM, so never a real one. */
    public static final String TEST_KID = "test-" + Long.toHexString(System.nanoTime());
    public static final byte[] TEST_KEY = randomKey();

    public static byte[] randomKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return key;
    }

    /**
     * A JWK Set with one ES256 key made for this run, for {@code authgate.oidc.signing-keys} where the packaged
     * application runs as in production, which refuses the dev-only key of application.properties.
     */
    public static String signingKeys() {
        try {
            return new JWKSet(new ECKeyGenerator(Curve.P_256).keyID("test-run-" + System.currentTimeMillis())
                    .algorithm(JWSAlgorithm.ES256).keyUse(KeyUse.SIGNATURE).generate()).toString(false);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JWK Set of oct keys: alternating kid and key arguments. */
    public static String jwks(Object... kidsAndKeys) {
        StringBuilder sb = new StringBuilder("{\"keys\":[");
        for (int i = 0; i < kidsAndKeys.length; i += 2) {
            sb.append(i == 0 ? "" : ",").append("{\"kty\":\"oct\",\"kid\":\"").append(kidsAndKeys[i])
                    .append("\",\"k\":\"").append(Base64.getUrlEncoder().withoutPadding()
                            .encodeToString((byte[]) kidsAndKeys[i + 1])).append("\"}");
        }
        return sb.append("]}").toString();
    }

    private Jwe() {
    }

    public record Decrypted(JWEHeader header, Map<String, Object> claims) {
    }

    public static Decrypted decrypt(String token) {
        return decrypt(token, TEST_KEY);
    }

    public static Decrypted decrypt(String token, byte[] key) {
        try {
            JWEObject jwe = JWEObject.parse(token);
            jwe.decrypt(new AESDecrypter(key));
            return new Decrypted(jwe.getHeader(), jwe.getPayload().toJSONObject());
        } catch (Exception e) {
            throw new AssertionError("token does not decrypt with the key: " + e, e);
        }
    }

    /** A token made outside the service, e.g. with claims or headers the service never issues. */
    public static String encrypt(JWEHeader header, Map<String, Object> claims, byte[] key) {
        try {
            JWEObject jwe = new JWEObject(header, new Payload(claims));
            jwe.encrypt(header.getAlgorithm().equals(JWEAlgorithm.DIR) ? new DirectEncrypter(key) : new AESEncrypter(key));
            return jwe.serialize();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The same token (same session, same jti) with some claims changed or removed (a null value removes one):
     * e.g. a token from before the assurance claims, or one that says aal 2.
     */
    public static String rewritten(String token, Map<String, Object> changes) {
        Map<String, Object> claims = new java.util.HashMap<>(decrypt(token).claims());
        changes.forEach((k, v) -> {
            if (v == null) {
                claims.remove(k);
            } else {
                claims.put(k, v);
            }
        });
        return encrypt(header(TEST_KID).build(), claims, TEST_KEY);
    }

    public static JWEHeader.Builder header(String kid) {
        return new JWEHeader.Builder(JWEAlgorithm.A256KW, EncryptionMethod.A256CBC_HS512).keyID(kid);
    }
}
