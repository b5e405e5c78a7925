package dev.authgate.account;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

import dev.authgate.http.ApiException;

/** What a name, an email and a password must be. Each failure names its field. */
public final class AccountRules {

    public static final int MAX_EMAIL = 254;
    public static final int MAX_NAME = 200;
    public static final int MIN_PASSWORD_CHARS = 8;
    /** bcrypt reads at most 72 bytes: longer passwords are refused, never silently truncated. */
    public static final int MAX_PASSWORD_BYTES = 72;

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+");

    private AccountRules() {
    }

    /**
     * Trimmed, NFC-normalized and lower-cased: emails compare case-insensitively, and one address has one
     * spelling. Control, format (e.g. right-to-left override, zero-width) and space characters are refused.
     */
    public static String email(String raw) {
        String email = Normalizer.normalize(raw.strip(), Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
        if (email.isEmpty()) {
            throw ApiException.input("email", "Missing param: email");
        }
        if (email.length() > MAX_EMAIL || !EMAIL.matcher(email).matches()
                || email.codePoints().anyMatch(AccountRules::invisible)) {
            throw ApiException.input("email", "Invalid email address.");
        }
        return email;
    }

    private static boolean invisible(int c) {
        int type = Character.getType(c);
        return Character.isISOControl(c) || Character.isWhitespace(c) || Character.isSpaceChar(c)
                || type == Character.FORMAT || type == Character.UNASSIGNED;
    }

    public static String name(String raw) {
        String name = raw.strip();
        if (name.codePoints().anyMatch(Character::isISOControl)) {
            throw ApiException.input("name", "Name contains control characters.");
        }
        if (name.isEmpty()) {
            throw ApiException.input("name", "Missing param: name");
        }
        if (name.length() > MAX_NAME) {
            throw ApiException.input("name", "Name is longer than " + MAX_NAME + " characters.");
        }
        return name;
    }

    public static String password(String raw, String field) {
        if (raw.codePointCount(0, raw.length()) < MIN_PASSWORD_CHARS) {
            throw ApiException.input(field, "Password must be at least " + MIN_PASSWORD_CHARS + " characters.");
        }
        if (raw.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw ApiException.input(field, "Password must be at most " + MAX_PASSWORD_BYTES + " bytes (UTF-8).");
        }
        return raw;
    }
}
