package dev.authgate.account;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import dev.authgate.support.TestDatabase;

/**
 * The decoy verified for unknown emails follows the cost most stored hashes have, not the configured one: after a
 * cost change, an unknown email must take as long as the typical known account.
 */
@QuarkusTest
class StoredHashCostTest {

    @Inject
    StoredHashCost stored;
    @Inject
    PasswordHasher hasher;

    @Test
    void theDecoyTakesTheCostOfMostStoredHashes() {
        stored.refresh();
        assertEquals(10, stored.mostCommon(), "the tests' accounts are at the default cost");
        assertEquals(10, hasher.decoyCost());
        long atTen = TestDatabase.scalar("select (select count(*) from \"user\") + (select count(*) from staff)"
                + " + (select count(*) from customer)");
        String cost4 = new PasswordHasher(4).hash("an old password");
        // accounts from before a cost change: more of them at 4 than there are at 10 — twice as many and some, as an
        // earlier test's requests may still be landing sign-ups on a loaded machine after they were counted
        TestDatabase.update("insert into customer (name, email, password_hash) select 'Old', 'old-cost-' || i || '@example.com', ?"
                + " from generate_series(1, ?) i", cost4, 2 * (int) atTen + 500);
        try {
            stored.refresh();
            assertEquals(4, stored.mostCommon());
            assertEquals(4, hasher.decoyCost());
        } finally {
            TestDatabase.update("delete from customer where email like 'old-cost-%@example.com'");
        }
        stored.refresh();
        assertEquals(10, hasher.decoyCost());
    }
}
