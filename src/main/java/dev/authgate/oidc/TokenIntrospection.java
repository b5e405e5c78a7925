package dev.authgate.oidc;

import java.text.ParseException;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.nimbusds.jwt.JWTClaimsSet;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.annotations.RegisterForReflection;

import dev.authgate.events.Audit;
import dev.authgate.events.AuditEvent;
import dev.authgate.group.ApiGroups;
import dev.authgate.session.AuthSession;
import dev.authgate.session.RefreshTokens;
import dev.authgate.session.Revocation;

/**
 * RFC 7662 introspection and RFC 7009 revocation of the provider's access tokens, for the client they were issued to.
 * An access token is live while it verifies (a published key, {@code at+jwt}, not expired), names this issuer and
 * its session exists: revoking ends that session, and so the token, on every replica. A token of another client is
 * to this client no token: inactive, and left alone by a revocation (the answer is the same 200, so a client learns
 * nothing of other clients' tokens).
 */
@Singleton
public class TokenIntrospection {

    /** RFC 7662 §2.2; {@code active: false} alone for anything that is not a live token of the caller. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Answer(boolean active, String scope, @JsonProperty("client_id") String clientId,
            @JsonProperty("token_type") String tokenType, Long exp, Long iat, String sub, List<String> aud, String iss,
            String jti, @JsonProperty("auth_time") Long authTime, String acr, List<String> amr) {

        static final Answer INACTIVE = new Answer(false, null, null, null, null, null, null, null, null, null, null,
                null, null);
    }

    private final SigningKeys keys;
    private final ApiGroups groups;
    private final Revocation revocation;
    private final Audit audit;

    private final RefreshTokens refresh;

    public TokenIntrospection(SigningKeys keys, ApiGroups groups, Revocation revocation, Audit audit,
            RefreshTokens refresh) {
        this.keys = keys;
        this.groups = groups;
        this.revocation = revocation;
        this.audit = audit;
        this.refresh = refresh;
    }

    public Answer introspect(String issuer, OidcClient client, String token) {
        return live(issuer, client, token).map(t -> {
            QuarkusTransaction.requiringNew().run(() -> audit.ok(AuditEvent.CLIENT_INTROSPECT, t.dbtable(), t.accountId(),
                    Map.of("client", client.id())));
            JWTClaimsSet c = t.claims();
            return new Answer(true, string(c, "scope"), client.id(), "Bearer", seconds(c.getExpirationTime()),
                    seconds(c.getIssueTime()), c.getSubject(), c.getAudience(), c.getIssuer(), c.getJWTID(),
                    number(c, "auth_time"), string(c, "acr"), strings(c, "amr"));
        }).orElse(Answer.INACTIVE);
    }

    /**
     * Ends the token's session when it is a live access token of this client, or the family and session of a refresh
     * token this client holds (RFC 7009 §2: refresh tokens must be revocable; a rotated one counts, as a client may
     * revoke the token it last stored). Anything else, another client's included, is left alone.
     */
    public void revoke(String issuer, OidcClient client, String token) {
        Optional<Live> access = live(issuer, client, token);
        if (access.isPresent()) {
            Live t = access.get();
            QuarkusTransaction.requiringNew().run(() -> {
                audit.ok(AuditEvent.CLIENT_REVOKE, t.dbtable(), t.accountId(), Map.of("client", client.id()));
                revocation.revoke(t.jti());
            });
        } else if (token != null && !token.isBlank()) {
            groups.find(client.group()).ifPresent(
                    g -> refresh.revoke(token.strip(), new RefreshTokens.Holder(g.table().name(), client.id())));
        }
    }

    /** An access token of this issuer and client whose session is live, with its account. */
    private record Live(JWTClaimsSet claims, UUID jti, String dbtable, long accountId) {
    }

    private Optional<Live> live(String issuer, OidcClient client, String token) {
        if (token == null || token.isBlank() || !keys.on()) {
            return Optional.empty();
        }
        JWTClaimsSet claims;
        try {
            claims = keys.verifyAccessToken(token.strip());
        } catch (OidcFailure invalid) {
            return Optional.empty();
        }
        if (!issuer.equals(claims.getIssuer()) || !client.id().equals(string(claims, "client_id"))) {
            return Optional.empty();
        }
        String dbtable = groups.find(client.group()).map(g -> g.table().name()).orElse(null);
        Optional<UUID> jti = uuid(claims.getJWTID());
        Optional<Long> account = accountId(claims.getSubject());
        if (dbtable == null || jti.isEmpty() || account.isEmpty()) {
            return Optional.empty();
        }
        AuthSession session = AuthSession.findById(jti.get());
        boolean alive = session != null && session.dbtable.equals(dbtable) && session.accountId == account.get()
                && (session.expiresAt == null || session.expiresAt.isAfter(java.time.Instant.now()));
        return alive ? Optional.of(new Live(claims, jti.get(), dbtable, account.get())) : Optional.empty();
    }

    private static Optional<UUID> uuid(String value) {
        try {
            return value == null ? Optional.empty() : Optional.of(UUID.fromString(value));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<Long> accountId(String subject) {
        try {
            return subject == null ? Optional.empty() : Optional.of(Long.parseLong(subject));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Long seconds(Date date) {
        return date == null ? null : date.getTime() / 1000;
    }

    private static String string(JWTClaimsSet claims, String name) {
        try {
            return claims.getStringClaim(name);
        } catch (ParseException e) {
            return null;
        }
    }

    private static Long number(JWTClaimsSet claims, String name) {
        try {
            return claims.getLongClaim(name);
        } catch (ParseException e) {
            return null;
        }
    }

    private static List<String> strings(JWTClaimsSet claims, String name) {
        try {
            return claims.getStringListClaim(name);
        } catch (ParseException e) {
            return null;
        }
    }
}
