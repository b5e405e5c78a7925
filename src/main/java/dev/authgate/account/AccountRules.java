package dev.authgate.account;

import java.nio.charset.StandardCharsets;
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

    /** Trimmed and lower-cased: emails compare case-insensitively. */
    public static String email(String raw) {
        String email = raw.strip().toLowerCase(Locale.ROOT);
        if (email.isEmpty()) {
            throw ApiException.input("email", "Missing param: email");
        }
        if (email.length() > MAX_EMAIL || !EMAIL.matcher(email).matches()) {
            throw ApiException.input("email", "Invalid email address.");
        }
        return email;
    }

    public static String name(String raw) {
        String name = raw.strip();
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
