package dev.authgate.mail;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.authgate.jdbc.Jdbc;
import dev.authgate.account.AccountRules;
import dev.authgate.account.AccountView;
import dev.authgate.account.AuthTable;
import dev.authgate.account.MailedSecrets;
import dev.authgate.account.PasswordHasher;
import dev.authgate.account.SignedUp;
import dev.authgate.events.Audit;
import dev.authgate.events.AuditEvent;
import dev.authgate.throttle.Throttle;
import dev.authgate.throttle.ThrottleKey;
import dev.authgate.failure.Failure;
import dev.authgate.mail.AccountRows.Row;
import dev.authgate.mail.Outbox.Letter;
import dev.authgate.mail.Secrets.Claimed;
import dev.authgate.mail.Secrets.Target;
import dev.authgate.metrics.AuthMetrics;
import dev.authgate.mfa.SecondFactors;
import dev.authgate.mfa.SignIn;
import dev.authgate.session.Revocation;
import dev.authgate.session.SessionIssuer;
import dev.authgate.token.Assurance;
import dev.authgate.token.Auth;

/**
 * Password reset, email verification, magic links and email change. A send request does the same statements
 * whether or not the email belongs to an account (for an unknown one a decoy secret is stored and nothing is
 * mailed), and mail leaves in the background, so neither the answer nor its timing tells.
 */
@Singleton
public class EmailAccounts {

    private static final Logger LOG = Logger.getLogger(EmailAccounts.class);

    private final EmailFlows flows;
    private final Secrets secrets;
    private final AccountRows accounts;
    private final Outbox outbox;
    private final PasswordHasher hasher;
    private final SessionIssuer tokens;
    private final Revocation revocation;
    private final Throttle throttle;
    private final AuthMetrics metrics;
    private final MailConfig config;
    private final MailedSecrets mailed;
    private final SecondFactors secondFactors;
    private final Audit audit;

    public EmailAccounts(EmailFlows flows, Secrets secrets, AccountRows accounts, Outbox outbox, PasswordHasher hasher,
            SessionIssuer tokens, Revocation revocation, Throttle throttle, AuthMetrics metrics, MailConfig config,
            MailedSecrets mailed, SecondFactors secondFactors, Audit audit) {
        this.flows = flows;
        this.secrets = secrets;
        this.accounts = accounts;
        this.outbox = outbox;
        this.hasher = hasher;
        this.tokens = tokens;
        this.revocation = revocation;
        this.throttle = throttle;
        this.metrics = metrics;
        this.config = config;
        this.mailed = mailed;
        this.secondFactors = secondFactors;
        this.audit = audit;
    }

    // --- password reset ---

    public void requestReset(AuthTable table, String email, String address) {
        String token = secrets.newLinkToken();
        Optional<Row> account = inTransaction(() -> {
            throttleSend(table, email, address);
            Optional<Row> found = accounts.byEmail(table, email);
            secrets.store(Purpose.RESET, target(table, found, email, null), token);
            audit.ok(AuditEvent.PASSWORD_RESET_REQUESTED, table.name(), found.map(Row::id).orElse(null), Map.of("known", found.isPresent()));
            return found;
        });
        account.ifPresent(a -> outbox.send(Letter.RESET, email, Map.of("link", link(config.paths().reset(), token),
                "email", email, "minutes", config.linkExpiration().toMinutes())));
    }

    /**
     * Sets the password, ends every token of the account, and answers a new one; an account with a second factor
     * gets the login step instead (the mailbox alone does not pass it).
     */
    public SignIn confirmReset(AuthTable table, String token, String newPassword) {
        if (!secrets.live(Purpose.RESET, table.name(), token)) {
            throw Secrets.badToken(); // before bcrypt: a dead token costs nothing
        }
        String hash = hasher.hash(newPassword);
        SignIn authToken = inTransaction(() -> {
            Claimed claimed = secrets.claim(Purpose.RESET, table.name(), token).orElseThrow(Secrets::badToken);
            // a deleted account (or one whose email changed since) rolls the claim back and is refused
            Row row = accounts.resetPassword(table, claimed.accountId(), claimed.email(), hash)
                    .orElseThrow(Secrets::badToken);
            revocation.revokeAll(table.name(), row.id());
            mailed.voidAll(table.name(), row.id()); // a pending email change dies with the old password
            audit.ok(AuditEvent.PASSWORD_RESET, table.name(), row.id());
            return secondFactors.signIn(table, row.id(), row.tokenExtras(), Assurance.RESET);
        });
        metrics.tokenIssued(table.name(), "password_reset");
        return authToken;
    }

    // --- verification ---

    /** A verification mail after a sign-up, when the table asks for it; a failure here never undoes the sign-up. */
    void signedUp(@Observes SignedUp event) {
        if (!flows.isOn(event.table(), Flow.VERIFY)) {
            return;
        }
        try {
            sendVerification(event.table(), event.accountId(), event.email());
        } catch (RuntimeException e) {
            LOG.warnf("verification mail not queued after sign-up: table=%s failure=%s", event.table().name(),
                    e.getClass().getName());
        }
    }

    /** Mails a new verification link to the caller, unless the address is verified already. */
    public void resendVerification(AuthTable table, Auth caller, String address) {
        Row row = inTransaction(() -> accounts.byId(table, caller.id())).orElseThrow(Failure::invalidToken);
        inTransaction(() -> {
            throttleSend(table, row.email(), address);
            return null;
        });
        if (!row.verified()) {
            sendVerification(table, row.id(), row.email());
        }
    }

    private void sendVerification(AuthTable table, long id, String email) {
        String token = secrets.newLinkToken();
        inTransaction(() -> {
            secrets.store(Purpose.VERIFY, new Target(table.name(), id, email, null), token);
            return null;
        });
        outbox.send(Letter.VERIFY, email, Map.of("link", link(config.paths().verify(), token), "email", email,
                "minutes", config.linkExpiration().toMinutes()));
    }

    /** @param presenter the token the request carried, if any: see {@link #firstProof} */
    public void verify(AuthTable table, String token, Optional<Auth> presenter) {
        inTransaction(() -> {
            Claimed claimed = secrets.claim(Purpose.VERIFY, table.name(), token).orElseThrow(Secrets::badToken);
            Row before = accounts.byId(table, claimed.accountId()).orElseThrow(Secrets::badToken);
            Row row = accounts.markVerified(table, claimed.accountId(), claimed.email()).orElseThrow(Secrets::badToken);
            if (!before.verified()) {
                firstProof(table, row.id(), presenter);
            }
            audit.ok(AuditEvent.EMAIL_VERIFIED, table.name(), row.id(), Map.of("first", !before.verified()));
            return row;
        });
    }

    // --- magic link and code ---

    /** One mail with a link and a 6-digit code; whichever is used first voids the other. */
    public void requestMagicLink(AuthTable table, String email, String address) {
        String token = secrets.newLinkToken();
        String code = secrets.newCode();
        Optional<Row> account = inTransaction(() -> {
            throttleSend(table, email, address);
            Optional<Row> found = accounts.byEmail(table, email);
            Target target = target(table, found, email, null);
            secrets.store(Purpose.MAGIC_LINK, target, token);
            secrets.store(Purpose.MAGIC_CODE, target, code);
            audit.ok(AuditEvent.MAGIC_LINK_REQUESTED, table.name(), found.map(Row::id).orElse(null), Map.of("known", found.isPresent()));
            return found;
        });
        account.ifPresent(a -> outbox.send(Letter.MAGIC_LINK, email, Map.of(
                "link", link(config.paths().magicLink(), token), "code", code, "email", email,
                "minutes", config.linkExpiration().toMinutes(), "codeMinutes", config.codeExpiration().toMinutes())));
    }

    public SignIn magicLogin(AuthTable table, String token, Optional<Auth> presenter) {
        return signIn(table, () -> secrets.claim(Purpose.MAGIC_LINK, table.name(), token), Secrets::badToken,
                Purpose.MAGIC_CODE, presenter);
    }

    public SignIn codeLogin(AuthTable table, String email, String code, Optional<Auth> presenter) {
        long id = secrets.matchCode(table.name(), email, code).orElseThrow(Secrets::badCode);
        return signIn(table, () -> secrets.claimCode(id), Secrets::badCode, Purpose.MAGIC_LINK, presenter);
    }

    /**
     * Uses the secret, marks the address proved (a first proof: {@link #firstProof}), voids the other half of the
     * mail, and answers a token.
     */
    private SignIn signIn(AuthTable table, Supplier<Optional<Claimed>> claim, Supplier<Failure> refused,
            Purpose sibling, Optional<Auth> presenter) {
        SignIn authToken = inTransaction(() -> {
            Claimed claimed = claim.get().orElseThrow(refused);
            Row before = accounts.byId(table, claimed.accountId()).orElseThrow(refused);
            Row row = accounts.markVerified(table, claimed.accountId(), claimed.email()).orElseThrow(refused);
            if (!before.verified()) {
                firstProof(table, row.id(), presenter); // before the new token: that one is kept
            }
            secrets.voidLive(table.name(), claimed.email(), sibling);
            audit.ok(AuditEvent.MAGIC_LINK_LOGIN, table.name(), row.id(), Map.of("via", sibling == Purpose.MAGIC_CODE ? "link" : "code"));
            return secondFactors.signIn(table, row.id(), row.tokenExtras(), Assurance.MAILED);
        });
        metrics.tokenIssued(table.name(), "magic_link");
        return authToken;
    }

    // --- email change ---

    /**
     * Mails a link to the new address and a notice to the current one, with a link that cancels the change. A new
     * address that another account has gets no link (a decoy is stored instead) and the same answer, so the endpoint
     * tells nothing about it.
     */
    public void requestEmailChange(AuthTable table, Auth caller, String newEmail, String password, String address) {
        Row row = inTransaction(() -> accounts.byId(table, caller.id())).orElseThrow(Failure::invalidToken);
        // bcrypt reads 72 bytes: a longer password is never right (as at login), not truncated into a match
        if (AccountRules.tooLongForBcrypt(password) || !hasher.verify(password, row.passwordHash())) {
            throw Failure.invalidCredentials();
        }
        if (newEmail.equals(row.email())) {
            throw Failure.invalidInput("new_email", "The new email is the account's email already.");
        }
        String token = secrets.newLinkToken();
        String cancel = secrets.newLinkToken();
        boolean free = inTransaction(() -> {
            throttleSend(table, row.email(), address);
            boolean available = accounts.byEmail(table, newEmail).isEmpty();
            secrets.store(Purpose.EMAIL_CHANGE,
                    new Target(table.name(), available ? row.id() : null, row.email(), newEmail), token);
            secrets.store(Purpose.EMAIL_CHANGE_CANCEL, new Target(table.name(), row.id(), row.email(), newEmail),
                    cancel);
            audit.ok(AuditEvent.EMAIL_CHANGE_REQUESTED, table.name(), row.id());
            return available;
        });
        if (free) {
            outbox.send(Letter.EMAIL_CHANGE, newEmail, Map.of("link", link(config.paths().emailChange(), token),
                    "email", row.email(), "newEmail", newEmail, "minutes", config.linkExpiration().toMinutes()));
        }
        outbox.send(Letter.EMAIL_CHANGE_NOTICE, row.email(), Map.of("email", row.email(), "newEmail", newEmail,
                "link", link(config.paths().cancelEmailChange(), cancel), "minutes",
                config.linkExpiration().toMinutes()));
    }

    /**
     * The old address says the change was not its owner's: every pending secret dies, a change already confirmed
     * is undone (unless another account took the old address since), the password (which whoever asked for the
     * change knew) is voided and every session ends. The owner comes back with a password reset to the old address.
     */
    public void cancelEmailChange(AuthTable table, String token) {
        if (!secrets.live(Purpose.EMAIL_CHANGE_CANCEL, table.name(), token)) {
            throw Secrets.badToken(); // before bcrypt: a dead token costs nothing
        }
        String voided = unknownPasswordHash();
        try {
            inTransaction(() -> {
                Claimed claimed = secrets.claim(Purpose.EMAIL_CHANGE_CANCEL, table.name(), token)
                        .orElseThrow(Secrets::badToken);
                Row row = accounts.byId(table, claimed.accountId()).orElseThrow(Secrets::badToken);
                if (row.email().equals(claimed.newEmail())) {
                    accounts.changeEmail(table, row.id(), claimed.newEmail(), claimed.email());
                } else if (!row.email().equals(claimed.email())) {
                    throw Secrets.badToken(); // the address moved on since: this link no longer speaks for it
                }
                accounts.voidPassword(table, row.id(), voided);
                mailed.voidAll(table.name(), row.id());
                revocation.revokeAll(table.name(), row.id());
                audit.ok(AuditEvent.EMAIL_CHANGE_CANCELLED, table.name(), row.id());
                return null;
            });
        } catch (Jdbc.Failed e) {
            if (e.uniqueViolation()) {
                throw Failure.emailTaken(); // the old address was taken by another account since
            }
            throw e;
        }
    }

    /** The new address is proved for the first time: {@link #firstProof} applies. */
    public AccountView confirmEmailChange(AuthTable table, String token, Optional<Auth> presenter) {
        try {
            return inTransaction(() -> {
                Claimed claimed = secrets.claim(Purpose.EMAIL_CHANGE, table.name(), token).orElseThrow(Secrets::badToken);
                Row row = accounts.changeEmail(table, claimed.accountId(), claimed.email(), claimed.newEmail())
                        .orElseThrow(Secrets::badToken);
                firstProof(table, row.id(), presenter);
                audit.ok(AuditEvent.EMAIL_CHANGED, table.name(), row.id());
                return row.view();
            });
        } catch (Jdbc.Failed e) {
            if (e.uniqueViolation()) {
                throw Failure.emailTaken(); // taken by another account since the request
            }
            throw e;
        }
    }

    // --- shared ---

    /**
     * Pre-hijacking (issue 23 #5): an address was just proved for the first time by a mailed secret, but whoever set
     * the password before the proof need not be the address's owner (an attacker can sign up someone else's address).
     * Unless the proof came from a session of this account opened with that password (the app that signed up and
     * then sends the verification with its token), the password is voided, every other session ends and every other
     * mailed secret dies. Runs in the caller's transaction.
     */
    private void firstProof(AuthTable table, long id, Optional<Auth> presenter) {
        Optional<Auth> own = presenter.filter(a -> a.id() == id && a.dbtable().equals(table.name()));
        if (own.isPresent() && accounts.passwordSession(table, id, own.get().jti())) {
            return;
        }
        accounts.voidPassword(table, id, unknownPasswordHash());
        mailed.voidAll(table.name(), id);
        if (own.isPresent()) {
            revocation.revokeOthers(table.name(), id, own.get().jti());
        } else {
            revocation.revokeAll(table.name(), id);
        }
    }

    /** A bcrypt hash of a random secret nobody is told: the account's password is void, and login still costs bcrypt. */
    private String unknownPasswordHash() {
        return hasher.hash(secrets.newLinkToken());
    }

    /** Counts a send request per (table, email) and per client address; 429 past either limit. */
    private void throttleSend(AuthTable table, String email, String address) {
        throttle.count(new Throttle.Limit(ThrottleKey.mail(table.name(), email), config.throttle().maxPerEmail()));
        throttle.count(new Throttle.Limit(ThrottleKey.mailAddress(address), config.throttle().maxPerAddress()));
    }

    private static Target target(AuthTable table, Optional<Row> found, String email, String newEmail) {
        return new Target(table.name(), found.map(Row::id).orElse(null), email, newEmail);
    }

    private String link(String path, String token) {
        String base = config.linkBase().orElseThrow().replaceAll("/+$", "");
        return base + path + (path.contains("?") ? "&" : "?") + "token=" + token;
    }

    private static <T> T inTransaction(Supplier<T> work) {
        return QuarkusTransaction.requiringNew().call(work::get);
    }
}
