package dev.authgate.mail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import io.quarkus.qute.Variant;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.ext.mail.SMTPException;

/**
 * Renders a mail from its Qute templates (HTML and text) and sends it over SMTP in the background: the request
 * that caused it neither waits for the SMTP server nor learns whether it answered, so neither timing nor a
 * failure tells whether an account exists. Failures are logged without address or secret, and counted in
 * {@code authgate_mails_total{letter, outcome}}.
 */
@Singleton
public class Outbox {

    private static final Logger LOG = Logger.getLogger(Outbox.class);
    static final String SENT = "sent";
    static final String FAILED = "failed";

    /** A kind of mail: its templates are {@code templates/mail/<name>.html} and {@code .txt}. */
    enum Letter {
        RESET("reset", MailConfig.Subject::reset),
        VERIFY("verify", MailConfig.Subject::verify),
        MAGIC_LINK("magic-link", MailConfig.Subject::magicLink),
        EMAIL_CHANGE("email-change", MailConfig.Subject::emailChange),
        EMAIL_CHANGE_NOTICE("email-change-notice", MailConfig.Subject::emailChangeNotice),
        RECOVERY_CODE_NOTICE("recovery-code-notice", MailConfig.Subject::recoveryCodeNotice);

        final String template;
        private final Function<MailConfig.Subject, String> subject;

        Letter(String template, Function<MailConfig.Subject, String> subject) {
            this.template = template;
            this.subject = subject;
        }
    }

    private final ReactiveMailer mailer;
    private final Engine engine;
    private final MailConfig config;
    private final MeterRegistry registry;

    public Outbox(ReactiveMailer mailer, Engine engine, MailConfig config, MeterRegistry registry) {
        this.mailer = mailer;
        this.engine = engine;
        this.config = config;
        this.registry = registry;
        for (Letter letter : Letter.values()) {
            counter(letter, SENT);
            counter(letter, FAILED);
        }
    }

    /** Queues the mail and returns at once. */
    void send(Letter letter, String to, Map<String, Object> data) {
        LOG.debugf("mail queued: letter=%s", letter.template);
        Uni.createFrom().item(() -> compose(letter, to, data))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                // once more on a fresh connection: a pooled one may have been closed by the server meanwhile
                .chain(mail -> mailer.send(mail).onFailure().retry().atMost(1))
                .subscribe().with(ok -> {
                    LOG.debugf("mail sent: letter=%s", letter.template);
                    counter(letter, SENT).increment();
                }, failure -> {
                    // The exception's message can hold the address (an SMTP reply quotes it): type and code only.
                    LOG.warnf("mail not sent: letter=%s failure=%s", letter.template, describe(failure));
                    counter(letter, FAILED).increment();
                });
    }

    private Mail compose(Letter letter, String to, Map<String, Object> data) {
        return Mail.withHtml(to, letter.subject.apply(config.subject()), render(letter, "html", data))
                .setText(render(letter, "txt", data));
    }

    /** The operator's template from {@code authgate.mail.templates-dir} when there is one, else the built-in. */
    private String render(Letter letter, String suffix, Map<String, Object> data) {
        String file = letter.template + "." + suffix;
        Template template = config.templatesDir().map(dir -> Path.of(dir, file)).filter(Files::isRegularFile)
                .map(path -> engine.parse(read(path), new Variant(Locale.ROOT,
                        suffix.equals("html") ? Variant.TEXT_HTML : Variant.TEXT_PLAIN, "UTF-8")))
                .orElseGet(() -> engine.getTemplate("mail/" + file));
        var instance = template.instance();
        data.forEach(instance::data);
        return instance.render();
    }

    private static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read mail template " + path.getFileName(), e);
        }
    }

    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root instanceof SMTPException smtp ? root.getClass().getName() + " reply=" + smtp.getReplyCode()
                : root.getClass().getName();
    }

    private Counter counter(Letter letter, String outcome) {
        return Counter.builder("authgate.mails").description("Mails by kind and outcome (sent to the SMTP server or not)")
                .tags("letter", letter.template, "outcome", outcome).register(registry);
    }
}
