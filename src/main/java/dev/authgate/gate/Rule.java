package dev.authgate.gate;

import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * One compiled route rule.
 *
 * @param methods upper-case; empty means every method
 * @param table the auth table of the rule's group: a token of another table is not valid here
 * @param aal the least {@code aal} a token must carry (1 or 2)
 */
record Rule(String name, PathGlob path, Set<String> methods, String group, String table, Access access, int aal) {

    /**
     * Most specific first: more literal segments, then more {@code *}, then fewer {@code **}; at equal paths a
     * rule that names methods beats one that takes every method.
     */
    static final Comparator<Rule> MOST_SPECIFIC_FIRST = Comparator
            .comparingInt((Rule r) -> r.path.literals())
            .thenComparingInt(r -> r.path.stars())
            .thenComparingInt(r -> -r.path.anys())
            .thenComparingInt(r -> r.methods.isEmpty() ? 0 : 1)
            .reversed();

    boolean matches(String method, List<String> segments) {
        return takes(method) && path.matches(segments);
    }

    /** A HEAD is a GET without the body to every upstream: a rule for GET decides it too. */
    boolean takes(String method) {
        return methods.isEmpty() || methods.contains(method) || (method.equals("HEAD") && methods.contains("GET"));
    }

    /** Equally specific and one request can match both: which one wins would be an accident. */
    boolean ambiguousWith(Rule other) {
        return MOST_SPECIFIC_FIRST.compare(this, other) == 0 && path.overlaps(other.path)
                && (methods.isEmpty() || other.methods.isEmpty()
                        || effectiveMethods().stream().anyMatch(other.effectiveMethods()::contains));
    }

    private Set<String> effectiveMethods() {
        if (!methods.contains("GET")) {
            return methods;
        }
        Set<String> all = new java.util.HashSet<>(methods);
        all.add("HEAD");
        return all;
    }
}
