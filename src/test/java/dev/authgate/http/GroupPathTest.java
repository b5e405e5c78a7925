package dev.authgate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The group segment read at the front of every request, without a regex: every spelling the contract allows. */
class GroupPathTest {

    @Test
    void readsTheGroupAndBranchInEverySpelling() {
        assertEquals("main", GroupPath.groupSegment("/api:main/auth/me"));
        assertEquals("main:v1", GroupPath.groupSegment("/api:main:v1/auth/login"));
        assertEquals("main", GroupPath.groupSegment("/api%3Amain/auth/me"));
        assertEquals("main%3Av1", GroupPath.groupSegment("/api%3amain%3Av1/auth/me"));
        assertEquals("main", GroupPath.groupSegment("/API:main"));
        assertEquals("staff", GroupPath.groupSegment("/Api%3Astaff/"));
    }

    @Test
    void anythingElseAddressesNoGroup() {
        assertNull(GroupPath.groupSegment("/api:"));
        assertNull(GroupPath.groupSegment("/api:/auth/me"));
        assertNull(GroupPath.groupSegment("/api%3A/auth/me"));
        assertNull(GroupPath.groupSegment("/api%3"));
        assertNull(GroupPath.groupSegment("/api/auth/me"));
        assertNull(GroupPath.groupSegment("/apimain/auth/me"));
        assertNull(GroupPath.groupSegment("/gate/check"));
        assertNull(GroupPath.groupSegment("/x/api:main"));
        assertNull(GroupPath.groupSegment(""));
        assertNull(GroupPath.groupSegment(null));
    }
}
