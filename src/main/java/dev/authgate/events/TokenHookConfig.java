package dev.authgate.events;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import org.hibernate.validator.constraints.time.DurationMin;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code authgate.hooks.token.*}: the token hook (docs/events.md); checked at start by {@link TokenHook}. */
@ConfigMapping(prefix = "authgate.hooks.token")
public interface TokenHookConfig {

    /** An http or https URL; unset: no hook. */
    Optional<URI> url();

    /** {@code whsec_...}, required with a URL. */
    Optional<String> secret();

    /** The longest a hook may make a sign-in wait. */
    @WithDefault("2s")
    @DurationMin(millis = 1)
    Duration timeout();

    /** What a slow or broken hook does: {@code deny} the sign-in, or {@code issue} the token without its extras. */
    @WithDefault("deny")
    OnFailure onFailure();

    /** Whether the hook's answer may set {@code extras.role}; else a role it sends is dropped. */
    @WithDefault("false")
    boolean maySetRole();

    enum OnFailure {
        DENY, ISSUE
    }
}
