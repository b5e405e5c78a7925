package dev.authgate.mfa;

import java.util.List;

/** What a first factor (a password, a mailed code or link) earns: a token, or a login that waits for a second. */
public sealed interface SignIn {

    /** A factor of the account, as the login step names it. */
    record FactorRef(String id, String type, String name) {
    }

    /** No second factor: the token. */
    record Token(String authToken) implements SignIn {
    }

    /** The account has a second factor: {@code auth/mfa/verify} finishes the login with the mfa_token. */
    record SecondFactor(String mfaToken, List<FactorRef> factors) implements SignIn {
    }
}
