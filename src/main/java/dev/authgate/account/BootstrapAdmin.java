package dev.authgate.account;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

import dev.authgate.config.AuthgateConfig;
import dev.authgate.schema.Schema;
import dev.authgate.schema.SchemaMigrated;
import dev.authgate.security.PasswordHasher;

/**
 * {@code AUTHGATE_BOOTSTRAP_ADMIN_EMAIL} / {@code _PASSWORD}: a staff administrator made at start when no staff
 * record has that email (on a database not yet migrated: as soon as the schema is there). {@code on conflict do
 * nothing} makes it safe when several replicas start at once.
 */
@Singleton
public class BootstrapAdmin {

    private static final Logger LOG = Logger.getLogger(BootstrapAdmin.class);

    /** Checks the settings at start (a mistake stops the start), then waits for the schema: see {@link #create}. */
    void onStart(@Observes StartupEvent event, AuthgateConfig config, Schema schema) {
        if (settings(config) != null && !schema.migrated()) {
            LOG.info("Bootstrap administrator: made once the database schema is migrated.");
        }
    }

    /** When the schema is first found migrated (at start, or once a migration Job has run). */
    void create(@Observes SchemaMigrated event, AuthgateConfig config, AuthTables tables, PasswordHasher hasher,
            EntityManager em) {
        Settings settings = settings(config);
        if (settings == null) {
            return;
        }
        AuthTable staff = tables.require("staff", "the bootstrap administrator's table");
        String hash = hasher.hash(settings.password());
        int created = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("insert into " + staff.sqlName()
                + " (name, email, password_hash, role) values (?1, ?2, ?3, ?4) on conflict (email) do nothing")
                .setParameter(1, "Administrator")
                .setParameter(2, settings.email())
                .setParameter(3, hash)
                .setParameter(4, config.adminRole())
                .executeUpdate());
        LOG.infof(created == 1 ? "Bootstrap administrator created in staff." : "Bootstrap administrator already exists.");
    }

    private record Settings(String email, String password) {
    }

    /** null when no bootstrap administrator is configured; throws when half or wrongly set. */
    private static Settings settings(AuthgateConfig config) {
        var bootstrap = config.bootstrap();
        if (bootstrap.adminEmail().isEmpty() && bootstrap.adminPassword().isEmpty()) {
            return null;
        }
        if (bootstrap.adminEmail().isEmpty() || bootstrap.adminPassword().isEmpty()) {
            throw new IllegalStateException(
                    "Set both AUTHGATE_BOOTSTRAP_ADMIN_EMAIL and AUTHGATE_BOOTSTRAP_ADMIN_PASSWORD, or neither.");
        }
        try {
            return new Settings(AccountRules.email(bootstrap.adminEmail().get()),
                    AccountRules.password(bootstrap.adminPassword().get(), "password"));
        } catch (RuntimeException e) {
            throw new IllegalStateException("AUTHGATE_BOOTSTRAP_ADMIN_EMAIL/_PASSWORD: " + e.getMessage());
        }
    }
}
