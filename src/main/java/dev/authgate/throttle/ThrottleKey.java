package dev.authgate.throttle;

import java.util.Arrays;
import java.util.Optional;

/**
 * What one counter of {@code auth_attempt} counts. Stored as {@code kind:table:subject} (per account) or
 * {@code kind:subject} (per client address); this type is the one place that writes and reads that form.
 *
 * @param table the auth table a per-account counter belongs to, null for a per-address one
 * @param subject what is counted: an email, an email and a client address ({@code email:address}), or an address
 */
public record ThrottleKey(Kind kind, String table, String subject) {

    public enum Kind {
        /** Failed logins of an account. */
        LOGIN("login", true),
        /** Failed logins of an account from one client address. */
        LOGIN_PAIR("login-pair", true),
        /** Successful logins of an account (each writes a session). */
        LOGIN_OK("login-ok", true),
        /** Failed logins from a client address, any account. */
        LOGIN_ADDRESS("login-address", false),
        SIGNUP_ADDRESS("signup-address", false),
        /** Mail requests for an email of a table. */
        MAIL("mail", true),
        MAIL_ADDRESS("mail-address", false),
        /** Failed authentications of a service client, by its id (the subject). */
        CLIENT("client", false),
        /** Failed client authentications from a client address: service clients and OpenID clients alike. */
        CLIENT_ADDRESS("client-address", false),
        /** Failed authentications of an OpenID client (token, introspection, revocation), by its id. */
        OIDC_CLIENT("oidc-client", false),
        /** Wrong operator keys (quick tokens) from a client address. */
        OPERATOR_KEY_ADDRESS("operator-key", false);

        private final String prefix;
        private final boolean inTable;

        Kind(String prefix, boolean inTable) {
            this.prefix = prefix;
            this.inTable = inTable;
        }

        /** The name stored before the first colon, shown to administrators. */
        public String prefix() {
            return prefix;
        }

        /** Counters of an account name its auth table. */
        public boolean inTable() {
            return inTable;
        }

        static Optional<Kind> ofPrefix(String prefix) {
            return Arrays.stream(values()).filter(k -> k.prefix.equals(prefix)).findFirst();
        }
    }

    public ThrottleKey {
        if (kind.inTable != (table != null)) {
            throw new IllegalArgumentException(kind + (kind.inTable ? " needs a table" : " has no table"));
        }
    }

    public static ThrottleKey login(String table, String email) {
        return new ThrottleKey(Kind.LOGIN, table, email);
    }

    public static ThrottleKey loginPair(String table, String email, String address) {
        return new ThrottleKey(Kind.LOGIN_PAIR, table, email + ":" + address);
    }

    public static ThrottleKey loginSuccesses(String table, String email) {
        return new ThrottleKey(Kind.LOGIN_OK, table, email);
    }

    public static ThrottleKey loginAddress(String address) {
        return new ThrottleKey(Kind.LOGIN_ADDRESS, null, address);
    }

    public static ThrottleKey signupAddress(String address) {
        return new ThrottleKey(Kind.SIGNUP_ADDRESS, null, address);
    }

    public static ThrottleKey mail(String table, String email) {
        return new ThrottleKey(Kind.MAIL, table, email);
    }

    public static ThrottleKey mailAddress(String address) {
        return new ThrottleKey(Kind.MAIL_ADDRESS, null, address);
    }

    public static ThrottleKey client(String clientId) {
        return new ThrottleKey(Kind.CLIENT, null, clientId);
    }

    public static ThrottleKey oidcClient(String clientId) {
        return new ThrottleKey(Kind.OIDC_CLIENT, null, clientId);
    }

    public static ThrottleKey clientAddress(String address) {
        return new ThrottleKey(Kind.CLIENT_ADDRESS, null, address);
    }

    public static ThrottleKey operatorKey(String address) {
        return new ThrottleKey(Kind.OPERATOR_KEY_ADDRESS, null, address);
    }

    /** The stored form. */
    public String value() {
        return kind.prefix + ":" + (table == null ? "" : table + ":") + subject;
    }

    /** The prefix of every {@link Kind#LOGIN_PAIR} key of this {@link Kind#LOGIN} key's account. */
    String pairPrefix() {
        return Kind.LOGIN_PAIR.prefix + ":" + table + ":" + subject + ":";
    }

    /** The key a stored (or submitted) form names; empty for anything else. Table names hold no colon. */
    public static Optional<ThrottleKey> parse(String value) {
        int colon = value == null ? -1 : value.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        return Kind.ofPrefix(value.substring(0, colon)).flatMap(kind -> {
            String rest = value.substring(colon + 1);
            if (!kind.inTable) {
                return rest.isEmpty() ? Optional.empty() : Optional.of(new ThrottleKey(kind, null, rest));
            }
            int end = rest.indexOf(':');
            return end <= 0 || end == rest.length() - 1 ? Optional.empty()
                    : Optional.of(new ThrottleKey(kind, rest.substring(0, end), rest.substring(end + 1)));
        });
    }
}
