package dev.authgate.account;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A record as clients see it: never the password or its hash.
 *
 * Registered for reflection: it also travels inside the records API's pages and security attributes.
 *
 * @param createdAt epoch milliseconds, as Xano answers
 */
@RegisterForReflection
public record AccountView(long id, @JsonProperty("created_at") long createdAt, String name, String email, String role,
        Map<String, Object> extras, boolean verified) {

    public static AccountView of(Account a) {
        return new AccountView(a.id, a.createdAt.toEpochMilli(), a.name, a.email, a.role, a.extras, a.verified);
    }
}
