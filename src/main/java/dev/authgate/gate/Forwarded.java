package dev.authgate.gate;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * {@code authgate.gate.forwarded}: the proxy in front of the gate, and so the one description of the original
 * request the gate believes. Every proxy passes the client's own headers on to the gate, so a header another
 * proxy would have set can only be the client's: its presence is refused (403), whatever it says.
 */
public enum Forwarded {

    /** NGINX's auth_request, as in examples/nginx. */
    NGINX(Forwarded.ORIGINAL_URI, Forwarded.ORIGINAL_METHOD),
    /** ingress-nginx always sets X-Original-URL ({@code $scheme://$http_host$request_uri}) and X-Original-Method. */
    INGRESS_NGINX(Forwarded.ORIGINAL_URL, Forwarded.ORIGINAL_METHOD),
    TRAEFIK(Forwarded.FORWARDED_URI, Forwarded.FORWARDED_METHOD),
    CADDY(Forwarded.FORWARDED_URI, Forwarded.FORWARDED_METHOD),
    /** Envoy's HTTP ext_authz: the original path appended to {@code /gate/check}, the original method as the check's. */
    ENVOY(null, null);

    static final String ORIGINAL_URI = "X-Original-URI";
    static final String ORIGINAL_URL = "X-Original-URL";
    static final String ORIGINAL_METHOD = "X-Original-Method";
    static final String FORWARDED_URI = "X-Forwarded-Uri";
    static final String FORWARDED_METHOD = "X-Forwarded-Method";
    /** Headers some frameworks (Express' method-override, Symfony, ...) take as the request's real method. */
    static final List<String> METHOD_OVERRIDES = List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override");
    /** Every header some proxy describes the original request with. */
    static final List<String> DESCRIPTIONS = List.of(ORIGINAL_URI, ORIGINAL_URL, ORIGINAL_METHOD, FORWARDED_URI,
            FORWARDED_METHOD);

    private final String uriHeader;
    private final String methodHeader;

    Forwarded(String uriHeader, String methodHeader) {
        this.uriHeader = uriHeader;
        this.methodHeader = methodHeader;
    }

    /** Whether this proxy sets the header itself (the tests send every other one as a client would). */
    boolean sends(String header) {
        return header.equals(uriHeader) || header.equals(methodHeader);
    }

    /** The setting's spelling: {@code ingress-nginx}. */
    String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The original method (upper case) and the raw URI this proxy described.
     *
     * @param headers every value of a header of the check request, by name (case-insensitive)
     * @param suffix what follows {@code /gate/check} in the check's request target (Envoy's original path)
     * @param checkMethod the check request's own method
     */
    Described describe(Function<String, List<String>> headers, String suffix, String checkMethod)
            throws ForwardedPath.Refused {
        for (String name : DESCRIPTIONS) {
            boolean own = name.equals(uriHeader) || name.equals(methodHeader)
                    // ingress-nginx's own too when an auth-method annotation is set: checked against X-Original-URL below
                    || (this == INGRESS_NGINX && name.equals(ORIGINAL_URI));
            if (!own && !headers.apply(name).isEmpty()) {
                throw new ForwardedPath.Refused(name + " is not a header " + label() + " sends (authgate.gate.forwarded)");
            }
        }
        boolean envoyPath = suffix.startsWith("/");
        String uri;
        String method;
        if (this == ENVOY) {
            if (!envoyPath) {
                throw new ForwardedPath.Refused("no original path after " + Gate.PATH);
            }
            uri = suffix;
            method = checkMethod;
        } else {
            if (envoyPath) {
                throw new ForwardedPath.Refused("a path after " + Gate.PATH + ", which only Envoy sends");
            }
            uri = single(headers, uriHeader);
            method = single(headers, methodHeader);
            if (uri == null) {
                throw new ForwardedPath.Refused("no " + uriHeader);
            }
            if (this == INGRESS_NGINX) {
                uri = requestTarget(uri);
                String alsoUri = single(headers, ORIGINAL_URI);
                if (alsoUri != null && !alsoUri.equals(uri)) {
                    throw new ForwardedPath.Refused(ORIGINAL_URI + " disagrees with " + ORIGINAL_URL);
                }
            }
        }
        if (method == null || !letters(method)) {
            throw new ForwardedPath.Refused("no forwarded method");
        }
        return new Described(method.toUpperCase(Locale.ROOT), uri);
    }

    /**
     * The method the upstream will run: the described one, or the one a method-override header names when
     * {@code allowed} (several must agree). Without {@code allowed} any such header is refused.
     */
    static String overridden(String method, Function<String, List<String>> headers, boolean allowed)
            throws ForwardedPath.Refused {
        String named = null;
        for (String header : METHOD_OVERRIDES) {
            for (String value : headers.apply(header)) {
                if (!allowed) {
                    throw new ForwardedPath.Refused(header + " without authgate.gate.method-override");
                }
                String m = value.strip().toUpperCase(Locale.ROOT);
                if (!letters(m) || (named != null && !named.equals(m))) {
                    throw new ForwardedPath.Refused("a method override that is not one method");
                }
                named = m;
            }
        }
        return named == null ? method : named;
    }

    /** A curl of the check of {@code method uri} as this proxy sends it, for the console's workbench. */
    public String curl(String base, String method, String uri) {
        return switch (this) {
            case ENVOY -> "curl -si -X " + method + " " + base + Gate.PATH + uri;
            case INGRESS_NGINX -> "curl -si " + base + Gate.PATH + " -H '" + methodHeader + ": " + method + "' -H '"
                    + uriHeader + ": http://upstream" + uri + "'";
            default -> "curl -si " + base + Gate.PATH + " -H '" + methodHeader + ": " + method + "' -H '" + uriHeader
                    + ": " + uri + "'";
        };
    }

    /** The method and raw URI (path and query) of the original request. */
    record Described(String method, String uri) {
    }

    /**
     * The path and query of an absolute URL. ingress-nginx writes {@code $http_host} before {@code $request_uri},
     * and NGINX refuses a Host with a {@code /} in it, so the first {@code /} after the scheme starts the request's own
     * target whatever else the client put in Host.
     */
    static String requestTarget(String url) throws ForwardedPath.Refused {
        int scheme = url.indexOf("://");
        if (scheme <= 0 || !url.substring(0, scheme).matches("(?i)https?")) {
            throw new ForwardedPath.Refused(ORIGINAL_URL + " is not an absolute http(s) URL");
        }
        int slash = url.indexOf('/', scheme + 3);
        return slash < 0 ? "/" : url.substring(slash);
    }

    private static String single(Function<String, List<String>> headers, String name) throws ForwardedPath.Refused {
        List<String> values = headers.apply(name);
        if (values.size() > 1) {
            throw new ForwardedPath.Refused("more than one " + name);
        }
        return values.isEmpty() ? null : values.get(0).strip();
    }

    /** One or more ASCII letters: a method name (checked on every request, so without a regex). */
    private static boolean letters(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')) {
                return false;
            }
        }
        return true;
    }
}
