package dev.authgate.events;

import java.util.UUID;

/**
 * Who caused an event and from where: the edge supplies it (http/RequestAudit, from the HTTP request and its
 * token); events know nothing of HTTP.
 */
public interface AuditContext {

    /** Everything null outside a request (a scheduled job) or for an anonymous caller. */
    record Context(String ip, String userAgent, UUID session, String actorTable, Long actorId) {
        public static final Context NONE = new Context(null, null, null, null, null);
    }

    Context current();
}
