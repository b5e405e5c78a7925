package dev.authgate.security;

import java.security.Principal;

import dev.authgate.account.AccountView;
import dev.authgate.token.Auth;

/** The caller behind a valid token: its $auth and its record as read with the session. Named by the record id. */
public record TokenPrincipal(Auth auth, AccountView record) implements Principal {

    @Override
    public String getName() {
        return Long.toString(auth.id());
    }
}
