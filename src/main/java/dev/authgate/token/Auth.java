package dev.authgate.token;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code $auth}: what a valid authToken carries.
 *
 * @param exp epoch seconds, or 0 when the token never expires
 * @param clientId the service client that issued the token ({@code auth/issue}), else null
 * @param assurance {@code aal} and {@code amr}; {@link Assurance#LEGACY} for a token issued before they existed
 */
public record Auth(long id, String dbtable, Map<String, Object> extras, long iat, long exp, UUID jti,
        String clientId, Assurance assurance) {

    public Auth {
        extras = Collections.unmodifiableMap(new LinkedHashMap<>(extras));
        assurance = assurance == null ? Assurance.LEGACY : assurance;
    }

    /** A token no service client issued, without assurance claims (aal 1, no methods). */
    public Auth(long id, String dbtable, Map<String, Object> extras, long iat, long exp, UUID jti) {
        this(id, dbtable, extras, iat, exp, jti, null, Assurance.LEGACY);
    }

    /** A token no service client issued. */
    public Auth(long id, String dbtable, Map<String, Object> extras, long iat, long exp, UUID jti,
            Assurance assurance) {
        this(id, dbtable, extras, iat, exp, jti, null, assurance);
    }

    /** 1 or 2; 1 for a token issued before the claim existed. */
    public int aal() {
        return assurance.aal();
    }

    /** RFC 8176 method names; empty for a token issued before the claim existed. */
    public List<String> amr() {
        return assurance.amr();
    }

    public boolean expires() {
        return exp != 0;
    }

    /** The role used by {@code @RolesAllowed}, when {@code extras.role} is a string. */
    public String role() {
        return extras.get("role") instanceof String role ? role : null;
    }
}
