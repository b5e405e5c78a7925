package dev.authgate.mail;

import java.util.Arrays;
import java.util.Map;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.authgate.mfa.RecoveryCodeUsed;

/**
 * A notice to the account's address when one of its recovery codes opened a login, so that a stolen code does not
 * go unnoticed: sent when mail is configured for the table (any of its email flows is on).
 */
@Singleton
public class RecoveryNotice {

    private static final Logger LOG = Logger.getLogger(RecoveryNotice.class);

    private final EmailFlows flows;
    private final AccountRows accounts;
    private final Outbox outbox;

    public RecoveryNotice(EmailFlows flows, AccountRows accounts, Outbox outbox) {
        this.flows = flows;
        this.accounts = accounts;
        this.outbox = outbox;
    }

    void used(@Observes RecoveryCodeUsed event) {
        if (Arrays.stream(Flow.values()).noneMatch(f -> flows.isOn(event.table(), f))) {
            return;
        }
        try {
            QuarkusTransaction.requiringNew().call(() -> accounts.byId(event.table(), event.accountId()))
                    .ifPresent(row -> outbox.send(Outbox.Letter.RECOVERY_CODE_NOTICE, row.email(),
                            Map.of("email", row.email(), "left", event.left())));
        } catch (RuntimeException e) {
            LOG.warnf("recovery code notice not queued: table=%s failure=%s", event.table().name(),
                    e.getClass().getName());
        }
    }
}
