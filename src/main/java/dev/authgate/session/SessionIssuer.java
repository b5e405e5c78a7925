package dev.authgate.session;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import dev.authgate.account.Account;
import dev.authgate.account.AccountView;
import dev.authgate.account.AuthTable;
import dev.authgate.events.TokenHook;
import dev.authgate.failure.Failure;
import dev.authgate.token.Assurance;
import dev.authgate.token.Auth;
import dev.authgate.token.TokenService;

/**
 * Issues authTokens: each is a session row (where it was issued from, when it expires) and its JWE. Every way to
 * sign in ends here, so a token always has a session that {@link Revocation} can end, and its {@code aal} and
 * {@code amr} say how it was earned.
 */
@Singleton
public class SessionIssuer {

    private final TokenService tokens;
    private final SessionOrigin origin;
    private final Revocation revocation;
    private final TokenHook hook;
    private final EntityManager em;
    private final RefreshTokens refresh;
    private final IssuedRefreshToken issuedRefresh;

    public SessionIssuer(TokenService tokens, SessionOrigin origin, Revocation revocation, TokenHook hook,
            EntityManager em, RefreshTokens refresh, IssuedRefreshToken issuedRefresh) {
        this.tokens = tokens;
        this.origin = origin;
        this.revocation = revocation;
        this.hook = hook;
        this.em = em;
        this.refresh = refresh;
        this.issuedRefresh = issuedRefresh;
    }

    /**
     * Records a session and encrypts its token; joins the caller's transaction so an account and its first
     * token are written together or not at all.
     *
     * @param expiration seconds, 0 = never
     * @param assurance how the holder proved who they are: the token's {@code aal} and {@code amr}
     */
    @Transactional(TxType.MANDATORY)
    public String issue(AuthTable table, long accountId, Map<String, Object> extras, long expiration,
            Assurance assurance) {
        return issue(table, accountId, extras, expiration, assurance, null);
    }

    /**
     * As above, for a service client's {@code auth/issue}: the token names the client (introspection's client_id),
     * and no one was seen proving anything ({@link Assurance#NONE}).
     */
    @Transactional(TxType.MANDATORY)
    public String issueForClient(String clientId, AuthTable table, long accountId, Map<String, Object> extras,
            long expiration) {
        return issue(table, accountId, extras, expiration, Assurance.NONE, clientId);
    }

    private String issue(AuthTable table, long accountId, Map<String, Object> extras, long expiration,
            Assurance assurance, String clientId) {
        Opened s = open(table, accountId, extras, expiration, assurance, clientId == null);
        return tokens.encrypt(new Auth(accountId, table.name(), s.extras(), s.iat(), s.exp(), s.jti(), clientId,
                assurance));
    }

    /**
     * A session whose token is not an authToken: an OpenID Provider's access token ({@code at+jwt}, signed by
     * {@code oidc/}), named by the session's jti. Revocable, listed and ended by logout everywhere like any other.
     */
    @Transactional(TxType.MANDATORY)
    public Opened openForOidc(AuthTable table, long accountId, Map<String, Object> extras, long expiration,
            Assurance assurance) {
        return open(table, accountId, extras, expiration, assurance, false); // its refresh is the provider's own
    }

    /**
     * A recorded session: its jti, its {@code iat} and {@code exp} (whole epoch seconds; exp 0 = never) and the
     * extras the token carries (after the token hook).
     */
    public record Opened(UUID jti, long iat, long exp, Map<String, Object> extras) {
    }

    /** @param apiSignIn an API group's sign-in, which may open a refresh family (auth/refresh) with its session */
    private Opened open(AuthTable table, long accountId, Map<String, Object> extras, long expiration,
            Assurance assurance, boolean apiSignIn) {
        // the token hook may add extras or refuse (403), before anything is written: a denial leaves nothing behind
        Map<String, Object> carried = hooked(table, accountId, () -> record(table, accountId), extras, assurance);
        Instant issued = Instant.now();
        long now = issued.getEpochSecond(); // the token's iat and exp are whole seconds
        AuthSession session = new AuthSession();
        session.jti = UUID.randomUUID(); // SecureRandom-backed
        session.dbtable = table.name();
        session.accountId = accountId;
        session.issuedAt = issued; // to the microsecond: sessions of one second keep their order (lists, the cap)
        session.expiresAt = expiration == 0 ? null : Instant.ofEpochSecond(now + expiration);
        var from = origin.current();
        session.ip = from.ip();
        session.userAgent = from.userAgent();
        session.password = assurance.amr().contains(Assurance.PWD); // the holder knows the account's password
        // a sign-in (someone proved something) on a table with refresh tokens opens a family with its session
        boolean renewable = apiSignIn && table.refreshTokens() && !assurance.amr().isEmpty()
                && IssuedRefreshToken.receivable();
        Instant familyEnd = issued.plusSeconds(table.refreshExpiration());
        if (renewable && session.expiresAt != null && session.expiresAt.isBefore(familyEnd)) {
            session.expiresAt = familyEnd;
        }
        session.persist();
        revocation.cap(table.name(), accountId, session.jti, table.maxSessions());
        if (renewable) {
            issuedRefresh.set(refresh.open(session.jti, assurance, null, null, familyEnd));
        }
        return new Opened(session.jti, now, expiration == 0 ? 0 : now + expiration, carried);
    }

    /**
     * {@code auth/refresh} of an API group: rotates the refresh token and mints the family's next authToken (see
     * {@link RefreshTokens#rotate}).
     *
     * @return {@code authToken} in {@link RefreshTokens.Rotated#tokens()}, and the new refresh token
     */
    public RefreshTokens.Rotated refresh(AuthTable table, String refreshToken) {
        return refresh.rotate(refreshToken, new RefreshTokens.Holder(table.name(), null),
                grant -> Map.of(AUTH_TOKEN, renew(table, grant)));
    }

    /** The name of the authToken among a rotation's tokens. */
    public static final String AUTH_TOKEN = "authToken";

    /**
     * A new authToken of a refresh family's session (the same jti: one sign-in, one session), from the record as it
     * is now and with the assurance of the sign-in; it expires with the table's expiration, and not after the family.
     * The token hook is asked as for any issue. A record that is gone is {@link Failure#invalidToken()}.
     */
    @Transactional(TxType.MANDATORY)
    public String renew(AuthTable table, RefreshTokens.Grant grant) {
        Account account = em.find(table.entity(), grant.accountId());
        if (account == null) {
            throw Failure.invalidToken();
        }
        Map<String, Object> carried = hooked(table, account.id, () -> AccountView.of(account),
                TokenService.extrasOf(account.role, account.extras, account.verified), grant.assurance());
        long now = Instant.now().getEpochSecond();
        long exp = table.tokenExpiration() == 0 ? 0
                : Math.min(now + table.tokenExpiration(), grant.expiresAt().getEpochSecond());
        return tokens.encrypt(new Auth(account.id, table.name(), carried, now, exp, grant.session(), null,
                grant.assurance()));
    }

    /** The extras the token hook answers (when on) for the record {@code record} reads, only then. */
    private Map<String, Object> hooked(AuthTable table, long accountId, Supplier<AccountView> record,
            Map<String, Object> extras, Assurance assurance) {
        return hook.on() ? hook.beforeIssue(new TokenHook.Proposal(table.name(), accountId, record.get(), extras,
                List.copyOf(assurance.amr()))) : extras;
    }

    /** The record as the records API shows it (never the password hash), for the hook. */
    private AccountView record(AuthTable table, long accountId) {
        Account account = em.find(table.entity(), accountId);
        if (account != null && account.createdAt == null) {
            em.refresh(account); // made in this transaction (a sign-up): its defaults are the database's
        }
        return account == null ? null : AccountView.of(account);
    }
}
