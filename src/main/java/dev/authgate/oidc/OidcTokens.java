package dev.authgate.oidc;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Set;
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
import dev.authgate.oidc.OidcFailure.Error;
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

    public OidcTokens(AuthorizationCodes codes, SigningKeys keys, SessionIssuer sessions, AuthTables tables,
            EntityManager em, OidcConfig config) {
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
            return tokens(issuer, client, grant, account, session);
        });
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
        Assurance assurance = grant.assurance();
        String subject = String.valueOf(account.id);
        String acr = "aal" + assurance.aal();
        Date iat = new Date(session.iat() * 1000);
        Date exp = new Date(session.exp() * 1000);
        Date authTime = new Date(grant.authTime() * 1000);
        String accessToken = keys.sign(new JWTClaimsSet.Builder()
                .issuer(issuer).subject(subject).audience(client.id()).issueTime(iat).expirationTime(exp)
                .jwtID(session.jti().toString()).claim("client_id", client.id()).claim("scope", grant.scope())
                .claim("auth_time", authTime.getTime() / 1000).claim("acr", acr).claim("amr", assurance.amr())
                .build(), SigningKeys.ACCESS_TOKEN);
        Set<String> scopes = Scopes.parse(grant.scope());
        JWTClaimsSet.Builder id = new JWTClaimsSet.Builder()
                .issuer(issuer).subject(subject).audience(client.id()).issueTime(iat).expirationTime(exp)
                .claim("azp", client.id()).claim("auth_time", authTime.getTime() / 1000).claim("acr", acr)
                .claim("amr", List.copyOf(assurance.amr()))
                .claim("at_hash", AccessTokenHash.compute(new BearerAccessToken(accessToken), keys.algorithm(), null)
                        .getValue());
        if (grant.nonce() != null) {
            id.claim("nonce", grant.nonce());
        }
        UserClaims.of(account, scopes).forEach(id::claim);
        return new TokenSet(accessToken, session.exp() - session.iat(), keys.sign(id.build(), SigningKeys.ID_TOKEN),
                grant.scope(), null);
    }
}
