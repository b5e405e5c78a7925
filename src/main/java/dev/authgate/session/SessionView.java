package dev.authgate.session;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A live session as its owner (or an administrator) sees it.
 *
 * @param createdAt epoch milliseconds
 * @param expiresAt epoch milliseconds, null when the token never expires
 * @param ip the client's address when the token was issued (null when unknown)
 * @param current whether it is the session of the token that asked
 */
@RegisterForReflection
public record SessionView(String id, @JsonProperty("created_at") long createdAt, @JsonProperty("expires_at") Long expiresAt,
        String ip, @JsonProperty("user_agent") String userAgent, boolean current) {

    static SessionView of(AuthSession s, boolean current) {
        return new SessionView(s.jti.toString(), s.issuedAt.toEpochMilli(),
                s.expiresAt == null ? null : s.expiresAt.toEpochMilli(), s.ip, s.userAgent, current);
    }
}
