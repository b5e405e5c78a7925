package dev.authgate.oidc;

import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Singleton;

import com.nimbusds.jwt.JWTClaimsSet;

import dev.authgate.account.AccountView;
import dev.authgate.account.AuthTable;
import dev.authgate.oidc.OidcFailure.Error;
import dev.authgate.session.LiveSessions;
import dev.authgate.token.Auth;

/**
 * The userinfo endpoint (OIDC Core §5.3), HTTP aside: an access token of this issuer whose session is live (so
 * logout, revocation and a role change end it at once, on every replica), and the claims its scope releases.
 */
@Singleton
public class UserInfo {

    private final SigningKeys keys;
    private final LiveSessions sessions;

    public UserInfo(SigningKeys keys, LiveSessions sessions) {
        this.keys = keys;
        this.sessions = sessions;
    }

    /** {@code sub} and the scope's claims, or {@code invalid_token}. */
    public Map<String, Object> claims(String issuer, AuthTable table, String accessToken) {
        if (accessToken == null) {
            throw OidcFailure.of(Error.INVALID_TOKEN, "No access token.");
        }
        JWTClaimsSet claims = keys.verifyAccessToken(accessToken);
        Auth auth;
        String scope;
        try {
            if (!issuer.equals(claims.getIssuer())) {
                throw invalid();
            }
            auth = new Auth(Long.parseLong(claims.getSubject()), table.name(), Map.of(),
                    claims.getIssueTime().getTime() / 1000, claims.getExpirationTime().getTime() / 1000,
                    UUID.fromString(claims.getJWTID()));
            scope = claims.getStringClaim("scope");
        } catch (ParseException | IllegalArgumentException e) {
            throw invalid();
        }
        AccountView record = sessions.record(table, auth).orElseThrow(UserInfo::invalid);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("sub", String.valueOf(record.id()));
        answer.putAll(UserClaims.of(record, Scopes.parse(scope)));
        return answer;
    }

    private static OidcFailure invalid() {
        return OidcFailure.of(Error.INVALID_TOKEN, "The access token is invalid or expired.");
    }
}
