package dev.authgate.oidc;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.claims.AccessTokenHash;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.authgate.account.Account;
import dev.authgate.account.AuthTable;
import dev.authgate.account.AuthTables;
import dev.authgate.events.Audit;
import dev.authgate.events.AuditEvent;
import dev.authgate.failure.Failure;
import dev.authgate.oidc.OidcFailure.Error;
import dev.authgate.session.RefreshTokens;
import dev.authgate.session.SessionIssuer;
import dev.authgate.token.Assurance;
import dev.authgate.token.TokenService;

/**
 * The token endpoint's grants, HTTP aside. The authorization_code grant (RFC 6749 §4.1.3, RFC 7636 §4.6): the code
 * is used once whatever follows; it must be this client's, for this redirect URI, and the verifier must match the
 * challenge (S256). Then a session is opened through {@link SessionIssuer} and named by the access token's
 * {@code jti}: the access token ({@code at+jwt}, RFC 9068) lives exactly as long as its session.
 */
@Singleton
public class OidcTokens {

    /** RFC 7636 §4.1: 43-128 unreserved characters. */
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

    private final AuthorizationCodes codes;
    private final SigningKeys keys;
    private final SessionIssuer sessions;
    private final AuthTables tables;
    private final EntityManager em;
    private final long lifetime;
    private final RefreshTokens refresh;
    private final Audit audit;

    public OidcTokens(AuthorizationCodes codes, SigningKeys keys, SessionIssuer sessions, AuthTables tables,
            EntityManager em, OidcConfig config, RefreshTokens refresh, Audit audit) {
        this.refresh = refresh;
        this.audit = audit;
        this.codes = codes;
        this.keys = keys;
        this.sessions = sessions;
        this.tables = tables;
        this.em = em;
        this.lifetime = config.accessTokenLifetime().toSeconds();
    }

    /** grant_type=authorization_code, for an authenticated client of the issuer's group. */
    public TokenSet exchangeCode(String issuer, OidcClient client, String code, String redirectUri,
            String codeVerifier) {
        if (code == null) {
            throw OidcFailure.of(Error.INVALID_REQUEST, "code is missing.");
        }
        if (redirectUri == null) {
            throw OidcFailure.of(Error.INVALID_REQUEST, "redirect_uri is missing.");
        }
        AuthorizationCodes.Grant grant = codes.consume(code);
        if (!grant.clientId().equals(client.id())) {
            throw OidcFailure.of(Error.INVALID_GRANT, "The authorization code was issued to another client.");
        }
        if (!grant.redirectUri().equals(redirectUri)) {
            throw OidcFailure.of(Error.INVALID_GRANT, "redirect_uri is not the authorization request's.");
        }
        verifyPkce(grant.codeChallenge(), codeVerifier);
        AuthTable table = tables.byName(grant.dbtable())
                .orElseThrow(() -> OidcFailure.of(Error.INVALID_GRANT, "The account is gone."));
        return QuarkusTransaction.requiringNew().call(() -> {
            Account account = em.find(table.entity(), grant.accountId());
            if (account == null) {
                throw OidcFailure.of(Error.INVALID_GRANT, "The account is gone.");
            }
            SessionIssuer.Opened session = sessions.openForOidc(table, account.id,
                    TokenService.extrasOf(account.role, account.extras, account.verified), lifetime, grant.assurance());
            codes.bind(code, session.jti());
            // an app now holds tokens of this account: in the same transaction as their session
            audit.ok(AuditEvent.OIDC_TOKEN, table.name(), account.id, Map.of("client", client.id(),
                    "scope", grant.scope(), "session", session.jti().toString()));
            TokenSet set = tokens(issuer, client, grant, account, session);
            if (!Scopes.parse(grant.scope()).contains(Scopes.OFFLINE_ACCESS)) {
                return set;
            }
            // offline_access: the sign-in's refresh family, on the access token's session (docs/sessions.md)
            String refreshToken = refresh.open(session.jti(), grant.assurance(), client.id(), grant.scope(),
                    Instant.ofEpochSecond(grant.authTime()), Instant.now().plusSeconds(table.refreshExpiration()));
            return new TokenSet(set.accessToken(), set.expiresIn(), set.idToken(), set.scope(), refreshToken);
        });
    }

    private static final String ACCESS_TOKEN = "access_token";
    private static final String ID_TOKEN = "id_token";
    private static final String SCOPE = "scope";
    private static final String EXPIRES_IN = "expires_in";

    /**
     * grant_type=refresh_token (RFC 6749 §6) for an authenticated client: the token is rotated
     * ({@link RefreshTokens#rotate}), and the family's session gets a new access token and id_token (same
     * {@code jti}, {@code sub}, {@code auth_time}, {@code amr}; no {@code nonce}). A {@code scope} may narrow the
     * grant, never widen it. Unknown, used, ended, expired or another client's: {@code invalid_grant}.
     */
    public TokenSet refresh(String issuer, AuthTable table, OidcClient client, String refreshToken, String scope) {
        if (refreshToken == null) {
            throw OidcFailure.of(Error.INVALID_REQUEST, "refresh_token is missing.");
        }
        Set<String> asked = scope == null ? null : Scopes.parse(scope);
        RefreshTokens.Rotated rotated;
        try {
            rotated = refresh.rotate(refreshToken, new RefreshTokens.Holder(table.name(), client.id()), grant -> {
                if (asked != null && !Scopes.parse(grant.scope()).containsAll(asked)) {
                    throw OidcFailure.of(Error.INVALID_SCOPE, "scope asks for more than the refresh token grants.");
                }
                Account account = em.find(table.entity(), grant.accountId());
                if (account == null) {
                    throw OidcFailure.of(Error.INVALID_GRANT, "The account is gone.");
                }
                String kept = asked == null ? grant.scope() : Scopes.format(asked);
                long now = Instant.now().getEpochSecond();
                TokenSet set = signed(issuer, client, account, grant.assurance(), grant.authTime().getEpochSecond(),
                        kept, null, grant.session(), now, Math.min(now + lifetime, grant.expiresAt().getEpochSecond()));
                return Map.of(ACCESS_TOKEN, set.accessToken(), ID_TOKEN, set.idToken(), SCOPE, kept, EXPIRES_IN,
                        Long.toString(set.expiresIn()));
            });
        } catch (Failure f) {
            if (f.kind() == Failure.Kind.INVALID_TOKEN) {
                throw OidcFailure.of(Error.INVALID_GRANT, "The refresh token is invalid, expired, used or revoked.");
            }
            throw f;
        }
        Map<String, String> t = rotated.tokens();
        return new TokenSet(t.get(ACCESS_TOKEN), Long.parseLong(t.get(EXPIRES_IN)), t.get(ID_TOKEN), t.get(SCOPE),
                rotated.refreshToken());
    }

    /** RFC 7636 §4.6; a verifier without a challenge is refused too (RFC 9700 §2.1.1: PKCE downgrade). */
    private static void verifyPkce(String challenge, String verifier) {
        if (challenge == null) {
            if (verifier != null) {
                throw OidcFailure.of(Error.INVALID_GRANT, "code_verifier sent, but the request had no code_challenge.");
            }
            return;
        }
        if (verifier == null) {
            throw OidcFailure.of(Error.INVALID_GRANT, "code_verifier is missing.");
        }
        if (!VERIFIER.matcher(verifier).matches()) {
            throw OidcFailure.of(Error.INVALID_GRANT, "code_verifier is not 43-128 unreserved characters.");
        }
        String computed = CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier(verifier)).getValue();
        if (!MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII),
                challenge.getBytes(StandardCharsets.US_ASCII))) {
            throw OidcFailure.of(Error.INVALID_GRANT, "code_verifier does not match the code_challenge.");
        }
    }

    /** The access token (RFC 9068) and id_token (OIDC Core §2) of a session just opened. */
    TokenSet tokens(String issuer, OidcClient client, AuthorizationCodes.Grant grant, Account account,
            SessionIssuer.Opened session) {
        return signed(issuer, client, account, grant.assurance(), grant.authTime(), grant.scope(), grant.nonce(),
                session.jti(), session.iat(), session.exp());
    }

    /** The access token and id_token of session {@code jti}; times in epoch seconds. */
    private TokenSet signed(String issuer, OidcClient client, Account account, Assurance assurance, long authTimeSeconds,
            String scope, String nonce, UUID jti, long issuedAt, long expiresAt) {
        String subject = String.valueOf(account.id);
        String acr = "aal" + assurance.aal();
        Date iat = new Date(issuedAt * 1000);
        Date exp = new Date(expiresAt * 1000);
        Date authTime = new Date(authTimeSeconds * 1000);
        String accessToken = keys.sign(new JWTClaimsSet.Builder()
                .issuer(issuer).subject(subject).audience(client.id()).issueTime(iat).expirationTime(exp)
                .jwtID(jti.toString()).claim("client_id", client.id()).claim("scope", scope)
                .claim("auth_time", authTime.getTime() / 1000).claim("acr", acr).claim("amr", assurance.amr())
                .build(), SigningKeys.ACCESS_TOKEN);
        Set<String> scopes = Scopes.parse(scope);
        JWTClaimsSet.Builder id = new JWTClaimsSet.Builder()
                .issuer(issuer).subject(subject).audience(client.id()).issueTime(iat).expirationTime(exp)
                .claim("azp", client.id()).claim("auth_time", authTime.getTime() / 1000).claim("acr", acr)
                .claim("amr", List.copyOf(assurance.amr()))
                .claim("at_hash", AccessTokenHash.compute(new BearerAccessToken(accessToken), keys.algorithm(), null)
                        .getValue());
        if (nonce != null) {
            id.claim("nonce", nonce);
        }
        UserClaims.of(account, scopes).forEach(id::claim);
        return new TokenSet(accessToken, expiresAt - issuedAt, keys.sign(id.build(), SigningKeys.ID_TOKEN), scope, null);
    }
}
