package dev.authgate.session;

import java.time.Duration;

import jakarta.validation.constraints.Positive;

import org.hibernate.validator.constraints.time.DurationMin;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code authgate.sessions.cache.*}: the replica-local cache of live sessions (see {@link SessionCache}). */
@ConfigMapping(prefix = "authgate.sessions.cache")
public interface SessionCacheConfig {

    /** false: every request reads its session from PostgreSQL, as before the cache. */
    @WithDefault("true")
    boolean enabled();

    /** Sessions (and as many records) kept per replica; the least used go first. */
    @WithDefault("100000")
    @Positive
    long maximumSize();

    /** A safety net only: entries are dropped by notifications and by the token's own exp. */
    @WithDefault("10m")
    @DurationMin(millis = 1)
    Duration maxAge();

    /**
     * How often the listening connection proves it is alive (a {@code select 1}) when no notification comes.
     */
    @WithDefault("500ms")
    @DurationMin(millis = 1)
    Duration heartbeat();

    /**
     * The cache is trusted only this long after the listening connection last answered: if the connection dies
     * silently (a network partition, no reset), no revocation is missed for longer than this.
     */
    @WithDefault("2s")
    @DurationMin(millis = 1)
    Duration trustWindow();

    /** Pause between attempts to re-establish the listening connection. */
    @WithDefault("1s")
    @DurationMin(millis = 1)
    Duration reconnectDelay();
}
