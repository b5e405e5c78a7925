package dev.authgate.mfa;

import dev.authgate.account.AuthTable;

/** A recovery code opened a login (fired after its transaction committed): the account's owner is told by mail. */
public record RecoveryCodeUsed(AuthTable table, long accountId, long left) {
}
