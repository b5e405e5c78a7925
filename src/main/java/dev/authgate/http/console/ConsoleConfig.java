package dev.authgate.http.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The administrators' console at {@code /console/}: {@code authgate.console.*} (docs/console.md). */
@ConfigMapping(prefix = "authgate.console")
public interface ConsoleConfig {

    /** Serve the console; off (the default outside dev mode), every console path is a 404 like an unknown route. */
    @WithDefault("false")
    boolean enabled();

    /** The console's cookies are {@code Secure}: sent over HTTPS only. Off in dev mode, which serves plain HTTP. */
    @WithDefault("true")
    boolean secureCookies();
}
