package dev.authgate.events;

import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One audit row as administrators read it.
 *
 * @param at epoch milliseconds, as Xano answers
 */
@RegisterForReflection
public record AuditEntry(long id, long at, String table, @JsonProperty("account_id") Long accountId, String event,
        String outcome, String ip, @JsonProperty("user_agent") String userAgent, UUID session,
        @JsonProperty("actor_table") String actorTable, @JsonProperty("actor_id") Long actorId,
        Map<String, Object> detail) {
}
