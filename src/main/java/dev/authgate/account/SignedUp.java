package dev.authgate.account;

/** A CDI event fired after a sign-up committed: e.g. the verification mail observes it. */
public record SignedUp(AuthTable table, long accountId, String email) {
}
