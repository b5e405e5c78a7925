package dev.authgate.oidc;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/** The scopes Authgate knows, and a {@code scope} parameter read as a set (space-delimited, RFC 6749 §3.3). */
public final class Scopes {

    public static final String OPENID = "openid";
    public static final String EMAIL = "email";
    public static final String PROFILE = "profile";
    public static final String OFFLINE_ACCESS = "offline_access";

    private Scopes() {
    }

    public static Set<String> parse(String scope) {
        Set<String> set = new LinkedHashSet<>();
        if (scope != null) {
            Arrays.stream(scope.split(" ")).filter(s -> !s.isEmpty()).forEach(set::add);
        }
        return set;
    }

    public static String format(Set<String> scopes) {
        return String.join(" ", scopes);
    }
}
