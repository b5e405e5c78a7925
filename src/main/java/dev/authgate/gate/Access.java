package dev.authgate.gate;

import java.util.Arrays;
import java.util.Set;

import io.quarkus.security.StringPermission;

/**
 * What a rule demands, with the meaning of the annotations on Authgate's own endpoints: {@code role:a|b} is
 * {@code @RolesAllowed({"a","b"})} (the token's {@code extras.role}), {@code permission:tenant:7} is
 * {@code @PermissionsAllowed("tenant:7")} and is decided by the same permission checker.
 */
record Access(Kind kind, Set<String> roles, StringPermission permission) {

    enum Kind { PUBLIC, AUTHENTICATED, ROLE, PERMISSION }

    private static final String NAME = "[A-Za-z0-9_.@-]+";

    /** @throws IllegalArgumentException saying what is wrong, for a start-up error */
    static Access parse(String spec) {
        String s = spec.strip();
        if (s.equals("public")) {
            return new Access(Kind.PUBLIC, Set.of(), null);
        }
        if (s.equals("authenticated")) {
            return new Access(Kind.AUTHENTICATED, Set.of(), null);
        }
        if (s.startsWith("role:")) {
            String[] roles = s.substring("role:".length()).split("\\|", -1);
            if (!Arrays.stream(roles).allMatch(r -> r.matches(NAME))) {
                throw new IllegalArgumentException("'" + spec + "': roles are role:<r1>[|<r2>...], names of "
                        + "letters, digits and _ . @ -");
            }
            return new Access(Kind.ROLE, Set.of(roles), null);
        }
        if (s.startsWith("permission:")) {
            String p = s.substring("permission:".length());
            int colon = p.indexOf(':');
            String name = colon < 0 ? p : p.substring(0, colon);
            String[] actions = colon < 0 ? new String[0] : p.substring(colon + 1).split(",", -1);
            if (!name.matches(NAME) || !Arrays.stream(actions).allMatch(a -> a.matches(NAME))) {
                throw new IllegalArgumentException("'" + spec + "': a permission is permission:<extra> (extras.<extra> "
                        + "is true) or permission:<extra>:<v1>[,<v2>...] (extras.<extra> is one of the values)");
            }
            return new Access(Kind.PERMISSION, Set.of(), new StringPermission(name, actions));
        }
        throw new IllegalArgumentException("'" + spec + "' is not one of public, authenticated, role:<r1>[|<r2>...], "
                + "permission:<p>");
    }
}
