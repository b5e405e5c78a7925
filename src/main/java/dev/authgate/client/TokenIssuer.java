package dev.authgate.client;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.authgate.events.Audit;
import dev.authgate.events.AuditEvent;
import dev.authgate.account.AccountRules;
import dev.authgate.account.AuthTable;
import dev.authgate.failure.Failure;
import dev.authgate.metrics.AuthMetrics;
import dev.authgate.session.SessionIssuer;
import dev.authgate.token.Assurance;
import dev.authgate.token.TokenService;

/**
 * Xano's "Create Authentication Token" for trusted services: a token for a record id with the extras the service
 * chooses. The token is a session like any other ({@link SessionIssuer#issue}): it can be introspected, logged out,
 * revoked, and ends with the record.
 */
@Singleton
public class TokenIssuer {

    static final String KIND = "client";

    private static final Logger LOG = Logger.getLogger(TokenIssuer.class);

    private final EntityManager em;
    private final SessionIssuer tokens;
    private final AuthMetrics metrics;
    private final Audit audit;

    public TokenIssuer(EntityManager em, SessionIssuer tokens, AuthMetrics metrics, Audit audit) {
        this.audit = audit;
        this.em = em;
        this.tokens = tokens;
        this.metrics = metrics;
    }

    /** What a client asks for; {@code expiration} in seconds, 0 = never. */
    public record Request(long id, Map<String, Object> extras, long expiration) {
    }

    public String issue(ServiceClient client, AuthTable table, Request r) {
        check(client, r);
        String token = QuarkusTransaction.requiringNew().call(() -> {
            if (em.find(table.entity(), r.id()) == null) {
                throw Failure.recordNotFound();
            }
            audit.ok(AuditEvent.CLIENT_ISSUE, table.name(), r.id(), Map.of("client", client.id(), "role", r.extras().containsKey("role")));
            return tokens.issueForClient(client.id(), table, r.id(), new LinkedHashMap<>(r.extras()), r.expiration());
        });
        metrics.tokenIssued(table.name(), KIND);
        LOG.infof("token issued to client %s: table=%s id=%d expiration=%ds role=%s", client.id(), table.name(), r.id(),
                r.expiration(), r.extras().containsKey("role"));
        return token;
    }

    /** The expiration of a request that names none: the table's, capped to the client's longest. */
    public static long defaultExpiration(ServiceClient client, AuthTable table) {
        long max = client.maxExpiration();
        long usual = table.tokenExpiration();
        return max == 0 || (usual != 0 && usual <= max) ? usual : max;
    }

    private void check(ServiceClient client, Request r) {
        if (r.expiration() < 0 || r.expiration() > TokenService.MAX_EXPIRATION) {
            throw Failure.invalidInput("expiration", "expiration is in seconds, 0 (never) to " + TokenService.MAX_EXPIRATION + ".");
        }
        long max = client.maxExpiration();
        if (max != 0 && (r.expiration() == 0 || r.expiration() > max)) {
            throw Failure.invalidInput("expiration", "expiration is 1 to " + max + " seconds for this client.");
        }
        AccountRules.extrasSizeProblem(r.extras()).ifPresent(problem -> {
            throw Failure.invalidInput("extras", problem);
        });
        ServiceClient.RESERVED_EXTRAS.forEach((extra, scope) -> {
            if (r.extras().containsKey(extra) && !client.may(scope)) {
                throw Failure.denied("Setting extras." + extra + " needs the scope " + scope + ".");
            }
        });
        if (r.extras().containsKey("verified") && !Boolean.TRUE.equals(r.extras().get("verified"))) {
            throw Failure.invalidInput("extras", "extras.verified is true or absent.");
        }
        if (r.extras().containsKey("role")) {
            if (!(r.extras().get("role") instanceof String role) || role.isBlank() || role.length() > AccountRules.MAX_ROLE) {
                throw Failure.invalidInput("extras", "extras.role is text of 1 to " + AccountRules.MAX_ROLE + " characters.");
            }
        }
    }
}
