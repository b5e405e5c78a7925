package dev.authgate.mfa;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** RFC 6238 TOTP with HMAC-SHA-1 (RFC 4226's HOTP on 30-second steps): what authenticator apps compute. */
public final class Totp {

    public static final int DIGITS = 6;
    public static final long PERIOD_SECONDS = 30;
    /** Steps of clock drift accepted each way. */
    public static final int DRIFT = 1;

    private static final int[] POWERS = { 1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000 };

    private Totp() {
    }

    /** The time step of an instant (seconds since the epoch). */
    public static long step(long epochSeconds) {
        return Math.floorDiv(epochSeconds, PERIOD_SECONDS);
    }

    /** The code of a step, zero-padded to {@code digits} (RFC 4226 §5.3 dynamic truncation). */
    public static String code(byte[] secret, long step, int digits) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            byte[] counter = new byte[8];
            for (int i = 7, s = 0; i >= 0; i--, s += 8) {
                counter[i] = (byte) (step >>> s);
            }
            byte[] h = mac.doFinal(counter);
            int offset = h[h.length - 1] & 0x0f;
            int binary = ((h[offset] & 0x7f) << 24) | ((h[offset + 1] & 0xff) << 16) | ((h[offset + 2] & 0xff) << 8)
                    | (h[offset + 3] & 0xff);
            String code = Integer.toString(binary % POWERS[digits]);
            return "0".repeat(digits - code.length()) + code;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }

    /**
     * The step within the drift window whose code is {@code code}, or -1. Every step of the window is computed and
     * compared in constant time, whichever matches, so the answer's timing tells nothing.
     */
    public static long matchingStep(byte[] secret, String code, long nowStep) {
        byte[] given = code.getBytes(StandardCharsets.US_ASCII);
        long found = -1;
        for (long s = nowStep - DRIFT; s <= nowStep + DRIFT; s++) {
            boolean same = MessageDigest.isEqual(code(secret, s, DIGITS).getBytes(StandardCharsets.US_ASCII), given);
            if (same && found < 0) {
                found = s;
            }
        }
        return found;
    }

    /** Six ASCII digits: the only shape a TOTP code has. */
    public static boolean wellFormed(String code) {
        return code.length() == DIGITS && code.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
