package dev.authgate.account;

import static dev.authgate.account.AccountRule.Kind.EMAIL;
import static dev.authgate.account.AccountRule.Kind.NAME;
import static dev.authgate.account.AccountRule.Kind.PASSWORD;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import jakarta.validation.Validator;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

import dev.authgate.config.AuthgateConfig;
import dev.authgate.schema.Schema;
import dev.authgate.schema.SchemaMigrated;

/**
 * {@code AUTHGATE_BOOTSTRAP_ADMIN_EMAIL} / {@code _PASSWORD}: a staff administrator made once, when the schema is
 * first found migrated with an empty staff table, and recorded in {@code authgate_bootstrap}: an administrator who
 * deletes it (or any later one) does not see it come back at the next restart while the variables are still set.
 * The record's primary key makes it safe when several replicas start at once: the others wait for the first and
 * find the row.
 */
@Singleton
public class BootstrapAdmin {

    private static final Logger LOG = Logger.getLogger(BootstrapAdmin.class);

    private enum Outcome { CREATED, STAFF_EXISTS, RAN_BEFORE }

    /** Checks the settings at start (a mistake stops the start); the administrator waits for the schema. */
    void onStart(@Observes StartupEvent event, AuthgateConfig config, Validator validator, Schema schema) {
        if (settings(config, validator) != null && !schema.migrated()) {
            LOG.info("Bootstrap administrator: made once the database schema is migrated.");
        }
    }

    /** When the schema is first found migrated (at start, or once a migration Job has run). */
    void create(@Observes SchemaMigrated event, AuthgateConfig config, AuthTables tables, PasswordHasher hasher,
            EntityManager em, Validator validator) {
        Admin admin = settings(config, validator);
        if (admin == null) {
            return;
        }
        AuthTable staff = tables.require("staff", "the bootstrap administrator's table");
        // Hashed only once the record is to be made: every later start (the usual case) skips the slow hash.
        Outcome outcome = QuarkusTransaction.requiringNew().call(() -> {
            if (em.createNativeQuery("insert into authgate_bootstrap (name) values ('admin') on conflict do nothing")
                    .executeUpdate() == 0) {
                return Outcome.RAN_BEFORE;
            }
            if (!em.createNativeQuery("select 1 from " + staff.sqlName() + " limit 1").getResultList().isEmpty()) {
                return Outcome.STAFF_EXISTS;
            }
            em.createNativeQuery("insert into " + staff.sqlName()
                    + " (name, email, password_hash, role) values (?1, ?2, ?3, ?4)")
                    .setParameter(1, admin.name())
                    .setParameter(2, admin.email())
                    .setParameter(3, hasher.hash(admin.password()))
                    .setParameter(4, config.adminRole())
                    .executeUpdate();
            return Outcome.CREATED;
        });
        LOG.info(switch (outcome) {
            case CREATED -> "Bootstrap administrator created in staff.";
            case STAFF_EXISTS -> "Bootstrap administrator not created: the staff table has records.";
            case RAN_BEFORE -> "Bootstrap administrator: done at an earlier start, not made again. "
                    + "AUTHGATE_BOOTSTRAP_ADMIN_EMAIL/_PASSWORD can be unset.";
        });
    }

    /** The bootstrap administrator's settings, held to the sign-up rules. */
    private record Admin(@AccountRule(NAME) String name, @AccountRule(EMAIL) String email,
            @AccountRule(PASSWORD) String password) {
    }

    /** Null when no bootstrap administrator is configured; throws when half or wrongly set (the sign-up rules). */
    private static Admin settings(AuthgateConfig config, Validator validator) {
        var bootstrap = config.bootstrap();
        if (bootstrap.adminEmail().isEmpty() && bootstrap.adminPassword().isEmpty()) {
            return null;
        }
        if (bootstrap.adminEmail().isEmpty() || bootstrap.adminPassword().isEmpty()) {
            throw new IllegalStateException(
                    "Set both AUTHGATE_BOOTSTRAP_ADMIN_EMAIL and AUTHGATE_BOOTSTRAP_ADMIN_PASSWORD, or neither.");
        }
        var admin = new Admin("Administrator", AccountRules.normalizeEmail(bootstrap.adminEmail().get()),
                bootstrap.adminPassword().get());
        validator.validate(admin).stream().findFirst().ifPresent(v -> {
            throw new IllegalStateException("AUTHGATE_BOOTSTRAP_ADMIN_EMAIL/_PASSWORD: " + v.getMessage());
        });
        return admin;
    }
}
