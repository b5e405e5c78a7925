package dev.authgate.events;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signing: {@code v1,} and the base64 HMAC-SHA256, keyed by the secret after {@code whsec_}, of
 * {@code <webhook-id>.<webhook-timestamp>.<body>}. Used by webhooks and by the token hook.
 */
public final class Signature {

    public static final String PREFIX = "whsec_";
    static final int MIN_KEY_BYTES = 24;

    private Signature() {
    }

    /** The key of a {@code whsec_} secret; IllegalArgumentException (without the secret) when it is not one. */
    public static byte[] key(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            throw new IllegalArgumentException("is not a whsec_ secret");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not whsec_ and base64");
        }
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("has fewer than " + MIN_KEY_BYTES + " bytes of key");
        }
        return key;
    }

    public static String sign(byte[] key, String id, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] sig = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing", e);
        }
    }
}
