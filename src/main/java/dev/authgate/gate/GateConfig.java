package dev.authgate.gate;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The gate's route rules: {@code authgate.gate.*} (README.md, "The gate"). Compiled once at start by {@link Rules}. */
@ConfigMapping(prefix = "authgate.gate")
public interface GateConfig {

    /** {@code authgate.gate.routes.<name>.*}: the name is what logs and metrics call the rule. */
    Map<String, Route> routes();

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

        /** {@code public} | {@code authenticated} | {@code role:<r1>[|<r2>...]} | {@code permission:<p>}. */
        String access();

        /** The token's {@code aal} must be at least this: 1 (the default) or 2 (a second factor). */
        @WithDefault("1")
        int aal();
    }
}
