package dev.authgate.gate;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The gate's route rules: {@code authgate.gate.*} (README.md, "The gate"). Compiled once at start by {@link RouteTable}. */
@ConfigMapping(prefix = "authgate.gate")
public interface GateConfig {

    /** {@code authgate.gate.routes.<name>.*}: the name is what logs and metrics call the rule. */
    Map<String, Route> routes();

    /**
     * The proxy in front, whose one pair of headers (or, for Envoy, the path after /gate/check) describes the
     * original request; the others are refused when present. {@code nginx} | {@code ingress-nginx} | {@code traefik}
     * | {@code caddy} | {@code envoy}.
     */
    @WithDefault("nginx")
    Forwarded forwarded();

    /**
     * Whether a check carrying X-HTTP-Method-Override, X-HTTP-Method or X-Method-Override is decided on the method it
     * names (true) or refused with 403 (false): an upstream that honours one would run another method than the rules
     * saw.
     */
    @WithDefault("false")
    boolean methodOverride();

    /** What a request no rule matches gets: {@code deny} (403) or an access like a rule's, in group {@code main}. */
    @WithDefault("deny")
    String defaultAccess();

    interface Route {
        /** A glob on the normalized path: {@code *} is one segment, {@code **} any number. */
        String path();

        /** Upper-case HTTP methods; unset = every method. */
        Optional<List<String>> methods();

        /** The API group whose auth table the token must belong to. */
        @WithDefault("main")
        String group();

        /**
         * Literal segments compared case by case; by default {@code /api/Admin} is {@code /api/admin}, as upstreams that
         * route without regard to case read it.
         */
        @WithDefault("false")
        boolean caseSensitive();

        /** {@code public} | {@code authenticated} | {@code role:<r1>[|<r2>...]} | {@code permission:<p>}. */
        String access();

        /** The token's {@code aal} must be at least this: 1 (the default) or 2 (a second factor). */
        @WithDefault("1")
        int aal();
    }
}
