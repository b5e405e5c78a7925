package dev.authgate.token;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * {@code $auth}: what a valid authToken carries.
 *
 * @param exp epoch seconds, or 0 when the token never expires
 * @param clientId the service client that issued the token ({@code auth/issue}), else null
 */
public record Auth(long id, String dbtable, Map<String, Object> extras, long iat, long exp, UUID jti,
        String clientId) {

    public Auth {
        extras = Collections.unmodifiableMap(new LinkedHashMap<>(extras));
    }

    /** A token no service client issued. */
    public Auth(long id, String dbtable, Map<String, Object> extras, long iat, long exp, UUID jti) {
        this(id, dbtable, extras, iat, exp, jti, null);
    }

    public boolean expires() {
        return exp != 0;
    }

    /** The role used by {@code @RolesAllowed}, when {@code extras.role} is a string. */
    public String role() {
        return extras.get("role") instanceof String role ? role : null;
    }
}
