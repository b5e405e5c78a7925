package dev.authgate.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/** The pages' CSRF tokens (the console's, the provider's sign-in): how one is made, compared, and what is refused. */
public final class CsrfToken {

    /** 32 random bytes, base64url without padding. */
    public static final int LENGTH = 43;

    private CsrfToken() {
    }

    public static String fresh(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Constant time; a missing or malformed expected token matches nothing. */
    public static boolean matches(String expected, String field) {
        return expected != null && field != null && expected.length() == LENGTH
                && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), field.getBytes(StandardCharsets.UTF_8));
    }

    /** A request the browser says another site made ({@code Sec-Fetch-Site}); absent (an old browser) is not. */
    public static boolean crossSite(String secFetchSite) {
        return secFetchSite != null && !secFetchSite.equals("same-origin") && !secFetchSite.equals("none");
    }
}
