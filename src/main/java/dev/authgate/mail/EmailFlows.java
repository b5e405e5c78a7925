package dev.authgate.mail;

import jakarta.inject.Singleton;

import io.quarkus.runtime.Startup;

import dev.authgate.account.AuthTable;
import dev.authgate.account.AuthTables;
import dev.authgate.failure.Failure;

/**
 * Which flows each auth table has turned on. A flow that is off does not exist: 404 exactly like an unknown route.
 * Checked at start: a flow that is on needs {@code authgate.mail.link-base}, or its mails would carry no link.
 */
@Startup
@Singleton
public class EmailFlows {

    public EmailFlows(AuthTables tables, MailConfig mail) {
        for (AuthTable table : tables.all()) {
            for (Flow flow : Flow.values()) {
                if (flow.isOn(table.email()) && mail.linkBase().filter(b -> !b.isBlank()).isEmpty()) {
                    throw new IllegalStateException("authgate.tables." + table.name() + ".email." + flow.flag
                            + " is on, so authgate.mail.link-base (AUTHGATE_MAIL_LINK_BASE) must be set: the URL of"
                            + " your application that mailed links open, e.g. https://app.example.com");
                }
            }
        }
    }

    public boolean isOn(AuthTable table, Flow flow) {
        return flow.isOn(table.email());
    }

    /** Nothing when the flow is on; otherwise the unknown-route 404. */
    public void require(AuthTable table, Flow flow) {
        if (!isOn(table, flow)) {
            throw Failure.unknownRoute();
        }
    }
}
