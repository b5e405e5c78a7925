package dev.authgate.records;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.authgate.events.Audit;
import dev.authgate.events.AuditEvent;
import dev.authgate.account.Account;
import dev.authgate.account.AccountView;
import dev.authgate.account.AuthTable;
import dev.authgate.account.MailedSecrets;
import dev.authgate.account.PasswordHasher;
import dev.authgate.account.RecordChanges;
import dev.authgate.account.UniqueEmail;
import dev.authgate.failure.Failure;
import dev.authgate.federation.Federation;
import dev.authgate.oidc.Consents;
import dev.authgate.mfa.SecondFactors;
import dev.authgate.session.Revocation;
import dev.authgate.session.SessionCache;

/** Administrators' records API on an auth table: list, read, create, update, delete. */
@Singleton
public class RecordService {

    public static final int MAX_PER_PAGE = 100;
    public static final int MAX_SEARCH = 100;

    private final EntityManager em;
    private final PasswordHasher hasher;
    private final Revocation revocation;
    private final SessionCache cache;
    private final MailedSecrets secrets;
    private final SecondFactors factors;
    private final Audit audit;
    private final Federation identities;
    private final Consents consents;

    public RecordService(EntityManager em, PasswordHasher hasher, Revocation revocation, SessionCache cache,
            MailedSecrets secrets, SecondFactors factors, Audit audit, Federation identities, Consents consents) {
        this.identities = identities;
        this.consents = consents;
        this.em = em;
        this.hasher = hasher;
        this.revocation = revocation;
        this.cache = cache;
        this.secrets = secrets;
        this.factors = factors;
        this.audit = audit;
    }

    /**
     * A page of records by id; with a search, only those whose email or name holds it, case-insensitively (a prefix
     * for one or two characters, anywhere from three on: what the trigram indexes of migration V9 answer).
     */
    @Transactional
    public RecordPage<AccountView> list(AuthTable table, String search, int page, int perPage) {
        long offset = RecordPage.offset(page, perPage);
        String pattern = searchPattern(search);
        String where = pattern == null ? "" : " where email like ?1 or lower(name) like ?1";
        Query count = em.createNativeQuery("select count(*) from " + table.sqlName() + where);
        long total = ((Number) bind(count, pattern).getSingleResult()).longValue();
        List<AccountView> items = List.of();
        if (offset < total) {
            Query rows = em.createNativeQuery("select * from " + table.sqlName() + where + " order by id", table.entity())
                    .setFirstResult((int) offset).setMaxResults(perPage);
            items = ((List<?>) bind(rows, pattern).getResultList()).stream().map(a -> AccountView.of((Account) a)).toList();
        }
        return RecordPage.of(items, page, perPage, total);
    }

    /** The LIKE pattern of a search, or null for none; LIKE's own characters are matched literally. */
    static String searchPattern(String search) {
        if (search == null || search.isBlank()) {
            return null;
        }
        String s = search.strip().toLowerCase(Locale.ROOT);
        if (s.length() > MAX_SEARCH) {
            throw Failure.invalidInput("search", "search is at most " + MAX_SEARCH + " characters.");
        }
        String literal = s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return s.codePointCount(0, s.length()) < 3 ? literal + "%" : "%" + literal + "%";
    }

    private static Query bind(Query query, String pattern) {
        return pattern == null ? query : query.setParameter(1, pattern);
    }

    @Transactional
    public AccountView get(AuthTable table, long id) {
        return AccountView.of(find(table, id));
    }

    /** Name, email and password are required, in that order. */
    public AccountView create(AuthTable table, RecordChanges c) {
        String name = required("name", c.name());
        String email = required("email", c.email());
        String hash = hasher.hash(required("password", c.password()));
        return UniqueEmail.guard(() -> QuarkusTransaction.requiringNew().call(() -> {
            Account a = table.newRow();
            a.name = name;
            a.email = email;
            a.passwordHash = hash;
            a.role = c.role() == null ? null : c.role().orElse(null);
            a.extras = c.extras() == null ? Map.of() : c.extras();
            em.persist(a);
            em.flush();
            em.refresh(a);
            audit.ok(AuditEvent.RECORD_CREATED, table.name(), a.id, Map.of("role", a.role != null));
            return AccountView.of(a);
        }));
    }

    /**
     * A changed password, role or extras ends the account's tokens: what they carry is no longer true. A changed
     * email, password, role or extras also voids the secrets mailed to it (a pending email change among them).
     */
    public AccountView update(AuthTable table, long id, RecordChanges c) {
        String hash = c.password() == null ? null : hasher.hash(c.password());
        return UniqueEmail.guard(() -> QuarkusTransaction.requiringNew().call(() -> {
            Account a = find(table, id);
            if (c.name() != null) {
                a.name = c.name();
            }
            boolean emailChanged = c.email() != null && !c.email().equals(a.email);
            if (c.email() != null) {
                a.email = c.email();
            }
            boolean revoke = hash != null;
            if (hash != null) {
                a.passwordHash = hash;
            }
            if (c.role() != null && !c.role().equals(Optional.ofNullable(a.role))) {
                a.role = c.role().orElse(null);
                revoke = true;
            }
            if (c.extras() != null && !c.extras().equals(a.extras)) {
                a.extras = c.extras();
                revoke = true;
            }
            em.flush();
            audit.ok(AuditEvent.RECORD_CHANGED, table.name(), id, sent(c));
            cache.changedInThisTransaction(table.name(), id); // name and email: the cached record view
            if (revoke) {
                revocation.revokeAll(table.name(), id);
            }
            if (revoke || emailChanged) {
                secrets.voidAll(table.name(), id);
            }
            return AccountView.of(a);
        }));
    }

    public void delete(AuthTable table, long id) {
        QuarkusTransaction.requiringNew().run(() -> {
            em.remove(find(table, id));
            revocation.revokeAll(table.name(), id);
            factors.removeAll(table, id);
            identities.removeAll(table, id);
            consents.removeAll(table, id);
            audit.ok(AuditEvent.RECORD_DELETED, table.name(), id);
        });
    }

    /** The audit detail of a change: which fields were sent, and the new role (a fact, never a password). */
    private static Map<String, Object> sent(RecordChanges c) {
        List<String> fields = new java.util.ArrayList<>();
        Map<String, Object> detail = new java.util.LinkedHashMap<>();
        if (c.name() != null) {
            fields.add("name");
        }
        if (c.email() != null) {
            fields.add("email");
        }
        if (c.password() != null) {
            fields.add("password");
        }
        if (c.extras() != null) {
            fields.add("extras");
        }
        if (c.role() != null) {
            fields.add("role");
            detail.put("role", c.role().orElse(null));
        }
        detail.put("fields", fields);
        return detail;
    }

    private Account find(AuthTable table, long id) {
        Account a = em.find(table.entity(), id);
        if (a == null) {
            throw Failure.recordNotFound();
        }
        return a;
    }

    private static String required(String field, String value) {
        if (value == null) {
            throw Failure.missing(field);
        }
        return value;
    }
}
