package dev.authgate.mail;

/** What a mailed secret is for (the {@code purpose} column): a secret of one purpose opens nothing else. */
enum Purpose {
    RESET("reset"),
    VERIFY("verify"),
    MAGIC_LINK("magic-link"),
    MAGIC_CODE("magic-code"),
    EMAIL_CHANGE("email-change"),
    /** In the notice to the old address: cancels the change. */
    EMAIL_CHANGE_CANCEL(dev.authgate.account.MailedSecrets.CANCEL_PURPOSE);

    final String column;

    Purpose(String column) {
        this.column = column;
    }
}
