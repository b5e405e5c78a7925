package dev.authgate.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Hashes made at an old cost are flagged for rehashing; the decoy takes the cost it is given. */
class PasswordHasherTest {

    private final PasswordHasher at5 = new PasswordHasher(5);

    @Test
    void aHashAtAnotherCostNeedsRehashingOneAtTheConfiguredCostDoesNot() {
        String current = at5.hash("a password");
        String older = new PasswordHasher(4).hash("a password");
        assertEquals(5, PasswordHasher.cost(current));
        assertEquals(4, PasswordHasher.cost(older));
        assertFalse(at5.needsRehash(current));
        assertTrue(at5.needsRehash(older));
        assertTrue(at5.verify("a password", older), "still verifies: rehashing happens after a successful login");
        for (String garbage : new String[] { null, "", "plain text", "$2a$05$short", "$1$abc$def" }) {
            assertTrue(at5.needsRehash(garbage), String.valueOf(garbage));
            assertEquals(-1, PasswordHasher.cost(garbage));
        }
    }

    @Test
    void theDecoyFollowsTheCostItIsGiven() {
        assertEquals(5, at5.decoyCost());
        assertFalse(at5.verifyNothing("x"));
        at5.decoyCost(4);
        assertEquals(4, at5.decoyCost());
        assertFalse(at5.verifyNothing("x"));
        at5.decoyCost(3); // out of range: ignored
        at5.decoyCost(32);
        assertEquals(4, at5.decoyCost());
    }
}
