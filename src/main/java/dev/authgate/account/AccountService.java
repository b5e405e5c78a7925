package dev.authgate.account;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.event.Event;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.authgate.failure.Failure;
import dev.authgate.metrics.AuthMetrics;
import dev.authgate.token.Auth;
import dev.authgate.token.Sessions;
import dev.authgate.token.TokenService;

/** Sign-up, login and the record behind a token. */
@Singleton
public class AccountService {

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final EntityManager em;
    private final AgroalDataSource dataSource;
    private final PasswordHasher hasher;
    private final TokenService tokens;
    private final Sessions sessions;
    private final Throttle throttle;
    private final ObjectMapper json;
    private final AuthMetrics metrics;
    private final Event<SignedUp> signedUp;

    public AccountService(EntityManager em, AgroalDataSource dataSource, PasswordHasher hasher, TokenService tokens,
            Sessions sessions, Throttle throttle, ObjectMapper json, AuthMetrics metrics, Event<SignedUp> signedUp) {
        this.em = em;
        this.dataSource = dataSource;
        this.hasher = hasher;
        this.tokens = tokens;
        this.sessions = sessions;
        this.throttle = throttle;
        this.json = json;
        this.metrics = metrics;
        this.signedUp = signedUp;
    }

    /**
     * Creates the account and its first token in one transaction; a taken email is {@link Failure#emailTaken()},
     * never a server error. Every attempt counts against the client address, since "already in use" tells that an
     * account exists.
     */
    public String signup(AuthTable table, Signup input, String address) {
        if (!table.signup()) {
            throw Failure.signupClosed();
        }
        var limits = List.of(throttle.signup(address));
        QuarkusTransaction.requiringNew().run(() -> {
            throttle.check(limits);
            throttle.record(limits);
        });
        String hash = hasher.hash(input.password());
        record Created(long id, String token) {
        }
        Created created = UniqueEmail.guard(() -> QuarkusTransaction.requiringNew().call(() -> {
            Account account = table.newRow();
            account.name = input.name();
            account.email = input.email();
            account.passwordHash = hash;
            em.persist(account);
            em.flush();
            return new Created(account.id, tokens.issue(table.name(), account.id,
                    TokenService.extrasOf(account.role, account.extras, account.verified), table.tokenExpiration()));
        }), () -> metrics.signup(table.name(), AuthMetrics.IN_USE));
        metrics.signup(table.name(), AuthMetrics.SUCCESS);
        metrics.tokenIssued(table.name(), AuthMetrics.SIGNUP);
        signedUp.fire(new SignedUp(table, created.id(), input.email()));
        return created.token();
    }

    /**
     * Unknown email and wrong password get the same answer after the same hashing work, and count the same
     * against the throttle (per table and email, and per client address).
     */
    public String login(AuthTable table, Login input, String address) {
        String email = input.email();
        String password = input.password();
        var limits = throttle.login(table.name(), email, address);
        // Short transactions around the slow hashing: no connection is held while bcrypt runs.
        Optional<Account> found;
        try {
            found = QuarkusTransaction.requiringNew().call(() -> {
                throttle.check(limits.all());
                return findByEmail(table, email);
            });
        } catch (Failure throttled) {
            metrics.login(table.name(), AuthMetrics.THROTTLED);
            throw throttled;
        }
        boolean tooLong = AccountRules.tooLongForBcrypt(password);
        boolean ok = found.isPresent() && !tooLong
                ? hasher.verify(password, found.get().passwordHash)
                : hasher.verifyNothing(password);
        if (!ok) {
            throttle.record(limits.all());
            metrics.login(table.name(), AuthMetrics.INVALID_CREDENTIALS);
            throw Failure.invalidCredentials();
        }
        Account account = found.get();
        String token = QuarkusTransaction.requiringNew().call(() -> {
            throttle.clear(limits.account());
            return tokens.issue(table.name(), account.id,
                    TokenService.extrasOf(account.role, account.extras, account.verified), table.tokenExpiration());
        });
        metrics.login(table.name(), AuthMetrics.SUCCESS);
        metrics.tokenIssued(table.name(), AuthMetrics.LOGIN);
        return token;
    }

    /** Changes the caller's password after checking the current one; the caller's other tokens end. */
    public long changePassword(AuthTable table, Auth caller, PasswordChange change) {
        Account account = QuarkusTransaction.requiringNew().call(() -> em.find(table.entity(), caller.id()));
        if (account == null || !hasher.verify(change.currentPassword(), account.passwordHash)) {
            throw Failure.invalidCredentials();
        }
        String hash = hasher.hash(change.newPassword());
        return QuarkusTransaction.requiringNew().call(() -> {
            em.createQuery("update " + table.entityName() + " set passwordHash = :hash where id = :id")
                    .setParameter("hash", hash).setParameter("id", caller.id()).executeUpdate();
            return sessions.revokeOthers(table.name(), caller.id(), caller.jti());
        });
    }

    /**
     * The seed's "easy authToken retrieval": a token for a record id, for testing, with no extras (as in Xano).
     *
     * @param expiration seconds, 0 = never
     */
    public String quickToken(AuthTable table, long id, long expiration) {
        String token = QuarkusTransaction.requiringNew().call(() -> {
            if (em.find(table.entity(), id) == null) {
                throw Failure.recordNotFound();
            }
            return tokens.issue(table.name(), id, Map.of(), expiration);
        });
        metrics.quickToken(table.name());
        metrics.tokenIssued(table.name(), AuthMetrics.QUICK);
        return token;
    }

    public Optional<Account> findByEmail(AuthTable table, String email) {
        return em.createQuery("from " + table.entityName() + " where email = :email", table.entity())
                .setParameter("email", email)
                .getResultStream().findFirst().map(Account.class::cast);
    }

    /**
     * The record behind a token whose session still exists, in one query: empty when the token was revoked or
     * the record deleted. This is the hot path of every authenticated request, so it is plain JDBC.
     */
    public Optional<AccountView> activeRecord(AuthTable table, Auth auth) {
        String sql = "select a.id, a.created_at, a.name, a.email, a.role, a.extras::text, a.verified from "
                + table.sqlName() + " a join auth_session s on s.account_id = a.id and s.dbtable = ? where s.jti = ? and a.id = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, table.name());
            ps.setObject(2, auth.jti());
            ps.setLong(3, auth.id());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new AccountView(rs.getLong(1), rs.getTimestamp(2).getTime(), rs.getString(3),
                        rs.getString(4), rs.getString(5), json.readValue(rs.getString(6), OBJECT), rs.getBoolean(7)));
            }
        } catch (SQLException | java.io.IOException e) {
            throw new IllegalStateException("session lookup failed", e);
        }
    }
}
