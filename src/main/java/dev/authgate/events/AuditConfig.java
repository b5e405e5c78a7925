package dev.authgate.events;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMin;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code authgate.audit.*}: the audit trail (docs/events.md). */
@ConfigMapping(prefix = "authgate.audit")
public interface AuditConfig {

    /** How long an audit row is kept; older rows are deleted by a job on any replica. */
    @WithDefault("90d")
    @DurationMin(hours = 1)
    Duration retention();

}
