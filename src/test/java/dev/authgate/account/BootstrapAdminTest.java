package dev.authgate.account;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.validation.Validator;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import dev.authgate.config.AuthgateConfig;
import dev.authgate.support.PostgresResource;
import dev.authgate.support.TestDatabase;

/** The bootstrap administrator is made once: deleted, it stays deleted across restarts with the variables set. */
@QuarkusTest
class BootstrapAdminTest {

    @Inject
    BootstrapAdmin bootstrap;
    @Inject
    AuthgateConfig config;
    @Inject
    AuthTables tables;
    @Inject
    PasswordHasher hasher;
    @Inject
    EntityManager em;
    @Inject
    Validator validator;

    private static long admins() {
        return TestDatabase.scalar("select count(*) from staff where email = ?", PostgresResource.ADMIN_EMAIL);
    }

    @Test
    void aDeletedBootstrapAdministratorIsNotMadeAgainAtTheNextStart() {
        assertEquals(1, admins());
        assertEquals(1, TestDatabase.scalar("select count(*) from authgate_bootstrap where name = 'admin'"));
        // the other tests log in as this administrator: delete it, start again, put the same row back
        TestDatabase.update("create table if not exists bootstrap_admin_backup as select * from staff where false");
        TestDatabase.update("insert into bootstrap_admin_backup select * from staff where email = ?", PostgresResource.ADMIN_EMAIL);
        try {
            assertEquals(1, TestDatabase.update("delete from staff where email = ?", PostgresResource.ADMIN_EMAIL));
            bootstrap.onStart(null, config, tables, hasher, em, validator);
            assertEquals(0, admins(), "the deleted bootstrap administrator came back");
            assertEquals(1, TestDatabase.scalar("select count(*) from authgate_bootstrap where name = 'admin'"));
        } finally {
            TestDatabase.update("insert into staff select * from bootstrap_admin_backup on conflict do nothing");
            TestDatabase.update("drop table bootstrap_admin_backup");
        }
        assertEquals(1, admins());
    }
}
