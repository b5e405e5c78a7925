package dev.authgate.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 23, finding 1: {@code authgate.gate.forwarded} names the proxy, and only its description of the request is
 * believed; another proxy's header can only be the client's and is refused, whatever it says.
 */
class ForwardedTest {

    /** The headers of a check request (names case-insensitive, as Vert.x's). */
    static Map<String, List<String>> headers(String... nameValues) {
        Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < nameValues.length; i += 2) {
            map.computeIfAbsent(nameValues[i], k -> new java.util.ArrayList<>()).add(nameValues[i + 1]);
        }
        return map;
    }

    static Forwarded.Described describe(Forwarded proxy, Map<String, List<String>> headers, String suffix, String method)
            throws ForwardedPath.Refused {
        return proxy.describe(name -> headers.getOrDefault(name, List.of()), suffix, method);
    }

    /** What each proxy sends for {@code DELETE /api/orders/9?x=1}. */
    static Map<String, List<String>> own(Forwarded proxy) {
        return switch (proxy) {
            case NGINX -> headers("X-Original-Method", "DELETE", "X-Original-URI", "/api/orders/9?x=1");
            case INGRESS_NGINX -> headers("X-Original-Method", "DELETE", "X-Original-URL", "https://app.example.com/api/orders/9?x=1");
            case TRAEFIK, CADDY -> headers("X-Forwarded-Method", "DELETE", "X-Forwarded-Uri", "/api/orders/9?x=1");
            case ENVOY -> headers();
        };
    }

    static String suffix(Forwarded proxy) {
        return proxy == Forwarded.ENVOY ? "/api/orders/9?x=1" : "";
    }

    @ParameterizedTest
    @EnumSource(Forwarded.class)
    void eachProxysOwnDescriptionIsRead(Forwarded proxy) throws ForwardedPath.Refused {
        var d = describe(proxy, own(proxy), suffix(proxy), proxy == Forwarded.ENVOY ? "DELETE" : "GET");
        assertEquals(new Forwarded.Described("DELETE", "/api/orders/9?x=1"), d);
    }

    /** The exploit: a client's X-Original-URI beside ingress-nginx's X-Original-URL, and every other mix. */
    @ParameterizedTest
    @EnumSource(Forwarded.class)
    void anotherProxysHeaderIsRefusedWhateverItSays(Forwarded proxy) {
        for (String foreign : Forwarded.DESCRIPTIONS) {
            Map<String, List<String>> headers = own(proxy);
            if (headers.containsKey(foreign) || (proxy == Forwarded.INGRESS_NGINX && foreign.equals("X-Original-URI"))) {
                continue;
            }
            String value = foreign.endsWith("Method") ? "DELETE" : foreign.endsWith("URL") ? "http://h/public/x" : "/public/x";
            headers.put(foreign.toLowerCase(Locale.ROOT), List.of(value));
            var e = assertThrows(ForwardedPath.Refused.class, () -> describe(proxy, headers, suffix(proxy), "GET"),
                    proxy + " with " + foreign);
            assertTrue(e.getMessage().contains(foreign), e.getMessage());
        }
    }

    @Test
    void ingressNginxTakesThePathOfItsAbsoluteUrlAndItsOwnXOriginalUriMustAgree() throws ForwardedPath.Refused {
        var p = Forwarded.INGRESS_NGINX;
        assertEquals("/api/x", describe(p, headers("X-Original-Method", "GET", "X-Original-URL", "http://h:8080/api/x"), "", "GET").uri());
        assertEquals("/", describe(p, headers("X-Original-Method", "GET", "X-Original-URL", "http://h"), "", "GET").uri());
        // a Host with ? or # in it: NGINX refuses / in Host, so the first / is $request_uri's
        assertEquals("/api/admin/secret", describe(p, headers("X-Original-Method", "GET",
                "X-Original-URL", "http://x?#/api/admin/secret"), "", "GET").uri());
        // with an auth-method annotation ingress-nginx also sets X-Original-URI, to the same $request_uri
        assertEquals("/api/x?y", describe(p, headers("X-Original-Method", "GET", "X-Original-URL", "http://h/api/x?y",
                "X-Original-URI", "/api/x?y"), "", "GET").uri());
        assertThrows(ForwardedPath.Refused.class, () -> describe(p, headers("X-Original-Method", "GET",
                "X-Original-URL", "http://h/api/admin/secret", "X-Original-URI", "/api/x"), "", "GET"));
        assertThrows(ForwardedPath.Refused.class, () -> describe(p, headers("X-Original-Method", "GET",
                "X-Original-URL", "/api/x"), "", "GET"));
        assertThrows(ForwardedPath.Refused.class, () -> describe(p, headers("X-Original-Method", "GET",
                "X-Original-URL", "ftp://h/api/x"), "", "GET"));
    }

    @ParameterizedTest
    @EnumSource(Forwarded.class)
    void aMissingDoubledOrMisplacedDescriptionIsRefused(Forwarded proxy) {
        assertThrows(ForwardedPath.Refused.class, () -> describe(proxy, headers(), "", "GET"));
        if (proxy == Forwarded.ENVOY) {
            return;
        }
        // Envoy's form (a path after /gate/check) is the client's when another proxy is in front
        assertThrows(ForwardedPath.Refused.class, () -> describe(proxy, own(proxy), "/public/x", "GET"));
        Map<String, List<String>> doubled = own(proxy);
        doubled.values().forEach(v -> v.add(v.get(0)));
        assertThrows(ForwardedPath.Refused.class, () -> describe(proxy, doubled, "", "GET"));
        Map<String, List<String>> noMethod = own(proxy);
        noMethod.keySet().removeIf(k -> k.endsWith("Method"));
        assertThrows(ForwardedPath.Refused.class, () -> describe(proxy, noMethod, "", "GET"));
    }

    /** Issue 23, finding 2: refused unless authgate.gate.method-override, then the rules see the named method. */
    @Test
    void methodOverrideHeadersAreRefusedOrWhenAllowedDecideTheMethod() throws ForwardedPath.Refused {
        for (String header : Forwarded.METHOD_OVERRIDES) {
            var h = headers(header, "delete");
            assertThrows(ForwardedPath.Refused.class, () -> Forwarded.overridden("GET", n -> h.getOrDefault(n, List.of()), false));
            assertEquals("DELETE", Forwarded.overridden("POST", n -> h.getOrDefault(n, List.of()), true));
        }
        assertEquals("GET", Forwarded.overridden("GET", n -> List.of(), false));
        var agree = headers("X-HTTP-Method-Override", "PUT", "X-Method-Override", "put");
        assertEquals("PUT", Forwarded.overridden("POST", n -> agree.getOrDefault(n, List.of()), true));
        var disagree = headers("X-HTTP-Method-Override", "PUT", "X-HTTP-Method", "DELETE");
        assertThrows(ForwardedPath.Refused.class, () -> Forwarded.overridden("POST", n -> disagree.getOrDefault(n, List.of()), true));
        var junk = headers("X-HTTP-Method-Override", "GET /x");
        assertThrows(ForwardedPath.Refused.class, () -> Forwarded.overridden("POST", n -> junk.getOrDefault(n, List.of()), true));
    }

    @Test
    void theSettingIsSpelledAsTheProxiesAre() {
        assertEquals(List.of("nginx", "ingress-nginx", "traefik", "caddy", "envoy"),
                java.util.Arrays.stream(Forwarded.values()).map(Forwarded::label).toList());
    }
}
