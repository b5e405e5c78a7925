package dev.authgate.mail;

import java.util.Map;

import jakarta.inject.Singleton;

import io.quarkus.runtime.Startup;

import dev.authgate.account.AuthTable;
import dev.authgate.config.AuthgateConfig;
import dev.authgate.failure.Failure;

/**
 * Which flows each auth table has turned on. A flow that is off does not exist: 404 exactly like an unknown route.
 * Checked at start: a flow that is on needs {@code authgate.mail.link-base}, or its mails would carry no link.
 */
@Startup
@Singleton
public class EmailFlows {

    private final Map<String, AuthgateConfig.Table> tables;

    public EmailFlows(AuthgateConfig config, MailConfig mail) {
        this.tables = Map.copyOf(config.tables());
        tables.forEach((name, table) -> {
            for (Flow flow : Flow.values()) {
                if (flow.isOn(table.email()) && mail.linkBase().filter(b -> !b.isBlank()).isEmpty()) {
                    throw new IllegalStateException("authgate.tables." + name + ".email." + flow.flag
                            + " is on, so authgate.mail.link-base (AUTHGATE_MAIL_LINK_BASE) must be set: the URL of"
                            + " your application that mailed links open, e.g. https://app.example.com");
                }
            }
        });
    }

    public boolean isOn(AuthTable table, Flow flow) {
        AuthgateConfig.Table settings = tables.get(table.name());
        return settings != null && flow.isOn(settings.email());
    }

    /** Nothing when the flow is on; otherwise the unknown-route 404. */
    public void require(AuthTable table, Flow flow) {
        if (!isOn(table, flow)) {
            throw Failure.unknownRoute();
        }
    }
}
