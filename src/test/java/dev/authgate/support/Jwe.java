package dev.authgate.support;

import java.util.Base64;
import java.util.Map;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.AESDecrypter;
import com.nimbusds.jose.crypto.AESEncrypter;

/** An independent JOSE library (Nimbus) reading and making tokens with the test keys. */
public final class Jwe {

    /** The dev-only key of application.properties (%dev,test). */
    public static final String DEV_KID = "dev-only-1";
    public static final byte[] DEV_KEY = Base64.getUrlDecoder().decode("ZGV2LW9ubHkta2V5LW5ldmVyLXVzZS1pbi1wcm9kISE");

    private Jwe() {
    }

    public record Decrypted(JWEHeader header, Map<String, Object> claims) {
    }

    public static Decrypted decrypt(String token) {
        return decrypt(token, DEV_KEY);
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
            jwe.encrypt(new AESEncrypter(key));
            return jwe.serialize();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    public static JWEHeader.Builder header(String kid) {
        return new JWEHeader.Builder(JWEAlgorithm.A256KW, EncryptionMethod.A256CBC_HS512).keyID(kid);
    }
}
