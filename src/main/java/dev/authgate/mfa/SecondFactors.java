package dev.authgate.mfa;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.event.Event;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import org.apache.commons.codec.binary.Base32;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.security.UnauthorizedException;

import dev.authgate.events.Audit;
import dev.authgate.events.AuditEvent;
import dev.authgate.account.Account;
import dev.authgate.account.AuthTable;
import dev.authgate.account.MailedSecrets;
import dev.authgate.throttle.Throttle;
import dev.authgate.config.AuthgateConfig;
import dev.authgate.failure.Failure;
import dev.authgate.metrics.AuthMetrics;
import dev.authgate.session.Revocation;
import dev.authgate.session.SessionIssuer;
import dev.authgate.token.Assurance;
import dev.authgate.token.Auth;
import dev.authgate.token.TokenService;

/**
 * Second factors: TOTP enrolment and activation, recovery codes, the login step that waits for a factor
 * (mfa_tokens, in PostgreSQL so that any replica finishes it), and the administrators' reset. Every way to sign in
 * with one factor ends in {@link #signIn}: a token when the account has no active factor, else an mfa_token.
 */
@Singleton
public class SecondFactors {

    private final MailedSecrets mailed;
    private final Audit audit;

    private static final Logger LOG = Logger.getLogger(SecondFactors.class);

    /** What {@code @RequiresAal2} and this class answer a one-factor token (403). */
    public static final String NEEDS_AAL2 = "This needs a second factor: log in with it (aal 2).";
    static final Duration ENROLMENT_LIFETIME = Duration.ofHours(1);
    static final Duration MFA_TOKEN_LIFETIME = Duration.ofMinutes(5);
    static final int MFA_TOKEN_ATTEMPTS = 5;
    static final int SECRET_BYTES = 20; // RFC 4226's recommended 160 bits: 32 base32 characters
    static final String TOTP = "totp";

    /** A new enrolment: shown once; the factor is inactive until activated. */
    public record Enrolment(String id, String secret, String otpauthUri, String qrSvg) {
    }

    /** An activation's answer: a token of aal 2 and the new recovery codes (shown once). */
    public record Activated(String authToken, List<String> recoveryCodes) {
    }

    /** An active factor, as its account lists it; times in epoch milliseconds, last use null when never. */
    public record Factor(String id, String name, long createdAt, Long lastUsedAt) {
    }

    public record Factors(List<Factor> totp, long recoveryCodesLeft) {
    }

    private record Pending(long accountId, List<String> firstAmr) {
    }

    /** A login waiting for a second factor: its account and how the first factor was proved. */
    public record Waiting(long accountId, List<String> firstAmr) {
    }

    private record Stored(UUID id, byte[] secret, String kid, Long lastStep) {
    }

    private final EntityManager em;
    private final SecretBox box;
    private final RecoveryCodes recoveryCodes;
    private final SessionIssuer tokens;
    private final Revocation revocation;
    private final Throttle throttle;
    private final AuthMetrics metrics;
    private final AuthgateConfig config;
    private final SecureRandom random;
    private final Event<RecoveryCodeUsed> recoveryCodeUsed;

    public SecondFactors(EntityManager em, SecretBox box, RecoveryCodes recoveryCodes, SessionIssuer tokens,
            Revocation revocation, Throttle throttle, AuthMetrics metrics, AuthgateConfig config, SecureRandom random,
            Event<RecoveryCodeUsed> recoveryCodeUsed, MailedSecrets mailed, Audit audit) {
        this.em = em;
        this.mailed = mailed;
        this.audit = audit;
        this.box = box;
        this.recoveryCodes = recoveryCodes;
        this.tokens = tokens;
        this.revocation = revocation;
        this.throttle = throttle;
        this.metrics = metrics;
        this.config = config;
        this.random = random;
        this.recoveryCodeUsed = recoveryCodeUsed;
    }

    // ---------------------------------------------------------------- the login step

    /**
     * The end of every one-factor sign-in, in the caller's transaction: the token, or, when the account has an active
     * factor, an mfa_token (stored as its SHA-256; 5 minutes, 5 attempts, used once) and the factors to choose from.
     */
    @Transactional(TxType.MANDATORY)
    public SignIn signIn(AuthTable table, long accountId, Map<String, Object> extras, Assurance first) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select id, type, name from (select id, type, name, created_at "
                + "from auth_mfa_factor where dbtable = ?1 and account_id = ?2 and active union all select id, 'passkey', "
                + "name, created_at from auth_passkey where dbtable = ?1 and account_id = ?2) f order by created_at, id")
                .setParameter(1, table.name()).setParameter(2, accountId).getResultList();
        if (rows.isEmpty()) {
            return new SignIn.Token(tokens.issue(table, accountId, extras, table.tokenExpiration(), first));
        }
        String mfaToken = randomToken();
        em.createNativeQuery("insert into auth_mfa_token (hash, dbtable, account_id, first_amr, expires_at) "
                + "values (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, sha256(mfaToken)).setParameter(2, table.name()).setParameter(3, accountId)
                .setParameter(4, String.join(",", first.amr()))
                .setParameter(5, Instant.now().plus(MFA_TOKEN_LIFETIME)).executeUpdate();
        return new SignIn.SecondFactor(mfaToken, rows.stream()
                .map(r -> new SignIn.FactorRef(r[0].toString(), (String) r[1], (String) r[2])).toList());
    }

    /**
     * Finishes a login with a TOTP code of any active factor or a recovery code: a token of aal 2. Each call uses one
     * of the mfa_token's 5 attempts (claimed before the code is checked, so simultaneous guesses cannot share one);
     * a wrong code counts as a failed login of the account (its throttle; the password step's attempt stays counted
     * until a right code), a right one uses the mfa_token, and the code's time step (or the recovery code) in the same
     * transaction.
     */
    public String verify(AuthTable table, String mfaToken, String code, String address) {
        byte[] hash = sha256(mfaToken);
        Pending pending = inTransaction(() -> pending(table, hash)).orElseThrow(UnauthorizedException::new);
        String email = inTransaction(() -> Optional.ofNullable((Account) em.find(table.entity(), pending.accountId()))
                .map(a -> a.email)).orElseThrow(UnauthorizedException::new);
        Throttle.LoginKeys keys = throttle.login(table.name(), email, address);
        throttle.check(keys.account());
        throttle.check(keys.pair());
        int claimed = inTransaction(() -> em.createNativeQuery("update auth_mfa_token set attempts = attempts + 1 "
                + "where hash = ?1 and used_at is null and expires_at > now() and attempts < ?2")
                .setParameter(1, hash).setParameter(2, MFA_TOKEN_ATTEMPTS).executeUpdate());
        if (claimed != 1) {
            throw new UnauthorizedException();
        }
        try {
            Finished done = inTransaction(() -> finish(table, hash, pending, code.strip(), keys));
            metrics.tokenIssued(table.name(), "mfa");
            if (done.recoveryCodesLeft() >= 0) {
                recoveryCodeUsed.fire(new RecoveryCodeUsed(table, pending.accountId(), done.recoveryCodesLeft()));
            }
            return done.authToken();
        } catch (Failure wrong) {
            if (wrong.kind() == Failure.Kind.INVALID_INPUT) {
                inTransaction(() -> {
                    throttle.record(keys.account());
                    throttle.record(keys.pair());
                    audit.failed(AuditEvent.MFA_VERIFIED, table.name(), pending.accountId(), Map.of("reason", "code"));
                    return null;
                });
            }
            throw wrong;
        }
    }

    /** In one transaction: the code (its step, or the recovery code) and the mfa_token are used, and the token issued. */
    private Finished finish(AuthTable table, byte[] hash, Pending pending, String code, Throttle.LoginKeys keys) {
        List<String> second;
        long left = -1;
        if (Totp.wellFormed(code)) {
            useTotp(table, pending.accountId(), code);
            second = List.of(Assurance.OTP);
        } else if (RecoveryCodes.normalized(code) != null) {
            useRecoveryCode(table, pending.accountId(), RecoveryCodes.normalized(code));
            second = List.of(Assurance.OTP, Assurance.RECOVERY_CODE);
            left = recoveryCodesLeft(table, pending.accountId());
        } else {
            throw wrongCode();
        }
        int used = em.createNativeQuery("update auth_mfa_token set used_at = now() "
                + "where hash = ?1 and used_at is null and expires_at > now()").setParameter(1, hash).executeUpdate();
        if (used != 1) {
            throw new UnauthorizedException(); // used by a simultaneous right code, or expired meanwhile: rolled back
        }
        Account account = em.find(table.entity(), pending.accountId());
        if (account == null) {
            throw new UnauthorizedException();
        }
        throttle.succeeded(new Throttle.Attempt(keys, -1)); // the login is complete: its failures are forgiven
        Assurance assurance = new Assurance(1, pending.firstAmr()).withSecond(second);
        audit.ok(AuditEvent.MFA_VERIFIED, table.name(), account.id, Map.of("method", left >= 0 ? "recovery_code" : "totp"));
        return new Finished(tokens.issue(table, account.id, TokenService.extrasOf(account.role, account.extras,
                account.verified), table.tokenExpiration(), assurance), left);
    }

    /** A finished login: its token, and the recovery codes left when one was used (else -1). */
    private record Finished(String authToken, long recoveryCodesLeft) {
    }

    /** The login an mfa_token stands for, while it is usable (in the caller's transaction). */
    @Transactional(TxType.MANDATORY)
    public Optional<Waiting> waiting(AuthTable table, String mfaToken) {
        return pending(table, sha256(mfaToken)).map(p -> new Waiting(p.accountId(), p.firstAmr()));
    }

    /**
     * Uses an mfa_token for a second factor proved elsewhere (a passkey), in the caller's transaction, forgiving the
     * login's failures: its login, or 401 when it is used, expired or void.
     */
    @Transactional(TxType.MANDATORY)
    public Waiting consume(AuthTable table, String mfaToken) {
        byte[] hash = sha256(mfaToken);
        Pending pending = pending(table, hash).orElseThrow(UnauthorizedException::new);
        int used = em.createNativeQuery("update auth_mfa_token set used_at = now() where hash = ?1 and used_at is null "
                + "and expires_at > now() and attempts < ?2").setParameter(1, hash)
                .setParameter(2, MFA_TOKEN_ATTEMPTS).executeUpdate();
        if (used != 1) {
            throw new UnauthorizedException();
        }
        return new Waiting(pending.accountId(), pending.firstAmr());
    }

    /** Whether the account has an active second factor (TOTP or passkey), in the caller's transaction. */
    @Transactional(TxType.MANDATORY)
    public boolean hasActiveFactor(AuthTable table, long accountId) {
        return activeCount(table, accountId) > 0;
    }

    /** A factor was removed elsewhere (a passkey): without one left, the recovery codes go too. */
    @Transactional(TxType.MANDATORY)
    public void factorRemoved(AuthTable table, long accountId) {
        if (activeCount(table, accountId) == 0) {
            deleteRecoveryCodes(table, accountId);
        }
    }

    private Optional<Pending> pending(AuthTable table, byte[] hash) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select account_id, first_amr from auth_mfa_token where hash = ?1 "
                + "and dbtable = ?2 and used_at is null and expires_at > now() and attempts < ?3")
                .setParameter(1, hash).setParameter(2, table.name()).setParameter(3, MFA_TOKEN_ATTEMPTS).getResultList();
        return rows.stream().findFirst().map(r -> new Pending(((Number) r[0]).longValue(),
                Arrays.stream(((String) r[1]).split(",")).filter(s -> !s.isEmpty()).toList()));
    }

    /**
     * A code of one of the account's active factors, at a step after the factor's last accepted one; the step is
     * taken by one conditional UPDATE, so of two requests with the same code exactly one gets it.
     */
    private void useTotp(AuthTable table, long accountId, String code) {
        long now = Totp.step(Instant.now().getEpochSecond());
        for (Stored f : factors(table, accountId, true)) {
            long step = Totp.matchingStep(box.open(new SecretBox.Sealed(f.secret(), f.kid()), f.id().toString()), code,
                    now);
            if (step >= 0 && (f.lastStep() == null || step > f.lastStep()) && takeStep(f, step)) {
                return;
            }
        }
        throw wrongCode();
    }

    private boolean takeStep(Stored f, long step) {
        int taken = em.createNativeQuery("update auth_mfa_factor set last_step = ?1, last_used_at = now() "
                + "where id = ?2 and active and (last_step is null or last_step < ?1)")
                .setParameter(1, step).setParameter(2, f.id()).executeUpdate();
        if (taken == 1 && box.stale(f.kid())) {
            reseal(f);
        }
        return taken == 1;
    }

    /** The token keys rotated since the secret was sealed: seal it under the current one. */
    private void reseal(Stored f) {
        byte[] secret = box.open(new SecretBox.Sealed(f.secret(), f.kid()), f.id().toString());
        SecretBox.Sealed sealed = box.seal(secret, f.id().toString());
        em.createNativeQuery("update auth_mfa_factor set secret = ?1, kid = ?2 where id = ?3")
                .setParameter(1, sealed.bytes()).setParameter(2, sealed.kid()).setParameter(3, f.id()).executeUpdate();
    }

    /** Every stored code of the account is compared (in constant time); the matching row is deleted by one statement. */
    private void useRecoveryCode(AuthTable table, long accountId, String normalized) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select id, hash, kid from auth_mfa_recovery_code "
                + "where dbtable = ?1 and account_id = ?2").setParameter(1, table.name()).setParameter(2, accountId)
                .getResultList();
        Long match = null;
        for (Object[] r : rows) {
            byte[] expected = recoveryCodes.hash(normalized, (String) r[2]);
            if (expected != null && MessageDigest.isEqual(expected, (byte[]) r[1]) && match == null) {
                match = ((Number) r[0]).longValue();
            }
        }
        if (match == null || em.createNativeQuery("delete from auth_mfa_recovery_code where id = ?1")
                .setParameter(1, match).executeUpdate() != 1) {
            throw wrongCode();
        }
        LOG.infof("recovery code used: table=%s id=%d", table.name(), accountId);
        audit.ok(AuditEvent.RECOVERY_CODE_USED, table.name(), accountId);
    }

    // ---------------------------------------------------------------- enrolment and management

    /** A new TOTP factor, inactive until a first code activates it within the hour. */
    public Enrolment enrol(AuthTable table, Auth caller, String name) {
        if (!config.tables().get(table.name()).mfa().totp()) {
            throw Failure.unknownRoute();
        }
        return inTransaction(() -> {
            if (activeCount(table, caller.id()) > 0 && caller.aal() < 2) {
                throw Failure.denied(NEEDS_AAL2);
            }
            Account account = em.find(table.entity(), caller.id());
            if (account == null) {
                throw new UnauthorizedException();
            }
            em.createNativeQuery("delete from auth_mfa_factor where dbtable = ?1 and account_id = ?2 and not active "
                    + "and expires_at <= now()").setParameter(1, table.name()).setParameter(2, caller.id()).executeUpdate();
            byte[] secret = new byte[SECRET_BYTES];
            random.nextBytes(secret);
            UUID id = UUID.randomUUID();
            SecretBox.Sealed sealed = box.seal(secret, id.toString());
            em.createNativeQuery("insert into auth_mfa_factor (id, dbtable, account_id, type, name, secret, kid, active, "
                    + "expires_at) values (?1, ?2, ?3, 'totp', ?4, ?5, ?6, false, ?7)")
                    .setParameter(1, id).setParameter(2, table.name()).setParameter(3, caller.id())
                    .setParameter(4, name).setParameter(5, sealed.bytes()).setParameter(6, sealed.kid())
                    .setParameter(7, Instant.now().plus(ENROLMENT_LIFETIME)).executeUpdate();
            audit.ok(AuditEvent.MFA_ENROLLED, table.name(), caller.id(), Map.of("factor", id.toString()));
            String base32 = new Base32().encodeToString(secret).replace("=", "");
            String issuer = config.mfa().issuer();
            String uri = "otpauth://totp/" + uriPart(issuer) + ":" + uriPart(account.email) + "?secret=" + base32
                    + "&issuer=" + uriPart(issuer) + "&algorithm=SHA1&digits=" + Totp.DIGITS + "&period="
                    + Totp.PERIOD_SECONDS;
            return new Enrolment(id.toString(), base32, uri, QrSvg.of(uri));
        });
    }

    /**
     * Activates an enrolment with a first code: one conditional UPDATE (of two simultaneous activations exactly one
     * wins; the other finds no enrolment, 404), a new set of recovery codes, and the caller's token replaced by one
     * of aal 2.
     */
    public Activated activate(AuthTable table, Auth caller, String id, String code) {
        UUID factorId = factorId(id);
        Stored f = inTransaction(() -> pendingFactor(table, caller.id(), factorId)).orElseThrow(SecondFactors::noFactor);
        String c = code.strip();
        long step = Totp.wellFormed(c)
                ? Totp.matchingStep(box.open(new SecretBox.Sealed(f.secret(), f.kid()), id), c,
                        Totp.step(Instant.now().getEpochSecond()))
                : -1;
        if (step < 0) {
            throw wrongCode();
        }
        Activated activated = inTransaction(() -> {
            int won = em.createNativeQuery("update auth_mfa_factor set active = true, expires_at = null, last_step = ?1, "
                    + "last_used_at = now() where id = ?2 and dbtable = ?3 and account_id = ?4 and not active "
                    + "and expires_at > now()").setParameter(1, step).setParameter(2, factorId)
                    .setParameter(3, table.name()).setParameter(4, caller.id()).executeUpdate();
            if (won != 1) {
                throw noFactor();
            }
            List<String> codes = replaceRecoveryCodes(table, caller.id());
            audit.ok(AuditEvent.MFA_ACTIVATED, table.name(), caller.id(), Map.of("factor", id));
            Account account = em.find(table.entity(), caller.id());
            if (account == null) {
                throw new UnauthorizedException();
            }
            revocation.revoke(caller.jti());
            String token = tokens.issue(table, caller.id(), TokenService.extrasOf(account.role, account.extras,
                    account.verified), table.tokenExpiration(), caller.assurance().withSecond(List.of(Assurance.OTP)));
            return new Activated(token, codes);
        });
        metrics.tokenIssued(table.name(), "mfa_activate");
        return activated;
    }

    public Factors list(AuthTable table, long accountId) {
        return inTransaction(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("select id, name, created_at, last_used_at from auth_mfa_factor "
                    + "where dbtable = ?1 and account_id = ?2 and active order by created_at, id")
                    .setParameter(1, table.name()).setParameter(2, accountId).getResultList();
            List<Factor> totp = new ArrayList<>();
            for (Object[] r : rows) {
                Instant last = instant(r[3]);
                totp.add(new Factor(r[0].toString(), (String) r[1], instant(r[2]).toEpochMilli(),
                        last == null ? null : last.toEpochMilli()));
            }
            return new Factors(totp, recoveryCodesLeft(table, accountId));
        });
    }

    /** Removes one of the caller's factors; without an active factor left, the recovery codes go too. */
    public void delete(AuthTable table, Auth caller, String id) {
        UUID factorId = factorId(id);
        inTransaction(() -> {
            int gone = em.createNativeQuery("delete from auth_mfa_factor where id = ?1 and dbtable = ?2 and account_id = ?3")
                    .setParameter(1, factorId).setParameter(2, table.name()).setParameter(3, caller.id()).executeUpdate();
            if (gone != 1) {
                throw noFactor();
            }
            if (activeCount(table, caller.id()) == 0) {
                deleteRecoveryCodes(table, caller.id());
            }
            audit.ok(AuditEvent.MFA_REMOVED, table.name(), caller.id(), Map.of("factor", id));
            return null;
        });
    }

    /** A new set of recovery codes; the old set is void. Needs an active factor. */
    public List<String> regenerate(AuthTable table, Auth caller) {
        return inTransaction(() -> {
            if (activeCount(table, caller.id()) == 0) {
                throw Failure.notFound("The account has no second factor.");
            }
            audit.ok(AuditEvent.RECOVERY_CODES_REGENERATED, table.name(), caller.id());
            return replaceRecoveryCodes(table, caller.id());
        });
    }

    /** Administrators: every factor, recovery code and waiting login of the record removed, its sessions ended. */
    public long reset(AuthTable table, long accountId) {
        return inTransaction(() -> {
            removeAll(table, accountId);
            mailed.voidAll(table.name(), accountId); // a factor reset voids every mailed secret, as a password reset does
            audit.ok(AuditEvent.MFA_RESET, table.name(), accountId);
            return revocation.revokeAll(table.name(), accountId);
        });
    }

    /** Every factor, recovery code and waiting login of an account, in the caller's transaction (a record's deletion). */
    @Transactional(TxType.MANDATORY)
    public void removeAll(AuthTable table, long accountId) {
        for (String t : List.of("auth_mfa_factor", "auth_passkey", "auth_mfa_recovery_code", "auth_mfa_token",
                "auth_webauthn_challenge")) {
            em.createNativeQuery("delete from " + t + " where dbtable = ?1 and account_id = ?2")
                    .setParameter(1, table.name()).setParameter(2, accountId).executeUpdate();
        }
    }

    /** Abandoned enrolments and finished or expired logins: dropped. Every replica may run it. */
    @Scheduled(every = "${authgate.sessions.purge-every:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        inTransaction(() -> {
            em.createNativeQuery("delete from auth_mfa_token where expires_at < now()").executeUpdate();
            em.createNativeQuery("delete from auth_mfa_factor where not active and expires_at < now()").executeUpdate();
            return null;
        });
    }

    // ---------------------------------------------------------------- parts

    private List<String> replaceRecoveryCodes(AuthTable table, long accountId) {
        deleteRecoveryCodes(table, accountId);
        List<String> codes = recoveryCodes.generate();
        for (String code : codes) {
            RecoveryCodes.Hashed h = recoveryCodes.hash(RecoveryCodes.normalized(code));
            em.createNativeQuery("insert into auth_mfa_recovery_code (dbtable, account_id, hash, kid) values (?1, ?2, ?3, ?4)")
                    .setParameter(1, table.name()).setParameter(2, accountId).setParameter(3, h.hash())
                    .setParameter(4, h.kid()).executeUpdate();
        }
        return codes;
    }

    private void deleteRecoveryCodes(AuthTable table, long accountId) {
        em.createNativeQuery("delete from auth_mfa_recovery_code where dbtable = ?1 and account_id = ?2")
                .setParameter(1, table.name()).setParameter(2, accountId).executeUpdate();
    }

    private long recoveryCodesLeft(AuthTable table, long accountId) {
        return ((Number) em.createNativeQuery("select count(*) from auth_mfa_recovery_code where dbtable = ?1 "
                + "and account_id = ?2").setParameter(1, table.name()).setParameter(2, accountId).getSingleResult())
                .longValue();
    }

    private long activeCount(AuthTable table, long accountId) {
        return ((Number) em.createNativeQuery("select (select count(*) from auth_mfa_factor where dbtable = ?1 "
                + "and account_id = ?2 and active) + (select count(*) from auth_passkey where dbtable = ?1 "
                + "and account_id = ?2)").setParameter(1, table.name()).setParameter(2, accountId)
                .getSingleResult()).longValue();
    }

    private List<Stored> factors(AuthTable table, long accountId, boolean active) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select id, secret, kid, last_step from auth_mfa_factor "
                + "where dbtable = ?1 and account_id = ?2 and active = ?3 order by created_at, id")
                .setParameter(1, table.name()).setParameter(2, accountId).setParameter(3, active).getResultList();
        return rows.stream().map(SecondFactors::stored).toList();
    }

    private Optional<Stored> pendingFactor(AuthTable table, long accountId, UUID id) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select id, secret, kid, last_step from auth_mfa_factor "
                + "where id = ?1 and dbtable = ?2 and account_id = ?3 and not active and expires_at > now()")
                .setParameter(1, id).setParameter(2, table.name()).setParameter(3, accountId).getResultList();
        return rows.stream().findFirst().map(SecondFactors::stored);
    }

    private static Stored stored(Object[] r) {
        return new Stored((UUID) r[0], (byte[]) r[1], (String) r[2], r[3] == null ? null : ((Number) r[3]).longValue());
    }

    /** A factor id is a UUID; anything else names no factor (404, as another account's factor). */
    private static UUID factorId(String id) {
        return uuid(id).orElseThrow(SecondFactors::noFactor);
    }

    /** A UUID in its canonical form (any case), or none. */
    public static Optional<UUID> uuid(String id) {
        try {
            UUID uuid = UUID.fromString(id);
            if (uuid.toString().equals(id.toLowerCase(java.util.Locale.ROOT))) {
                return Optional.of(uuid);
            }
        } catch (IllegalArgumentException e) {
            // below
        }
        return Optional.empty();
    }

    static Failure noFactor() {
        return Failure.notFound("No such factor.");
    }

    static Failure wrongCode() {
        return Failure.invalidInput("code", "The code is not right.");
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static String uriPart(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A timestamp column's value as an Instant (null stays null). */
    public static Instant instant(Object value) {
        return value == null ? null
                : value instanceof Instant i ? i
                : value instanceof java.sql.Timestamp t ? t.toInstant()
                : ((java.time.OffsetDateTime) value).toInstant();
    }

    private static <T> T inTransaction(Supplier<T> work) {
        return QuarkusTransaction.requiringNew().call(work::get);
    }
}
