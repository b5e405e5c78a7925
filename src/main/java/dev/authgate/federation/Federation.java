package dev.authgate.federation;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

import dev.authgate.events.Audit;
import dev.authgate.events.AuditEvent;
import dev.authgate.jdbc.Jdbc;
import dev.authgate.mfa.SecondFactors;
import dev.authgate.mfa.SignIn;
import dev.authgate.token.Assurance;
import dev.authgate.account.Account;
import dev.authgate.account.AccountRules;
import dev.authgate.account.AuthTable;
import dev.authgate.account.UniqueEmail;
import dev.authgate.failure.Failure;
import dev.authgate.group.ApiGroup;
import dev.authgate.metrics.AuthMetrics;
import dev.authgate.session.SessionIssuer;
import dev.authgate.token.Auth;
import dev.authgate.token.TokenService;

/**
 * Sign in with another identity provider: start → provider → callback → the app's allowlisted redirect_uri with a
 * one-time code → {@code auth/oauth/token}. The flow's state, nonce and PKCE verifier live in PostgreSQL (any replica
 * finishes a flow), single use, 10 minutes, the state bound to a cookie; the app's code is single use, 60 seconds,
 * and may carry the app's own PKCE challenge. Which record the identity opens is decided at the token step, where a
 * refusal has the error shape.
 */
@Singleton
public class Federation {

    private static final Logger LOG = Logger.getLogger(Federation.class);

    static final Duration FLOW_LIFETIME = Duration.ofMinutes(10);
    static final Duration CODE_LIFETIME = Duration.ofSeconds(60);
    /** Stored as the password hash of a record made by a provider: no bcrypt hash, so no password matches it. */
    static final String NO_PASSWORD = "!federated";
    static final String LINK_FIRST = "An account with this email already exists. Sign in to it another way and link"
            + " this provider from the account (auth/identities/{provider}/link).";
    static final String KIND = "federation";
    public static final String LAST_WAY_IN = "This is the account's last way to sign in: set a password or link"
            + " another provider first.";
    /** A sign-in at a trusted provider whose amr says it did MFA (RFC 8176 {@code mfa}: more than one factor). */
    static final Assurance FEDERATED_MFA = new Assurance(2, List.of(Assurance.FED, "mfa"));
    /**
     * RFC 8176 values that name a second factor (something held, beside what the first proved): with {@code mfa}
     * itself, any of them in the provider's amr reads as "it did MFA".
     */
    static final Set<String> MFA_AMR = Set.of("mfa", "otp", "hwk", "swk", "sms", "tel", "sc");
    private static final Pattern S256_CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Set<String> RFC6749_ERRORS = Set.of("invalid_request", "unauthorized_client",
            "access_denied", "unsupported_response_type", "invalid_scope", "server_error", "temporarily_unavailable");

    /** Where the browser goes next, and the cookie value the flow is bound to (null: clear it). */
    public record Redirect(String location, String cookie) {
    }

    /** What the callback received from the provider. */
    public record CallbackParams(String code, String state, String error, String iss) {
    }

    private record Flow(String provider, String group, String table, String redirectUri, String callbackUri,
            String nonce, String verifier, String appChallenge, Long linkAccountId, byte[] cookieHash, boolean live) {
    }

    private record Code(String provider, String table, String subject, String email, boolean emailVerified,
            String name, String appChallenge, boolean mfaTrusted) {
    }

    private final Providers providers;
    private final Jdbc db;
    private final EntityManager em;
    private final SessionIssuer tokens;
    private final SecondFactors secondFactors;
    private final SecureRandom random;
    private final AuthMetrics metrics;
    private final MeterRegistry registry;
    private final Audit audit;
    private final Map<String, Upstream> upstreams = new ConcurrentHashMap<>();

    public Federation(Providers providers, Jdbc db, EntityManager em, SessionIssuer tokens,
            SecureRandom random, AuthMetrics metrics, MeterRegistry registry, SecondFactors secondFactors,
            Audit audit) {
        this.secondFactors = secondFactors;
        this.audit = audit;
        this.providers = providers;
        this.db = db;
        this.em = em;
        this.tokens = tokens;
        this.random = random;
        this.metrics = metrics;
        this.registry = registry;
    }

    /**
     * Starts a sign-in: the URL of the provider's authorization endpoint and the cookie the state is bound to.
     *
     * @param base Authgate's public base URL (the callback is under it)
     */
    public Redirect start(ApiGroup group, String provider, String redirectUri, String appChallenge, String base) {
        Upstream upstream = offered(group, provider);
        if (redirectUri == null) {
            throw Failure.missing("redirect_uri");
        }
        if (!providers.allowed(redirectUri)) {
            throw Failure.invalidInput("redirect_uri", "redirect_uri is not an allowed URL"
                    + " (authgate.providers.redirect-allowlist).");
        }
        return begin(upstream, group, provider, redirectUri, appChallenge, base);
    }

    /**
     * Starts a sign-in for Authgate's own OpenID sign-in page: the browser comes back to {@code pageReturn}, a page
     * of Authgate's under {@code pageBase} (not an app's, so not on the allowlist), and its code is bound to the
     * page's S256 challenge, as an app's would be.
     */
    public Redirect startForPage(ApiGroup group, String provider, String pageReturn, String pageBase,
            String challenge, String base) {
        Upstream upstream = offered(group, provider);
        if (pageReturn == null || !pageReturn.startsWith(pageBase + "/") || challenge == null) {
            throw new IllegalArgumentException("the page's return is Authgate's own, with a challenge");
        }
        return begin(upstream, group, provider, pageReturn, challenge, base);
    }

    /** The providers a group offers, by name. */
    public List<String> offeredTo(ApiGroup group) {
        return providers.forGroup(group.name());
    }

    private Redirect begin(Upstream upstream, ApiGroup group, String provider, String redirectUri,
            String appChallenge, String base) {
        if (appChallenge != null && !S256_CHALLENGE.matcher(appChallenge).matches()) {
            throw Failure.invalidInput("code_challenge", "code_challenge must be an S256 challenge (43 characters of"
                    + " base64url).");
        }
        String state = secret();
        String nonce = secret();
        String verifier = secret() + secret(); // 86 characters: within PKCE's 43-128
        String cookie = secret();
        URI callback = callback(base, group, provider);
        URI location = authorizationUrl(upstream, callback, state, nonce, verifier);
        db.update("insert into auth_federation_flow (state_hash, cookie_hash, provider, grp, dbtable, redirect_uri,"
                + " callback_uri, nonce, pkce_verifier, app_challenge, expires_at) values (?,?,?,?,?,?,?,?,?,?,?)",
                hash(state), hash(cookie), provider, group.name(), group.table().name(), redirectUri,
                callback.toString(), nonce, verifier, appChallenge, expiry(FLOW_LIFETIME));
        return new Redirect(location.toString(), cookie);
    }

    /**
     * Starts linking a provider to the caller's record: a one-time URL of {@code start} that, opened in the
     * caller's browser, binds the flow to that browser and goes on to the provider.
     */
    public String link(ApiGroup group, Auth caller, String provider, String redirectUri, String base) {
        offered(group, provider);
        if (redirectUri == null) {
            throw Failure.missing("redirect_uri");
        }
        if (!providers.allowed(redirectUri)) {
            throw Failure.invalidInput("redirect_uri", "redirect_uri is not an allowed URL"
                    + " (authgate.providers.redirect-allowlist).");
        }
        String ticket = secret();
        db.update("insert into auth_federation_flow (state_hash, link_ticket, provider, grp, dbtable, redirect_uri,"
                + " callback_uri, nonce, pkce_verifier, link_account_id, expires_at) values (?,?,?,?,?,?,?,?,?,?,?)",
                hash(secret()), hash(ticket), provider, group.name(), caller.dbtable(), redirectUri,
                callback(base, group, provider).toString(), secret(), secret() + secret(), caller.id(),
                expiry(FLOW_LIFETIME));
        return base + "/api:" + group.name() + "/auth/oauth/" + provider + "/start?link=" + ticket;
    }

    /** The start of a link flow made by {@link #link}: single use, bound to this browser's cookie from here on. */
    public Redirect startLink(ApiGroup group, String provider, String ticket) {
        Upstream upstream = offered(group, provider);
        String state = secret();
        String cookie = secret();
        Optional<Flow> flow = db.first("update auth_federation_flow set state_hash = ?, cookie_hash = ?,"
                + " link_ticket = null where link_ticket = ? and provider = ? and grp = ? and expires_at > now()"
                + " returning " + FLOW_COLUMNS, Federation::flow, hash(state), hash(cookie), hash(ticket), provider,
                group.name());
        Flow f = flow.orElseThrow(() -> Failure.invalidInput("link", "The link expired or was already used; start"
                + " again from the account."));
        URI location = authorizationUrl(upstream, URI.create(f.callbackUri()), state, f.nonce(), f.verifier());
        return new Redirect(location.toString(), cookie);
    }

    /**
     * The provider's answer. The state must be known, live, unused and bound to this browser's cookie, else the
     * error shape (there is no trusted place to send the browser); from there on every failure ends on the app's
     * redirect_uri with {@code ?error=} (RFC 6749 §4.1.2.1), except a provider that does not answer (502).
     */
    public Redirect callback(ApiGroup group, String provider, CallbackParams params, String cookie) {
        Upstream upstream = offered(group, provider);
        if (params.state() == null || params.state().isEmpty()) {
            throw Failure.missing("state");
        }
        Flow flow = db.first("delete from auth_federation_flow where state_hash = ? and provider = ? and grp = ?"
                + " and cookie_hash is not null returning " + FLOW_COLUMNS, Federation::flow,
                hash(params.state()), provider, group.name())
                .filter(Flow::live)
                .orElseThrow(() -> Failure.invalidInput("state", "This sign-in expired or was already used; start"
                        + " again."));
        if (cookie == null || !MessageDigest.isEqual(hash(cookie), flow.cookieHash())) {
            throw Failure.denied("This sign-in was not started in this browser (its cookie is missing); start"
                    + " again.");
        }
        if (params.error() != null) {
            return error(flow, RFC6749_ERRORS.contains(params.error()) ? params.error() : "server_error",
                    "The provider refused the sign-in.");
        }
        try {
            String issuer = upstream.issuer();
            if (params.iss() != null ? !params.iss().equals(issuer) : upstream.sendsIssuerParameter()) {
                return error(flow, "server_error", "The answer did not come from the expected provider (iss).");
            }
            if (params.code() == null || params.code().isEmpty()) {
                return error(flow, "invalid_request", "The provider sent no code.");
            }
            Upstream.Claims claims = upstream.exchange(params.code(), URI.create(flow.callbackUri()), flow.verifier(),
                    flow.nonce());
            if (flow.linkAccountId() != null) {
                return linkIdentity(flow, claims);
            }
            String code = secret();
            boolean mfaTrusted = upstream.definition().trustMfa() && didMfa(claims.amr());
            db.update("insert into auth_federation_code (code_hash, provider, grp, dbtable, subject, email,"
                    + " email_verified, name, app_challenge, mfa_trusted, expires_at) values (?,?,?,?,?,?,?,?,?,?,?)",
                    hash(code), provider, group.name(), flow.table(), claims.subject(),
                    AccountRules.normalizeEmail(claims.email()), claims.emailVerified(), claims.name(),
                    flow.appChallenge(), mfaTrusted, expiry(CODE_LIFETIME));
            return new Redirect(withParameter(flow.redirectUri(), "code", code), null);
        } catch (Upstream.Down e) {
            throw down(provider, "callback", e);
        } catch (Upstream.Refused e) {
            LOG.infof("sign-in with %s refused: %s", provider, e.getMessage());
            failed(provider, "refused");
            return error(flow, "server_error", "The sign-in with the provider failed.");
        }
    }

    /** The app trades its one-time code (and its PKCE verifier, when the start carried a challenge) for a token. */
    public SignIn token(ApiGroup group, String code, String codeVerifier) {
        if (code == null || code.isEmpty()) {
            throw Failure.missing("code");
        }
        Code c = db.first("delete from auth_federation_code where code_hash = ? and grp = ? returning provider,"
                + " dbtable, subject, email, email_verified, name, app_challenge, mfa_trusted, expires_at > now()",
                rs -> rs.getBoolean(9) ? new Code(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getBoolean(5), rs.getString(6), rs.getString(7), rs.getBoolean(8)) : null,
                hash(code), group.name())
                .orElse(null);
        if (c == null) {
            throw Failure.invalidInput("code", "The code is invalid, expired or already used.");
        }
        if (c.appChallenge() != null) {
            if (codeVerifier == null || codeVerifier.isEmpty()) {
                throw Failure.missing("code_verifier");
            }
            String computed = Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(codeVerifier));
            if (!MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII),
                    c.appChallenge().getBytes(StandardCharsets.US_ASCII))) {
                throw Failure.invalidInput("code_verifier", "code_verifier does not match the code_challenge.");
            }
        }
        AuthTable table = group.table();
        // an account with a second factor still proves it after the provider (an mfa_token, as after a password),
        // unless the provider is trusted for it and its amr says it did MFA: then the token says so (aal 2)
        SignIn signIn = UniqueEmail.guard(() -> QuarkusTransaction.requiringNew().call(() -> {
            Account account = accountFor(table, c);
            audit.ok(AuditEvent.PROVIDER_LOGIN, table.name(), account.id, Map.of("provider", c.provider(),
                    "mfa_trusted", c.mfaTrusted()));
            Map<String, Object> extras = TokenService.extrasOf(account.role, account.extras, account.verified);
            if (c.mfaTrusted()) {
                return new SignIn.Token(tokens.issue(table, account.id, extras, table.tokenExpiration(),
                        FEDERATED_MFA));
            }
            return secondFactors.signIn(table, account.id, extras, Assurance.FEDERATED);
        }));
        if (signIn instanceof SignIn.Token) {
            metrics.tokenIssued(table.name(), KIND);
        }
        return signIn;
    }

    /** Whether a provider's amr says it did MFA: {@code mfa}, or a method of {@link #MFA_AMR}. */
    static boolean didMfa(List<String> amr) {
        return amr.stream().anyMatch(MFA_AMR::contains);
    }

    /** A record's linked identities: its owner's {@code auth/identities}, and the administrators' view. */
    public List<Identity> identities(String dbtable, long accountId) {
        return db.all("select id, provider, subject, email, email_verified, created_at from auth_identity where"
                + " dbtable = ? and account_id = ? order by id", Federation::identity, dbtable, accountId);
    }

    /**
     * Unlinks one of a record's identities (its owner, or an administrator), unless it is the record's last way to
     * sign in: no password and no other identity. The record is locked so that two unlinks cannot both pass.
     */
    public void unlink(AuthTable table, long accountId, long id) {
        QuarkusTransaction.requiringNew().run(() -> {
            Account account = em.find(table.entity(), accountId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
            List<Identity> linked = identities(table.name(), accountId);
            if (account == null || linked.stream().noneMatch(i -> i.id() == id)) {
                throw Failure.notFound("Identity not found.");
            }
            boolean password = account.passwordHash != null && account.passwordHash.startsWith("$2");
            if (!password && linked.size() == 1) {
                throw Failure.denied(LAST_WAY_IN);
            }
            db.update("delete from auth_identity where id = ? and dbtable = ? and account_id = ?", id, table.name(),
                    accountId);
            audit.ok(AuditEvent.IDENTITY_UNLINKED, table.name(), accountId, Map.of("identity", id));
        });
    }

    /** A deleted record's identities go with it, in the deletion's transaction. */
    public void removeAll(AuthTable table, long accountId) {
        db.update("delete from auth_identity where dbtable = ? and account_id = ?", table.name(), accountId);
    }

    /** Flows and codes past their time; each is refused once expired, this only keeps the tables small. */
    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        QuarkusTransaction.requiringNew().run(() -> {
            db.update("delete from auth_federation_flow where expires_at < now()");
            db.update("delete from auth_federation_code where expires_at < now()");
        });
    }

    /**
     * The record an identity opens: the one it is linked to; else the record with its email, linked now only when
     * the provider says the email is verified AND the record is verified; else a new record when the table allows
     * sign-up. Anything else is refused and nothing is made.
     */
    private Account accountFor(AuthTable table, Code c) {
        Optional<Long> linked = db.first("select dbtable, account_id from auth_identity where provider = ? and"
                + " subject = ? for update", rs -> table.name().equals(rs.getString(1)) ? rs.getLong(2) : -1L,
                c.provider(), c.subject());
        if (linked.isPresent()) {
            if (linked.get() == -1L) {
                throw Failure.denied("This identity belongs to an account of another table.");
            }
            Account account = em.find(table.entity(), linked.get());
            if (account != null) {
                return account;
            }
            // the record was deleted: the identity goes with it, and the sign-in goes on as a first one
            db.update("delete from auth_identity where provider = ? and subject = ?", c.provider(), c.subject());
        }
        if (c.email() == null || c.email().isEmpty()) {
            throw Failure.denied("The provider shared no email address; sign in another way.");
        }
        Optional<Account> existing = em.createQuery("from " + table.entityName() + " where email = :email",
                table.entity()).setParameter("email", c.email()).setLockMode(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                .getResultStream().findFirst().map(Account.class::cast);
        Account account;
        if (existing.isPresent()) {
            if (!c.emailVerified() || !existing.get().verified) {
                throw Failure.denied(LINK_FIRST);
            }
            account = existing.get();
        } else {
            if (!table.signup()) {
                throw Failure.signupClosed();
            }
            account = table.newRow();
            account.name = c.name() == null || c.name().isBlank() ? c.email().substring(0, c.email().indexOf('@') < 0
                    ? c.email().length() : c.email().indexOf('@')) : c.name();
            account.email = c.email();
            account.passwordHash = NO_PASSWORD;
            account.verified = c.emailVerified();
            em.persist(account);
            em.flush();
        }
        db.update("insert into auth_identity (provider, subject, dbtable, account_id, email, email_verified)"
                + " values (?,?,?,?,?,?)", c.provider(), c.subject(), table.name(), account.id, c.email(),
                c.emailVerified());
        audit.ok(AuditEvent.IDENTITY_LINKED, table.name(), account.id, Map.of("provider", c.provider(), "new_record", existing.isEmpty()));
        return account;
    }

    private Redirect linkIdentity(Flow flow, Upstream.Claims claims) {
        boolean done = QuarkusTransaction.requiringNew().call(() -> {
            Optional<String> owner = db.first("select dbtable || ':' || account_id from auth_identity where"
                    + " provider = ? and subject = ? for update", rs -> rs.getString(1), flow.provider(),
                    claims.subject());
            if (owner.isPresent()) {
                return owner.get().equals(flow.table() + ":" + flow.linkAccountId());
            }
            db.update("insert into auth_identity (provider, subject, dbtable, account_id, email, email_verified)"
                    + " values (?,?,?,?,?,?)", flow.provider(), claims.subject(), flow.table(), flow.linkAccountId(),
                    AccountRules.normalizeEmail(claims.email()), claims.emailVerified());
            audit.ok(AuditEvent.IDENTITY_LINKED, flow.table(), flow.linkAccountId(), Map.of("provider", flow.provider(), "new_record", false));
            return true;
        });
        return done ? new Redirect(withParameter(flow.redirectUri(), "linked", flow.provider()), null)
                : error(flow, "access_denied", "This identity is already linked to another account.");
    }

    private Upstream offered(ApiGroup group, String provider) {
        Providers.Definition d = providers.find(provider).filter(p -> p.groups().contains(group.name()))
                .orElseThrow(Failure::unknownRoute);
        return upstreams.computeIfAbsent(provider, p -> Upstream.of(d));
    }

    private URI authorizationUrl(Upstream upstream, URI callback, String state, String nonce, String verifier) {
        try {
            return upstream.authorizationUrl(callback, state, nonce, verifier);
        } catch (Upstream.Down e) {
            throw down(upstream.definition().name(), "start", e);
        }
    }

    private Failure down(String provider, String step, Upstream.Down e) {
        LOG.warnf("provider %s unavailable at %s: %s (%s)", provider, step, e.getMessage(),
                e.getCause() == null ? "-" : e.getCause().toString());
        failed(provider, "unavailable");
        return Failure.upstreamUnavailable("The identity provider " + provider + " is unavailable. Try again later.");
    }

    /** {@code authgate_federation_failures_total{provider, reason}}: {@code unavailable} (a 502) or {@code refused}. */
    private void failed(String provider, String reason) {
        registry.counter("authgate.federation.failures", "provider", provider, "reason", reason).increment();
    }

    private Redirect error(Flow flow, String error, String description) {
        return new Redirect(withParameter(withParameter(flow.redirectUri(), "error", error), "error_description",
                description), null);
    }

    private static URI callback(String base, ApiGroup group, String provider) {
        return URI.create(base + "/api:" + group.name() + "/auth/oauth/" + provider + "/callback");
    }

    static String withParameter(String url, String name, String value) {
        return url + (url.contains("?") ? "&" : "?") + name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static final String FLOW_COLUMNS = "provider, grp, dbtable, redirect_uri, callback_uri, nonce,"
            + " pkce_verifier, app_challenge, link_account_id, cookie_hash, expires_at > now()";

    private static Flow flow(java.sql.ResultSet rs) throws java.sql.SQLException {
        long column = rs.getLong(9);
        Long link = rs.wasNull() ? null : column; // read at once: wasNull() speaks of the last column read
        return new Flow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), link, rs.getBytes(10), rs.getBoolean(11));
    }

    private static Identity identity(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Identity(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5),
                rs.getTimestamp(6).toInstant());
    }

    private String secret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static Timestamp expiry(Duration lifetime) {
        return Timestamp.from(Instant.now().plus(lifetime));
    }

    static byte[] hash(String value) {
        return sha256(value);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
