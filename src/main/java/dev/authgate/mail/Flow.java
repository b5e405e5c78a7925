package dev.authgate.mail;

import java.util.function.Predicate;

import dev.authgate.config.AuthgateConfig;

/** The four flows an auth table turns on with {@code authgate.tables.<t>.email.<flag>}. */
public enum Flow {
    RESET("reset", AuthgateConfig.Table.Email::reset),
    VERIFY("verify", AuthgateConfig.Table.Email::verify),
    MAGIC_LINK("magic-link", AuthgateConfig.Table.Email::magicLink),
    CHANGE("change", AuthgateConfig.Table.Email::change);

    final String flag;
    private final Predicate<AuthgateConfig.Table.Email> on;

    Flow(String flag, Predicate<AuthgateConfig.Table.Email> on) {
        this.flag = flag;
        this.on = on;
    }

    boolean isOn(AuthgateConfig.Table.Email email) {
        return on.test(email);
    }
}
