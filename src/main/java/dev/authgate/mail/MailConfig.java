package dev.authgate.mail;

import java.time.Duration;
import java.util.Optional;

import jakarta.validation.constraints.Positive;

import org.hibernate.validator.constraints.time.DurationMin;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code authgate.mail.*}: where mailed links point, how long secrets live, subjects, template overrides and the
 * send throttle. The flows themselves are turned on per table ({@code authgate.tables.<t>.email.*}); SMTP and the
 * sender are Quarkus' own {@code quarkus.mailer.*}.
 */
@ConfigMapping(prefix = "authgate.mail")
public interface MailConfig {

    /** The user's application, e.g. {@code https://app.example.com}: links are {@code <link-base><path>?token=...}. */
    Optional<String> linkBase();

    /** Lifetime of 6-digit codes. */
    @WithDefault("15M")
    @DurationMin(millis = 1)
    Duration codeExpiration();

    /** Lifetime of link tokens. */
    @WithDefault("1H")
    @DurationMin(millis = 1)
    Duration linkExpiration();

    /** Wrong tries after which a code is void. */
    @WithDefault("5")
    @Positive
    int maxCodeAttempts();

    /**
     * Wrong codes per (table, email) across codes within {@code code-failure-window}; past it no code is compared
     * and only the mailed link signs in until the window passes.
     */
    @WithDefault("20")
    @Positive
    int maxCodeFailures();

    @WithDefault("24H")
    @DurationMin(millis = 1)
    Duration codeFailureWindow();

    /**
     * A directory whose {@code <template>.html} / {@code <template>.txt} files replace the built-in mail templates
     * (Qute syntax), read at each send: e.g. a mounted ConfigMap.
     */
    Optional<String> templatesDir();

    Paths paths();

    Subject subject();

    Throttle throttle();

    /** The path of each flow's link under the link base. */
    interface Paths {
        @WithDefault("/reset")
        String reset();

        @WithDefault("/verify-email")
        String verify();

        @WithDefault("/magic-link")
        String magicLink();

        @WithDefault("/confirm-email-change")
        String emailChange();

        /** In the notice to the old address: cancels the change and ends every session. */
        @WithDefault("/cancel-email-change")
        String cancelEmailChange();
    }

    interface Subject {
        @WithDefault("Reset your password")
        String reset();

        @WithDefault("Confirm your email address")
        String verify();

        @WithDefault("Your sign-in link and code")
        String magicLink();

        @WithDefault("Confirm your new email address")
        String emailChange();

        @WithDefault("Your email address is being changed")
        String emailChangeNotice();

        @WithDefault("A recovery code was used to sign in")
        String recoveryCodeNotice();
    }

    interface Throttle {
        /** Mail requests per (table, email) within {@code authgate.throttle.window}. */
        @WithDefault("5")
        @Positive
        int maxPerEmail();

        /** Mail requests per client address within {@code authgate.throttle.window}. */
        @WithDefault("100")
        @Positive
        int maxPerAddress();
    }
}
