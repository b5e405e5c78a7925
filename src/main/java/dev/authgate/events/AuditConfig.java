package dev.authgate.events;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMin;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code authgate.audit.*}: the audit trail and the delivery of its webhooks (docs/events.md). */
@ConfigMapping(prefix = "authgate.audit")
public interface AuditConfig {

    /** How long an audit row is kept; older rows are deleted by a job on any replica. */
    @WithDefault("90d")
    @DurationMin(hours = 1)
    Duration retention();

    Delivery delivery();

    /** How webhooks are delivered: the same for every webhook. */
    interface Delivery {
        /** How often a replica looks for due deliveries. */
        @WithDefault("1s")
        @DurationMin(millis = 10)
        Duration every();

        /** The wait after a first failure; it doubles with each further one (with jitter), up to {@link #maxBackoff}. */
        @WithDefault("5s")
        @DurationMin(millis = 1)
        Duration backoff();

        @WithDefault("10m")
        @DurationMin(millis = 1)
        Duration maxBackoff();

        /** A delivery still failing this long after its event is marked failed (retry from the console). */
        @WithDefault("3d")
        @DurationMin(seconds = 1)
        Duration giveUpAfter();

        /** Connect and answer timeout of one attempt. */
        @WithDefault("10s")
        @DurationMin(millis = 1)
        Duration timeout();
    }
}
