package dev.authgate.account;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * What a name, an email, a password, a role and extras must be: the rules behind the constraint annotations
 * ({@link AccountRule}, one per {@link AccountRule.Kind}). Each answers the problem
 * in words a client can act on, or empty.
 */
public final class AccountRules {

    public static final int MAX_EMAIL = 254;
    public static final int MAX_NAME = 200;
    public static final int MIN_PASSWORD_CHARS = 8;
    /** bcrypt reads at most 72 bytes: longer passwords are refused, never silently truncated. */
    public static final int MAX_PASSWORD_BYTES = 72;
    public static final int MAX_ROLE = 100;
    /** extras travel in every token: keep them small. */
    public static final int MAX_EXTRAS_BYTES = 4096;

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+");
    private static final JsonMapper JSON = new JsonMapper();

    private AccountRules() {
    }

    /**
     * Trimmed, NFC-normalized and lower-cased: emails compare case-insensitively, and one address has one spelling.
     * Null stays null (the constraint reports it missing).
     */
    public static String normalizeEmail(String raw) {
        return raw == null ? null : Normalizer.normalize(raw.strip(), Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    }

    public static String strip(String raw) {
        return raw == null ? null : raw.strip();
    }

    /** Of a normalized email. Control, format (right-to-left override, zero-width) and space characters are refused. */
    static Optional<String> emailProblem(String email) {
        if (email.isEmpty()) {
            return Optional.of("Missing param: email");
        }
        if (email.length() > MAX_EMAIL || !EMAIL.matcher(email).matches()
                || email.codePoints().anyMatch(AccountRules::invisible)) {
            return Optional.of("Invalid email address.");
        }
        return Optional.empty();
    }

    private static boolean invisible(int c) {
        int type = Character.getType(c);
        return Character.isISOControl(c) || Character.isWhitespace(c) || Character.isSpaceChar(c)
                || type == Character.FORMAT || type == Character.UNASSIGNED;
    }

    /** Of a stripped name. */
    static Optional<String> nameProblem(String name) {
        if (name.codePoints().anyMatch(Character::isISOControl)) {
            return Optional.of("Name contains control characters.");
        }
        if (name.isEmpty()) {
            return Optional.of("Missing param: name");
        }
        if (name.length() > MAX_NAME) {
            return Optional.of("Name is longer than " + MAX_NAME + " characters.");
        }
        return Optional.empty();
    }

    static Optional<String> passwordProblem(String password) {
        if (password.codePointCount(0, password.length()) < MIN_PASSWORD_CHARS) {
            return Optional.of("Password must be at least " + MIN_PASSWORD_CHARS + " characters.");
        }
        if (tooLongForBcrypt(password)) {
            return Optional.of("Password must be at most " + MAX_PASSWORD_BYTES + " bytes (UTF-8).");
        }
        return Optional.empty();
    }

    /** No stored password is longer than bcrypt reads, so a longer one can never be right (nor truncated). */
    public static boolean tooLongForBcrypt(String password) {
        return password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES;
    }

    /**
     * The role has its own field: a {@code role} key in extras would act as a hidden role that setting the role
     * to null does not remove.
     */
    static Optional<String> extrasProblem(Map<String, Object> extras) {
        if (extras.containsKey("role")) {
            return Optional.of("extras may not hold role: set the role field instead.");
        }
        return extrasSizeProblem(extras);
    }

    /** Extras travel in every token: at most {@value #MAX_EXTRAS_BYTES} bytes of JSON. */
    public static Optional<String> extrasSizeProblem(Map<String, Object> extras) {
        try {
            if (JSON.writeValueAsBytes(extras).length > MAX_EXTRAS_BYTES) {
                return Optional.of("extras are limited to " + MAX_EXTRAS_BYTES + " bytes of JSON.");
            }
        } catch (JsonProcessingException e) {
            return Optional.of("extras must be a JSON object.");
        }
        return Optional.empty();
    }
}
