package dev.authgate.oidc;

import java.sql.Timestamp;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.inject.Singleton;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.annotations.RegisterForReflection;

import dev.authgate.account.AuthTable;
import dev.authgate.events.Audit;
import dev.authgate.events.AuditEvent;
import dev.authgate.jdbc.Jdbc;

/**
 * What an account let OpenID clients that are not first-party have (migration V20): the consent page is asked once
 * per client and set of scopes, and again only for a scope not yet granted (or when the client asks with
 * {@code prompt=consent}). The account lists and revokes its consents ({@code auth/consents}).
 */
@Singleton
public class Consents {

    /** A remembered consent; granted in epoch milliseconds. */
    @RegisterForReflection
    public record Consent(String clientId, List<String> scopes, long grantedAt) {
    }

    private final Jdbc db;
    private final Audit audit;

    public Consents(Jdbc db, Audit audit) {
        this.db = db;
        this.audit = audit;
    }

    /** Whether every scope asked for was granted to the client before. */
    public boolean covers(AuthTable table, long accountId, String clientId, Collection<String> scopes) {
        return db.first("select scopes from auth_oidc_consent where dbtable = ? and account_id = ? and client_id = ?",
                rs -> rs.getString(1), table.name(), accountId, clientId)
                .map(granted -> split(granted).containsAll(scopes)).orElse(false);
    }

    /** Remembers a consent, adding its scopes to the ones granted before (one statement: simultaneous ones add up). */
    public void grant(AuthTable table, long accountId, String clientId, Collection<String> scopes) {
        String joined = join(scopes);
        QuarkusTransaction.joiningExisting().run(() -> {
            db.first("""
                    insert into auth_oidc_consent (dbtable, account_id, client_id, scopes) values (?, ?, ?, ?)
                    on conflict (dbtable, account_id, client_id) do update set granted_at = now(), scopes = (
                        select string_agg(s, ' ' order by s) from (select distinct unnest(string_to_array(
                            auth_oidc_consent.scopes || ' ' || excluded.scopes, ' ')) s) u where s <> '')
                    returning scopes""", rs -> rs.getString(1), table.name(), accountId, clientId, joined);
            audit.ok(AuditEvent.CONSENT_GRANTED, table.name(), accountId, Map.of("client", clientId, "scopes", joined));
        });
    }

    /** The account's consents, the newest first. */
    public List<Consent> list(AuthTable table, long accountId) {
        return db.all("select client_id, scopes, granted_at from auth_oidc_consent where dbtable = ? and account_id = ? "
                + "order by granted_at desc, client_id", rs -> new Consent(rs.getString(1),
                        List.copyOf(split(rs.getString(2))), rs.getObject(3, Timestamp.class).getTime()),
                table.name(), accountId);
    }

    /** Forgets a consent: the client's next sign-in asks again. False when there was none. */
    public boolean revoke(AuthTable table, long accountId, String clientId) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            int gone = db.update("delete from auth_oidc_consent where dbtable = ? and account_id = ? and client_id = ?",
                    table.name(), accountId, clientId);
            if (gone == 1) {
                audit.ok(AuditEvent.CONSENT_REVOKED, table.name(), accountId, Map.of("client", clientId));
            }
            return gone == 1;
        });
    }

    /** Every consent of a record (its deletion), in the caller's transaction. */
    public void removeAll(AuthTable table, long accountId) {
        db.update("delete from auth_oidc_consent where dbtable = ? and account_id = ?", table.name(), accountId);
    }

    static Set<String> split(String scopes) {
        Set<String> set = new TreeSet<>(Arrays.asList(scopes.split(" ")));
        set.remove("");
        return set;
    }

    static String join(Collection<String> scopes) {
        return String.join(" ", new TreeSet<>(scopes));
    }
}
