package dev.authgate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.EOFException;

import javax.transaction.xa.XAException;

import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

import io.quarkus.arc.ArcUndeclaredThrowableException;

import jakarta.transaction.RollbackException;

/** What the database going away looks like by the time it reaches the edge: a 503, never a 500. */
class UnreachableDatabaseTest {

    @Test
    void aCommitCutByALostConnectionIs503() {
        // as DatabaseOutageIT met it: Narayana's RollbackException with the driver's XAException *suppressed*, wrapped
        // by ArC because @Transactional threw a checked exception
        XAException xa = new XAException("Error during one-phase commit");
        xa.initCause(new PSQLException("An I/O error occurred", PSQLState.CONNECTION_FAILURE, new EOFException()));
        RollbackException rollback = new RollbackException("ARJUNA016053: Could not commit transaction.");
        rollback.addSuppressed(xa);
        var reply = ErrorMapper.unexpectedFailure(new ArcUndeclaredThrowableException("Error invoking subclass method",
                rollback));
        assertEquals(503, reply.status());
    }

    @Test
    void aRollbackForAnyOtherReasonIsStill500() {
        RollbackException rollback = new RollbackException("ARJUNA016053: Could not commit transaction.");
        rollback.addSuppressed(new IllegalStateException("a constraint of our own"));
        assertEquals(500, ErrorMapper.unexpectedFailure(new ArcUndeclaredThrowableException("x", rollback)).status());
    }
}
