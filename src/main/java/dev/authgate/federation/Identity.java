package dev.authgate.federation;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** An identity at a provider linked to a record, as {@code GET auth/identities} lists it. */
@RegisterForReflection
public record Identity(long id, String provider, String subject, String email,
        @JsonProperty("email_verified") boolean emailVerified, @JsonProperty("created_at") Instant createdAt) {
}
