package dev.authgate.oidc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.authgate.account.Account;
import dev.authgate.account.AccountView;

/** The standard claims a scope releases (OIDC Core §5.4): {@code email} and {@code email_verified}; {@code name}. */
final class UserClaims {

    private UserClaims() {
    }

    static Map<String, Object> of(Account account, Set<String> scopes) {
        return of(account.email, account.verified, account.name, scopes);
    }

    static Map<String, Object> of(AccountView record, Set<String> scopes) {
        return of(record.email(), record.verified(), record.name(), scopes);
    }

    private static Map<String, Object> of(String email, boolean verified, String name, Set<String> scopes) {
        Map<String, Object> claims = new LinkedHashMap<>();
        if (scopes.contains(Scopes.EMAIL) && email != null) {
            claims.put("email", email);
            claims.put("email_verified", verified);
        }
        if (scopes.contains(Scopes.PROFILE) && name != null) {
            claims.put("name", name);
        }
        return claims;
    }
}
