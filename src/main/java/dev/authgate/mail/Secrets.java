package dev.authgate.mail;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;

import io.quarkus.scheduler.Scheduled;

import dev.authgate.jdbc.Jdbc;
import dev.authgate.failure.Failure;

/**
 * The mailed one-time secrets: link tokens (256 bits from {@link SecureRandom}, base64url) and 6-digit codes,
 * stored only as SHA-256 hashes. A secret is used by one statement that sets {@code used_at} where it is still
 * null, so of two simultaneous uses exactly one wins; replays, expired and voided secrets find no row.
 */
@Singleton
public final class Secrets {

    private static final Pattern LINK_TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern CODE = Pattern.compile("[0-9]{6}");
    private static final String BAD_TOKEN = "The token is invalid, expired or already used.";
    private static final String BAD_CODE = "The code is invalid, expired or already used.";

    /** Whom a secret is for; {@code accountId} is null for the decoys written for unknown emails. */
    record Target(String dbtable, Long accountId, String email, String newEmail) {
    }

    /** What a used secret names. */
    record Claimed(long accountId, String email, String newEmail) {
    }

    private final SecureRandom random;
    private final Jdbc db;
    private final MailConfig config;

    Secrets(Jdbc db, MailConfig config, SecureRandom random) {
        this.db = db;
        this.random = random;
        this.config = config;
    }

    String newLinkToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    String newCode() {
        return String.format("%06d", random.nextInt(1_000_000));
    }

    /** A link token as mailed, or 400 naming {@code token}: nothing else reaches the database. */
    public static String linkToken(String raw) {
        if (!LINK_TOKEN.matcher(raw).matches()) {
            throw badToken();
        }
        return raw;
    }

    public static String code(String raw) {
        if (!CODE.matcher(raw).matches()) {
            throw badCode();
        }
        return raw;
    }

    static Failure badToken() {
        return Failure.invalidInput("token", BAD_TOKEN);
    }

    static Failure badCode() {
        return Failure.invalidInput("code", BAD_CODE);
    }

    /**
     * Voids the target's live secrets of this purpose (the newest mail is the one that works), then stores the new
     * one. The same statements run for a decoy, so an unknown email costs what a known one does.
     */
    void store(Purpose purpose, Target target, String secret) {
        voidLive(target.dbtable(), target.email(), purpose);
        Duration ttl = purpose == Purpose.MAGIC_CODE ? config.codeExpiration() : config.linkExpiration();
        db.update("insert into auth_email_secret (hash, purpose, dbtable, account_id, email, new_email, expires_at)"
                + " values (?, ?, ?, ?, ?, ?, now() + ? * interval '1 millisecond')", hash(secret), purpose.column,
                target.dbtable(), target.accountId(), target.email(), target.newEmail(), ttl.toMillis());
    }

    /** Voids the live secrets of a purpose for an email: e.g. the code once the link signed in. */
    void voidLive(String dbtable, String email, Purpose purpose) {
        db.update("update auth_email_secret set used_at = now() where dbtable = ? and email = ? and purpose = ?"
                + " and used_at is null", dbtable, email, purpose.column);
    }

    /** Whether a link token could still be used, without using it: spares hashing a password for a dead token. */
    boolean live(Purpose purpose, String dbtable, String token) {
        return db.first("select 1 from auth_email_secret where hash = ? and purpose = ? and dbtable = ?"
                + " and used_at is null and expires_at > now() and account_id is not null", rs -> true,
                hash(token), purpose.column, dbtable).isPresent();
    }

    /** Uses a link token: the one statement that decides who wins. */
    Optional<Claimed> claim(Purpose purpose, String dbtable, String token) {
        return db.first("update auth_email_secret set used_at = now() where hash = ? and purpose = ? and dbtable = ?"
                + " and used_at is null and expires_at > now() and account_id is not null"
                + " returning account_id, email, new_email", Secrets::claimed, hash(token), purpose.column, dbtable);
    }

    /** Uses the code row that {@link #matchCode} found. */
    Optional<Claimed> claimCode(long id) {
        return db.first("update auth_email_secret set used_at = now() where id = ? and used_at is null"
                + " and expires_at > now() and account_id is not null returning account_id, email, new_email",
                Secrets::claimed, id);
    }

    /**
     * Spends one try of the email's live code (one statement, so parallel guesses cannot exceed the limit) and
     * compares in constant time. After {@code max-code-attempts} tries the code is void, right or wrong. Each try
     * also takes a place in the email's budget across codes ({@code max-code-failures} per
     * {@code code-failure-window}), given back when the code is right: past the budget no code is compared, and only
     * the link signs in until the window passes (a new mail every few minutes must not buy new guesses).
     *
     * @return the row id when the code is right
     */
    Optional<Long> matchCode(String dbtable, String email, String code) {
        Optional<Long> matched = tryCode(dbtable, email, code);
        if (matched.isPresent()) {
            db.update("delete from auth_code_failure where ctid = (select ctid from auth_code_failure"
                    + " where dbtable = ? and email = ? order by at desc limit 1)", dbtable, email);
        }
        return matched;
    }

    private Optional<Long> tryCode(String dbtable, String email, String code) {
        record Try(long id, byte[] hash) {
        }
        Optional<Try> tried = db.first("update auth_email_secret set attempts = attempts + 1 where id = ("
                + "select id from auth_email_secret where dbtable = ? and email = ? and purpose = ?"
                + " and used_at is null and expires_at > now() and attempts < ? order by id desc limit 1 for update)"
                + " returning id, hash", rs -> new Try(rs.getLong(1), rs.getBytes(2)),
                dbtable, email, Purpose.MAGIC_CODE.column, config.maxCodeAttempts());
        if (tried.isEmpty() || !spendFromBudget(dbtable, email)) {
            return Optional.empty();
        }
        return tried.filter(t -> MessageDigest.isEqual(t.hash(), hash(code))).map(Try::id);
    }

    /** Counted before the comparison, in one statement: simultaneous guesses overshoot by at most those in flight. */
    private boolean spendFromBudget(String dbtable, String email) {
        return db.update("insert into auth_code_failure (dbtable, email) select ?, ? where (select count(*)"
                + " from auth_code_failure where dbtable = ? and email = ? and at > now() - ? * interval '1 millisecond')"
                + " < ?", dbtable, email, dbtable, email, config.codeFailureWindow().toMillis(),
                config.maxCodeFailures()) == 1;
    }

    private static Claimed claimed(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Claimed(rs.getLong(1), rs.getString(2), rs.getString(3));
    }

    static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Expired secrets open nothing: drop them. Every replica may run it. */
    @Scheduled(every = "${authgate.sessions.purge-every}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        db.update("delete from auth_email_secret where expires_at < now()");
        db.update("delete from auth_code_failure where at < now() - ? * interval '1 millisecond'",
                config.codeFailureWindow().toMillis());
    }
}
