package dev.authgate.gate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.authgate.group.ApiGroup;

/**
 * The route rules, compiled once at start. Every mistake stops the start with a message naming the setting:
 * a bad glob, an unknown group, an access that is not one of the four forms, two rules that are equally
 * specific and can match the same request.
 */
final class RouteTable {

    /** The rule name of {@code authgate.gate.default-access}, and of requests nothing matched when it is deny. */
    static final String DEFAULT = "(default)";
    static final String NONE = "(none)";
    static final String DENY = "deny";
    private static final String MAIN = "main";

    private final List<Rule> rules;
    private final Rule fallback;
    /** Every literal segment a rule names, lower case: such a segment is never a look-alike. */
    private final Set<String> named;

    private RouteTable(List<Rule> rules, Rule fallback) {
        this.rules = rules;
        this.fallback = fallback;
        this.named = rules.stream().flatMap(r -> r.path().literalSegments().stream()).collect(Collectors.toUnmodifiableSet());
    }

    static RouteTable compile(Map<String, GateConfig.Route> routes, String defaultAccess,
            Function<String, Optional<ApiGroup>> groups) {
        List<Rule> rules = new ArrayList<>();
        new TreeMap<>(routes).forEach((name, route) -> rules.add(rule(name, route, groups)));
        rules.sort(Rule.MOST_SPECIFIC_FIRST);
        for (int i = 0; i < rules.size(); i++) {
            for (int j = i + 1; j < rules.size(); j++) {
                if (rules.get(i).ambiguousWith(rules.get(j))) {
                    throw new IllegalStateException("authgate.gate.routes." + rules.get(i).name() + " ("
                            + rules.get(i).path() + ") and authgate.gate.routes." + rules.get(j).name() + " ("
                            + rules.get(j).path() + ") are equally specific and can match the same request: "
                            + "make one more specific, or give them methods that do not overlap");
                }
            }
        }
        Rule fallback = null;
        if (!defaultAccess.strip().equals(DENY)) {
            Access access = setting("authgate.gate.default-access", () -> Access.parse(defaultAccess));
            ApiGroup main = groups.apply(MAIN).orElseThrow(() -> new IllegalStateException(
                    "authgate.gate.default-access needs the API group main"));
            fallback = new Rule(DEFAULT, PathGlob.parse("/**"), Set.of(), MAIN, main.table().name(), access, 1);
        }
        return new RouteTable(List.copyOf(rules), fallback);
    }

    /**
     * The most specific rule for the request, the default-access rule, or empty (403).
     *
     * @throws ForwardedPath.Refused when, before any rule matches, a more specific one would match the path read as
     *         a lax upstream may read it ({@link PathGlob#resembles}): the broader rule must not decide
     */
    Optional<Rule> match(String method, List<String> segments) throws ForwardedPath.Refused {
        for (Rule rule : rules) {
            if (rule.matches(method, segments)) {
                return Optional.of(rule);
            }
            if (rule.takes(method) && rule.path().resembles(segments, named)) {
                throw new ForwardedPath.Refused("a look-alike of the path of rule " + rule.name());
            }
        }
        return Optional.ofNullable(fallback);
    }

    /** Every rule name logs and metrics can carry. */
    List<String> names() {
        List<String> names = new ArrayList<>(rules.stream().map(Rule::name).toList());
        names.add(fallback != null ? DEFAULT : NONE);
        return names;
    }

    private static Rule rule(String name, GateConfig.Route route, Function<String, Optional<ApiGroup>> groups) {
        String prefix = "authgate.gate.routes." + name;
        if (!name.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalStateException(prefix + ": rule names are letters, digits, _ and -");
        }
        PathGlob path = setting(prefix + ".path", () -> PathGlob.parse(route.path().strip(), route.caseSensitive()));
        Set<String> methods = route.methods().orElse(List.of()).stream().map(m -> m.strip().toUpperCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
        methods.stream().filter(m -> !m.matches("[A-Z]+")).findFirst().ifPresent(m -> {
            throw new IllegalStateException(prefix + ".methods: '" + m + "' is not an HTTP method");
        });
        ApiGroup group = groups.apply(route.group().strip()).orElseThrow(() -> new IllegalStateException(
                prefix + ".group: '" + route.group() + "' is no API group of authgate.groups.*"));
        Access access = setting(prefix + ".access", () -> Access.parse(route.access()));
        if (route.aal() != 1 && route.aal() != 2) {
            throw new IllegalStateException(prefix + ".aal: " + route.aal() + " is not 1 or 2");
        }
        if (route.aal() == 2 && access.kind() == Access.Kind.PUBLIC) {
            throw new IllegalStateException(prefix + ".aal: 2 demands a token, and access is public: "
                    + "make it authenticated (or a role or permission)");
        }
        return new Rule(name, path, methods, route.group().strip(), group.table().name(), access, route.aal());
    }

    private static <T> T setting(String key, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(key + ": " + e.getMessage(), e);
        }
    }
}
