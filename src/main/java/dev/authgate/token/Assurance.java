package dev.authgate.token;

import java.util.List;

/**
 * How a token's holder proved who they are: {@code aal} (NIST SP 800-63B: 1 one factor, 2 two) and {@code amr}
 * (RFC 8176 method names). Every token carries both; one written before they existed reads as {@link #LEGACY}.
 */
public record Assurance(int aal, List<String> amr) {

    /** RFC 8176 values, and {@code rc} (a recovery code, always beside {@code otp}). */
    public static final String PWD = "pwd";
    public static final String OTP = "otp";
    public static final String MAIL = "mail";
    public static final String FED = "fed";
    public static final String RECOVERY_CODE = "rc";
    /** A passkey (RFC 8176): {@code hwk} bound to one device (not backup eligible), {@code swk} synced, with {@code user} (verified). */
    public static final String HWK = "hwk";
    public static final String SWK = "swk";
    public static final String USER = "user";

    /** A password. */
    public static final Assurance PASSWORD = new Assurance(1, List.of(PWD));
    /** A mailed code or link (magic link, email verification). */
    public static final Assurance MAILED = new Assurance(1, List.of(MAIL));
    /** An upstream identity provider (auth/oauth/token). */
    public static final Assurance FEDERATED = new Assurance(1, List.of(FED));
    /** A password reset: the mailed link, and the password its holder has just set. */
    public static final Assurance RESET = new Assurance(1, List.of(MAIL, PWD));
    /** A token Authgate did not see anyone prove anything for: quick test tokens, tokens issued to a service client. */
    public static final Assurance NONE = new Assurance(1, List.of());
    /** A token without the claims: issued before they existed. */
    public static final Assurance LEGACY = NONE;

    public Assurance {
        if (aal < 1 || aal > 2) {
            throw new IllegalArgumentException("aal is 1 or 2");
        }
        amr = List.copyOf(amr);
    }

    /** The first factor's methods followed by a second factor's: aal 2. */
    public Assurance withSecond(List<String> second) {
        java.util.ArrayList<String> all = new java.util.ArrayList<>(amr);
        second.stream().filter(m -> !all.contains(m)).forEach(all::add);
        return new Assurance(2, all);
    }
}
