package dev.authgate.account;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import jakarta.validation.Validator;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

import dev.authgate.config.AuthgateConfig;

/**
 * {@code AUTHGATE_BOOTSTRAP_ADMIN_EMAIL} / {@code _PASSWORD}: a staff administrator made at start when no staff
 * record has that email. {@code on conflict do nothing} makes it safe when several replicas start at once.
 */
@Singleton
public class BootstrapAdmin {

    private static final Logger LOG = Logger.getLogger(BootstrapAdmin.class);

    void onStart(@Observes StartupEvent event, AuthgateConfig config, AuthTables tables, PasswordHasher hasher,
            EntityManager em, Validator validator) {
        var bootstrap = config.bootstrap();
        if (bootstrap.adminEmail().isEmpty() && bootstrap.adminPassword().isEmpty()) {
            return;
        }
        if (bootstrap.adminEmail().isEmpty() || bootstrap.adminPassword().isEmpty()) {
            throw new IllegalStateException(
                    "Set both AUTHGATE_BOOTSTRAP_ADMIN_EMAIL and AUTHGATE_BOOTSTRAP_ADMIN_PASSWORD, or neither.");
        }
        // the sign-up rules, so the administrator can log in like anyone else
        var admin = new Signup("Administrator", bootstrap.adminEmail().get(), bootstrap.adminPassword().get());
        validator.validate(admin).stream().findFirst().ifPresent(v -> {
            throw new IllegalStateException("AUTHGATE_BOOTSTRAP_ADMIN_EMAIL/_PASSWORD: " + v.getMessage());
        });
        String email = admin.email();
        String password = admin.password();
        AuthTable staff = tables.require("staff", "the bootstrap administrator's table");
        String hash = hasher.hash(password);
        int created = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("insert into " + staff.sqlName()
                + " (name, email, password_hash, role) values (?1, ?2, ?3, ?4) on conflict (email) do nothing")
                .setParameter(1, "Administrator")
                .setParameter(2, email)
                .setParameter(3, hash)
                .setParameter(4, config.adminRole())
                .executeUpdate());
        LOG.infof(created == 1 ? "Bootstrap administrator created in staff." : "Bootstrap administrator already exists.");
    }
}
