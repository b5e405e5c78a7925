package dev.authgate.signin;

import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.event.Event;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.authgate.account.Account;
import dev.authgate.account.AccountRules;
import dev.authgate.account.AuthTable;
import dev.authgate.account.MailedSecrets;
import dev.authgate.account.PasswordHasher;
import dev.authgate.account.SignedUp;
import dev.authgate.throttle.Throttle;
import dev.authgate.account.UniqueEmail;
import dev.authgate.events.Audit;
import dev.authgate.events.AuditEvent;
import dev.authgate.failure.Failure;
import dev.authgate.metrics.AuthMetrics;
import dev.authgate.mfa.SecondFactors;
import dev.authgate.mfa.SignIn;
import dev.authgate.session.Revocation;
import dev.authgate.session.SessionIssuer;
import dev.authgate.token.Assurance;
import dev.authgate.token.Auth;
import dev.authgate.token.TokenService;

/** Sign-up, login, password change and quick tokens: the ways a password (or an operator) gets a token. */
@Singleton
public class AccountService {

    private final EntityManager em;
    private final PasswordHasher hasher;
    private final SessionIssuer tokens;
    private final Revocation revocation;
    private final Throttle throttle;
    private final AuthMetrics metrics;
    private final Event<SignedUp> signedUp;
    private final MailedSecrets secrets;
    private final SecondFactors secondFactors;
    private final Audit audit;

    public AccountService(EntityManager em, PasswordHasher hasher, SessionIssuer tokens, Revocation revocation,
            Throttle throttle, AuthMetrics metrics, Event<SignedUp> signedUp, MailedSecrets secrets,
            SecondFactors secondFactors, Audit audit) {
        this.em = em;
        this.hasher = hasher;
        this.tokens = tokens;
        this.revocation = revocation;
        this.throttle = throttle;
        this.metrics = metrics;
        this.signedUp = signedUp;
        this.secrets = secrets;
        this.secondFactors = secondFactors;
        this.audit = audit;
    }

    /**
     * Creates the account and its first token in one transaction; a taken email is {@link Failure#emailTaken()},
     * never a server error. Every attempt counts against the client address, since "already in use" tells that an
     * account exists.
     */
    public String signup(AuthTable table, String name, String email, String password, String address) {
        if (!table.signup()) {
            throw Failure.signupClosed();
        }
        throttle.count(throttle.signup(address));
        String hash = hasher.hash(password);
        record Created(long id, String token) {
        }
        Created created = UniqueEmail.guard(() -> QuarkusTransaction.requiringNew().call(() -> {
            Account account = table.newRow();
            account.name = name;
            account.email = email;
            account.passwordHash = hash;
            em.persist(account);
            em.flush();
            audit.ok(AuditEvent.SIGNUP, table.name(), account.id);
            return new Created(account.id, tokens.issue(table, account.id,
                    TokenService.extrasOf(account.role, account.extras, account.verified), table.tokenExpiration(),
                    Assurance.PASSWORD));
        }), () -> metrics.signup(table.name(), AuthMetrics.IN_USE));
        metrics.signup(table.name(), AuthMetrics.SUCCESS);
        metrics.tokenIssued(table.name(), AuthMetrics.SIGNUP);
        signedUp.fire(new SignedUp(table, created.id(), email));
        return created.token();
    }

    /**
     * Unknown email and wrong password get the same answer after the same hashing work, and count the same
     * against the throttle. The attempt is counted before the password is checked (so simultaneous guesses cannot
     * pass one count), and the token is issued from the row as it is when the token is written, locked against
     * change: a password change, role change or deletion that commits meanwhile either comes first (and this
     * login sees it) or ends this token with the others.
     */
    public SignIn login(AuthTable table, String email, String password, String address) {
        var attempt = beginAttempt(table, email, address);
        // Short transactions around the slow hashing: no connection is held while bcrypt runs.
        Optional<Account> found = QuarkusTransaction.requiringNew().call(() -> findByEmail(table, email));
        String verified = verify(found, password);
        if (verified == null) {
            metrics.login(table.name(), AuthMetrics.INVALID_CREDENTIALS);
            audit.failed(AuditEvent.LOGIN, table.name(), found.map(a -> a.id).orElse(null), Map.of("reason", "credentials"));
            throw Failure.invalidCredentials();
        }
        String rehash = hasher.needsRehash(verified) ? hasher.hash(password) : null;
        SignIn signIn = QuarkusTransaction.requiringNew().call(() -> {
            Account account = lockedIfUnchanged(table, found.get().id, verified);
            if (rehash != null) {
                account.passwordHash = rehash; // the cost changed: stored hashes follow it as people log in
            }
            // an account with a second factor gets an mfa_token instead (mfa/SecondFactors), and its attempt stays
            // counted until the second factor is proved: a password alone never forgives wrong codes
            SignIn result = secondFactors.signIn(table, account.id,
                    TokenService.extrasOf(account.role, account.extras, account.verified), Assurance.PASSWORD);
            if (result instanceof SignIn.Token) {
                throttle.succeeded(attempt);
            }
            audit.ok(AuditEvent.LOGIN, table.name(), account.id, Map.of("mfa_required", !(result instanceof SignIn.Token)));
            return result;
        });
        metrics.login(table.name(), AuthMetrics.SUCCESS);
        if (signIn instanceof SignIn.Token) {
            metrics.tokenIssued(table.name(), AuthMetrics.LOGIN);
        }
        return signIn;
    }

    /**
     * Changes the caller's password after checking the current one, throttled like a login; the caller's other
     * tokens end, this one goes on.
     */
    public long changePassword(AuthTable table, Auth caller, String address, String currentPassword,
            String newPassword) {
        Optional<Account> found = QuarkusTransaction.requiringNew().call(
                () -> Optional.ofNullable((Account) em.find(table.entity(), caller.id())));
        if (found.isEmpty()) {
            throw Failure.invalidCredentials();
        }
        var attempt = beginAttempt(table, found.get().email, address);
        String verified = verify(found, currentPassword);
        if (verified == null) {
            audit.failed(AuditEvent.PASSWORD_CHANGED, table.name(), caller.id(), Map.of("reason", "credentials"));
            throw Failure.invalidCredentials();
        }
        String hash = hasher.hash(newPassword);
        return QuarkusTransaction.requiringNew().call(() -> {
            Account account = lockedIfUnchanged(table, caller.id(), verified);
            account.passwordHash = hash;
            throttle.succeeded(attempt);
            em.flush();
            secrets.voidAll(table.name(), caller.id());
            // the caller proved the old password and set this one: its session now stands for the new password
            em.createNativeQuery("update auth_session set password = true where jti = ?1").setParameter(1, caller.jti())
                    .executeUpdate();
            audit.ok(AuditEvent.PASSWORD_CHANGED, table.name(), caller.id());
            return revocation.revokeOthers(table.name(), caller.id(), caller.jti());
        });
    }

    /** An administrator ends every token of the account, and every secret mailed to it with them. */
    public long signOutEverywhere(String dbtable, long id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            long ended = endAll(dbtable, id);
            audit.ok(AuditEvent.SESSIONS_ENDED, dbtable, id, Map.of("sessions", ended));
            return ended;
        });
    }

    /** Supabase's scopes: {@code local} (this token), {@code global} (all, as {@link #endAll}), {@code others}. */
    public long logout(Auth auth, String scope) {
        return QuarkusTransaction.requiringNew().call(() -> {
            long ended = switch (scope) {
                case "global" -> endAll(auth.dbtable(), auth.id());
                case "others" -> revocation.revokeOthers(auth.dbtable(), auth.id(), auth.jti());
                default -> revocation.revoke(auth.jti());
            };
            audit.ok(AuditEvent.LOGOUT, auth.dbtable(), auth.id(), Map.of("scope", scope, "sessions", ended));
            return ended;
        });
    }

    /** Logout everywhere: every token of the account ends, and every secret mailed to it with them. */
    private long endAll(String dbtable, long id) {
        secrets.voidAll(dbtable, id);
        return revocation.revokeAll(dbtable, id);
    }

    private Throttle.Attempt beginAttempt(AuthTable table, String email, String address) {
        try {
            return throttle.begin(throttle.login(table.name(), email, address));
        } catch (Failure throttled) {
            metrics.login(table.name(), AuthMetrics.THROTTLED);
            audit.record(AuditEvent.LOGIN, Audit.THROTTLED, table.name(), null, Map.of());
            throw throttled;
        }
    }

    /** The hash the password matched, or null; the same bcrypt work when there is no account. */
    private String verify(Optional<Account> found, String password) {
        boolean ok = found.isPresent() && !AccountRules.tooLongForBcrypt(password)
                ? hasher.verify(password, found.get().passwordHash)
                : hasher.verifyNothing(password);
        return ok ? found.get().passwordHash : null;
    }

    /** The row, locked for share until the transaction ends, if its password is still the one just verified. */
    private Account lockedIfUnchanged(AuthTable table, long id, String verifiedHash) {
        Account account = em.find(table.entity(), id, LockModeType.PESSIMISTIC_READ);
        if (account == null || !account.passwordHash.equals(verifiedHash)) {
            throw Failure.invalidCredentials(); // changed or deleted while the password was being checked
        }
        return account;
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
            audit.ok(AuditEvent.QUICK_TOKEN, table.name(), id, Map.of("expiration", expiration));
            return tokens.issue(table, id, Map.of(), expiration, Assurance.NONE);
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
}
