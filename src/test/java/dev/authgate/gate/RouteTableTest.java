package dev.authgate.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.authgate.account.AuthTable;
import dev.authgate.account.Staff;
import dev.authgate.account.User;
import dev.authgate.group.ApiGroup;

/** Compiling the route rules: globs, the specificity order, and every start-up refusal. Plain JUnit. */
class RouteTableTest {

    record R(String path, Optional<List<String>> methods, String group, String access, boolean caseSensitive, int aal)
            implements GateConfig.Route {
        R(String path, Optional<List<String>> methods, String group, String access) {
            this(path, methods, group, access, false, 1);
        }

        R(String path, Optional<List<String>> methods, String group, String access, boolean caseSensitive) {
            this(path, methods, group, access, caseSensitive, 1);
        }

        R(String path, Optional<List<String>> methods, String group, String access, int aal) {
            this(path, methods, group, access, false, aal);
        }

        R(String path, String access) {
            this(path, Optional.empty(), "main", access);
        }
    }

    static final Map<String, ApiGroup> GROUPS = Map.of(
            "main", new ApiGroup("main", null, new AuthTable("user", "User", User.class, 86400, true, 100, null), List.of()),
            "staff", new ApiGroup("staff", null, new AuthTable("staff", "Staff", Staff.class, 86400, false, 100, null), List.of()));

    static RouteTable compile(String defaultAccess, Object... nameAndRoute) {
        Map<String, GateConfig.Route> routes = new LinkedHashMap<>();
        for (int i = 0; i < nameAndRoute.length; i += 2) {
            routes.put((String) nameAndRoute[i], (GateConfig.Route) nameAndRoute[i + 1]);
        }
        return RouteTable.compile(routes, defaultAccess, g -> Optional.ofNullable(GROUPS.get(g)));
    }

    static String rule(RouteTable table, String method, String path) {
        List<String> segments = path.equals("/") ? List.of() : Arrays.asList(path.substring(1).split("/"));
        try {
            return table.match(method, segments).map(Rule::name).orElse("-");
        } catch (ForwardedPath.Refused e) {
            return "refused";
        }
    }

    static String startError(Object... nameAndRoute) {
        return assertThrows(IllegalStateException.class, () -> compile("deny", nameAndRoute)).getMessage();
    }

    @Test
    void aalIsOneOrTwoAndTwoNeedsAToken() {
        RouteTable t = compile("deny", "mfa", new R("/mfa/**", Optional.empty(), "main", "authenticated", 2));
        assertEquals("mfa", rule(t, "GET", "/mfa/x"));
        assertTrue(startError("bad", new R("/x", Optional.empty(), "main", "authenticated", 3))
                .contains("authgate.gate.routes.bad.aal: 3 is not 1 or 2"));
        assertTrue(startError("open", new R("/x", Optional.empty(), "main", "public", 2))
                .contains("authgate.gate.routes.open.aal"));
    }

    @Test
    void starIsOneSegmentAndDoubleStarAnyNumber() {
        RouteTable t = compile("deny", "one", new R("/one/*", "public"), "any", new R("/any/**", "public"),
                "root", new R("/", "public"));
        assertEquals("one", rule(t, "GET", "/one/x"));
        assertEquals("-", rule(t, "GET", "/one"));
        assertEquals("-", rule(t, "GET", "/one/x/y"));
        assertEquals("any", rule(t, "GET", "/any"));
        assertEquals("any", rule(t, "GET", "/any/x/y/z"));
        assertEquals("root", rule(t, "GET", "/"));
        assertEquals("-", rule(t, "GET", "/other"));
        assertEquals("one", rule(t, "GET", "/One/x"), "literals ignore case by default");
    }

    @Test
    void theMostSpecificRuleWins() {
        RouteTable t = compile("deny",
                "everything", new R("/**", "authenticated"),
                "api", new R("/api/**", "public"),
                "admin", new R("/api/admin/**", "role:administrator"),
                "item", new R("/things/*", "authenticated"),
                "anyThing", new R("/things/**", "public"),
                "anyItem", new R("/api/items/**", "public"),
                "health", new R("/api/*/health", "public"),
                "deleteAdmin", new R("/api/admin/**", Optional.of(List.of("delete")), "main", "role:root"));
        assertEquals("api", rule(t, "GET", "/api/x"));
        assertEquals("admin", rule(t, "GET", "/api/admin/users"), "more literal segments");
        assertEquals("deleteAdmin", rule(t, "DELETE", "/api/admin/users"), "a rule naming methods beats one that does not");
        assertEquals("item", rule(t, "GET", "/things/7"), "* beats **");
        assertEquals("anyThing", rule(t, "GET", "/things/7/parts"));
        assertEquals("anyItem", rule(t, "GET", "/api/items/7"));
        assertEquals("health", rule(t, "GET", "/api/items/health"), "two literals and a * beat two literals and a **");
        assertEquals("everything", rule(t, "GET", "/elsewhere"));
    }

    @Test
    void methodsRestrictARule() {
        RouteTable t = compile("deny", "read", new R("/doc", Optional.of(List.of("GET", "head")), "main", "public"),
                "write", new R("/doc", Optional.of(List.of("POST")), "main", "authenticated"));
        assertEquals("read", rule(t, "GET", "/doc"));
        assertEquals("read", rule(t, "HEAD", "/doc"));
        assertEquals("write", rule(t, "POST", "/doc"));
        assertEquals("-", rule(t, "DELETE", "/doc"));
    }

    /** Issue 23, finding 2: HEAD is GET to every upstream, so a GET rule decides it. */
    @Test
    void headIsDecidedByTheRulesForGet() {
        RouteTable t = compile("deny", "api", new R("/api/**", "public"),
                "reports", new R("/api/reports/**", Optional.of(List.of("GET")), "main", "role:administrator"));
        assertEquals("reports", rule(t, "HEAD", "/api/reports/q3"));
        assertEquals("api", rule(t, "POST", "/api/reports/q3"));
        assertTrue(startError("get", new R("/m", Optional.of(List.of("GET")), "main", "public"),
                "head", new R("/m", Optional.of(List.of("HEAD")), "main", "authenticated")).contains("equally specific"));
    }

    /**
     * Issue 23, finding 2: upstreams that ignore case, fold Unicode or drop trailing dots serve /api/admin for
     * /api/Admin, /api/ａdmin or /api/admin.: such a path never falls to the broader /api/** rule.
     */
    @Test
    void aPathThatALaxUpstreamReadsAsAMoreSpecificRulesIsNotJudgedByABroaderOne() {
        RouteTable t = compile("deny", "api", new R("/api/**", "authenticated"),
                "admin", new R("/api/admin/**", "role:administrator"),
                "strict", new R("/api/Files/**", Optional.empty(), "main", "role:owner", true),
                "cafe", new R("/api/ｃafé/**", "public"));
        assertEquals("admin", rule(t, "GET", "/api/ADMIN/secret"));
        assertEquals("admin", rule(t, "GET", "/api/Admin/secret"));
        assertEquals("admin", rule(t, "GET", "/api/admın/secret"), "dotless ı is I in upper case: the same letter ignoring case");
        for (String lookAlike : List.of("admin.", "admin..", "admin ", "ａdmin", "ＡＤＭＩＮ", "ádmin", "аdmin" /* Cyrillic а */,
                "αdmin")) {
            assertEquals("refused", rule(t, "GET", "/api/" + lookAlike + "/secret"), lookAlike);
        }
        assertEquals("api", rule(t, "GET", "/api/administrators"));
        assertEquals("api", rule(t, "GET", "/api/users/admin."), "a look-alike where no rule has a literal");
        // opted out: another case is another path (the upstream says so); a look-alike still is not
        assertEquals("strict", rule(t, "GET", "/api/Files/x"));
        assertEquals("api", rule(t, "GET", "/api/files/x"));
        assertEquals("refused", rule(t, "GET", "/api/Files./x"));
        // a rule that names a non-ASCII segment is matched as written, and its look-alikes refused
        assertEquals("cafe", rule(t, "GET", "/api/ｃafé/menu"));
        assertEquals("refused", rule(t, "GET", "/api/cafe/menu"));
        assertTrue(startError("a", new R("/api/Admin/**", "public"), "b", new R("/api/admin/**", "public"))
                .contains("equally specific"), "two rules one path matches in some case");
    }

    @Test
    void noRuleIsDeniedUnlessDefaultAccessSaysOtherwise() {
        assertEquals("-", rule(compile("deny", "a", new R("/a", "public")), "GET", "/b"));
        RouteTable open = compile("authenticated", "a", new R("/a", "public"));
        assertEquals(RouteTable.DEFAULT, rule(open, "GET", "/b"));
        assertEquals(List.of("a", RouteTable.DEFAULT), open.names());
        assertTrue(startErrorOfDefault("roles:x").startsWith("authgate.gate.default-access: 'roles:x' is not one of"));
    }

    private static String startErrorOfDefault(String access) {
        return assertThrows(IllegalStateException.class, () -> compile(access)).getMessage();
    }

    @Test
    void equallySpecificOverlappingRulesStopTheStart() {
        assertEquals("authgate.gate.routes.a (/a/**) and authgate.gate.routes.b (/**/a) are equally specific and can "
                + "match the same request: make one more specific, or give them methods that do not overlap",
                startError("a", new R("/a/**", "public"), "b", new R("/**/a", "authenticated")));
        assertTrue(startError("x", new R("/a/*", "public"), "y", new R("/*/a", "public")).contains("routes.x"));
        assertTrue(startError("x", new R("/same", "public"), "y", new R("/same", Optional.empty(), "staff", "public"))
                .contains("routes.y"));
        assertTrue(startError("x", new R("/m", Optional.of(List.of("GET", "PUT")), "main", "public"),
                "y", new R("/m", Optional.of(List.of("PUT")), "main", "public")).contains("equally specific"));
        // equally specific but never the same request: fine
        compile("deny", "a", new R("/a/*", "public"), "b", new R("/b/*", "public"));
        compile("deny", "a", new R("/a/*", "public"), "b", new R("/a/*/*", "public"));
        compile("deny", "get", new R("/m", Optional.of(List.of("GET")), "main", "public"),
                "post", new R("/m", Optional.of(List.of("POST")), "main", "authenticated"));
    }

    @Test
    void aBadGlobStopsTheStartNamingTheRule() {
        assertEquals("authgate.gate.routes.r.path: '/a*b': * and ** stand for whole segments only ('a*b')",
                startError("r", new R("/a*b", "public")));
        assertTrue(startError("r", new R("api/x", "public")).startsWith("authgate.gate.routes.r.path: 'api/x' must start with /"));
        assertTrue(startError("r", new R("/a//b", "public")).contains("empty segment"));
        assertTrue(startError("r", new R("/a/", "public")).contains("empty segment"));
        assertTrue(startError("r", new R("/a/../b", "public")).contains(". or .. segment"));
        assertTrue(startError("r", new R("/a%2Fb", "public")).contains("never match"));
        assertTrue(startError("r", new R("/a;b", "public")).contains("never match"));
        assertTrue(startError("bad name", new R("/a", "public")).contains("rule names are"));
    }

    @Test
    void anUnknownGroupOrABadAccessStopsTheStartNamingTheRule() {
        assertEquals("authgate.gate.routes.r.group: 'nope' is no API group of authgate.groups.*",
                startError("r", new R("/a", Optional.empty(), "nope", "public")));
        assertTrue(startError("r", new R("/a", "admin")).startsWith("authgate.gate.routes.r.access: 'admin' is not one of"));
        assertTrue(startError("r", new R("/a", "role:")).startsWith("authgate.gate.routes.r.access: 'role:': roles are"));
        assertTrue(startError("r", new R("/a", "role:a||b")).contains("roles are"));
        assertTrue(startError("r", new R("/a", "permission:")).startsWith("authgate.gate.routes.r.access: 'permission:'"));
        assertTrue(startError("r", new R("/a", "permission:tenant:")).contains("permission:<extra>"));
        assertTrue(startError("r", new R("/a", Optional.of(List.of("GE T")), "main", "public"))
                .contains("routes.r.methods: 'GE T' is not an HTTP method"));
    }

    @Test
    void accessesParseToTheirMeaning() {
        assertEquals(Access.Kind.PUBLIC, Access.parse("public").kind());
        assertEquals(Access.Kind.AUTHENTICATED, Access.parse(" authenticated ").kind());
        assertEquals(java.util.Set.of("editor", "administrator"), Access.parse("role:editor|administrator").roles());
        var tenant = Access.parse("permission:tenant:7,8").permission();
        assertEquals("tenant", tenant.getName());
        assertEquals(java.util.Set.of("7", "8"), java.util.Set.of(tenant.getActions().split(",")));
        assertEquals("verified", Access.parse("permission:verified").permission().getName());
    }
}
