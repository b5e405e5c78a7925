package dev.authgate.http;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.authgate.token.Auth;

/** {@code GET auth/token}: the caller's $auth, for services that validate a token without holding the key. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenInfo(long id, String dbtable, Map<String, Object> extras, long iat, Long exp, UUID jti, int aal,
        List<String> amr) {

    static TokenInfo of(Auth auth) {
        return new TokenInfo(auth.id(), auth.dbtable(), auth.extras(), auth.iat(), auth.expires() ? auth.exp() : null,
                auth.jti(), auth.aal(), auth.amr());
    }
}
