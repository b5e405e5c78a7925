package dev.authgate.mail;

/** What a mailed secret is for (the {@code purpose} column): a secret of one purpose opens nothing else. */
enum Purpose {
    RESET("reset"),
    VERIFY("verify"),
    MAGIC_LINK("magic-link"),
    MAGIC_CODE("magic-code"),
    EMAIL_CHANGE("email-change");

    final String column;

    Purpose(String column) {
        this.column = column;
    }
}
