package dev.authgate.account;

import java.util.Map;
import java.util.Optional;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.authgate.http.ApiException;
import dev.authgate.security.PasswordHasher;
import dev.authgate.session.SessionCache;
import dev.authgate.token.Sessions;

/** Administrators' records API on an auth table: list, read, create, update, delete. */
@Singleton
public class RecordService {

    /** extras travel in every token: keep them small. */
    public static final int MAX_EXTRAS_BYTES = 4096;
    public static final int MAX_ROLE = 100;
    public static final int MAX_PER_PAGE = 100;

    private final EntityManager em;
    private final PasswordHasher hasher;
    private final Sessions sessions;
    private final ObjectMapper json;
    private final SessionCache cache;

    public RecordService(EntityManager em, PasswordHasher hasher, Sessions sessions, ObjectMapper json,
            SessionCache cache) {
        this.em = em;
        this.hasher = hasher;
        this.sessions = sessions;
        this.json = json;
        this.cache = cache;
    }

    /** What a create or an update sets; absent optionals leave the field alone. */
    public record Changes(Optional<String> name, Optional<String> email, Optional<String> password,
            Optional<Optional<String>> role, Optional<Map<String, Object>> extras) {
    }

    @Transactional
    public RecordPage list(AuthTable table, int page, int perPage) {
        if (page < 1) {
            throw ApiException.input("page", "page starts at 1.");
        }
        if (perPage < 1 || perPage > MAX_PER_PAGE) {
            throw ApiException.input("per_page", "per_page is between 1 and " + MAX_PER_PAGE + ".");
        }
        long total = em.createQuery("select count(a) from " + table.entityName() + " a", Long.class).getSingleResult();
        var items = em.createQuery("from " + table.entityName() + " order by id", table.entity())
                .setFirstResult((page - 1) * perPage).setMaxResults(perPage)
                .getResultStream().map(a -> AccountView.of((Account) a)).toList();
        return RecordPage.of(items, page, perPage, total);
    }

    @Transactional
    public AccountView get(AuthTable table, long id) {
        return AccountView.of(find(table, id));
    }

    public AccountView create(AuthTable table, Changes c) {
        String hash = hasher.hash(c.password().orElseThrow(() -> ApiException.input("password", "Missing param: password")));
        checkExtras(c.extras());
        return UniqueEmail.guard(() -> QuarkusTransaction.requiringNew().call(() -> {
            Account a = table.newRow();
            a.name = c.name().orElseThrow(() -> ApiException.input("name", "Missing param: name"));
            a.email = c.email().orElseThrow(() -> ApiException.input("email", "Missing param: email"));
            a.passwordHash = hash;
            a.role = c.role().flatMap(r -> r).orElse(null);
            a.extras = c.extras().orElse(Map.of());
            em.persist(a);
            em.flush();
            em.refresh(a);
            return AccountView.of(a);
        }));
    }

    /** A changed password, role or extras ends the account's tokens: what they carry is no longer true. */
    public AccountView update(AuthTable table, long id, Changes c) {
        String hash = c.password().map(hasher::hash).orElse(null);
        checkExtras(c.extras());
        return UniqueEmail.guard(() -> QuarkusTransaction.requiringNew().call(() -> {
            Account a = find(table, id);
            c.name().ifPresent(n -> a.name = n);
            c.email().ifPresent(e -> a.email = e);
            boolean revoke = hash != null;
            if (hash != null) {
                a.passwordHash = hash;
            }
            if (c.role().isPresent() && !c.role().get().equals(Optional.ofNullable(a.role))) {
                a.role = c.role().get().orElse(null);
                revoke = true;
            }
            if (c.extras().isPresent() && !c.extras().get().equals(a.extras)) {
                a.extras = c.extras().get();
                revoke = true;
            }
            em.flush();
            cache.changedInThisTransaction(table.name(), id); // name and email: the cached record view
            if (revoke) {
                sessions.revokeAll(table.name(), id);
            }
            return AccountView.of(a);
        }));
    }

    public void delete(AuthTable table, long id) {
        QuarkusTransaction.requiringNew().run(() -> {
            em.remove(find(table, id));
            sessions.revokeAll(table.name(), id);
        });
    }

    private Account find(AuthTable table, long id) {
        Account a = em.find(table.entity(), id);
        if (a == null) {
            throw ApiException.notFound("Record not found.");
        }
        return a;
    }

    private void checkExtras(Optional<Map<String, Object>> extras) {
        if (extras.isEmpty()) {
            return;
        }
        try {
            if (json.writeValueAsBytes(extras.get()).length > MAX_EXTRAS_BYTES) {
                throw ApiException.input("extras", "extras are limited to " + MAX_EXTRAS_BYTES + " bytes of JSON.");
            }
        } catch (JsonProcessingException e) {
            throw ApiException.input("extras", "extras must be a JSON object.");
        }
    }
}
