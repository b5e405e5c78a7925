package dev.authgate.oidc;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Singleton;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.authgate.events.Audit;
import dev.authgate.events.AuditEvent;
import dev.authgate.session.Revocation;

/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0), HTTP aside: who asks (the client, from
 * {@code client_id} or the id_token_hint's audience), where the browser may go afterwards (one of the client's
 * {@code post-logout-redirect-uris}, compared exactly, else nowhere: an unknown URI is shown, never followed), and
 * whose sign-in the hint names. An id_token_hint is this issuer's own id_token (signature, {@code typ}, issuer);
 * expired is fine, it is a hint of who, not a credential.
 */
@Singleton
public class EndSession {

    /**
     * A checked logout request.
     *
     * @param client the client asking, or null (no client_id and no hint)
     * @param subject the account id the hint names, or null without a hint: then the person is asked first
     * @param redirect where to send the browser afterwards (with {@code state}), or null: Authgate's page
     */
    public record Request(OidcClient client, Long subject, String redirect) {
    }

    private final OidcClients clients;
    private final SigningKeys keys;
    private final Revocation revocation;
    private final Audit audit;

    public EndSession(OidcClients clients, SigningKeys keys, Revocation revocation, Audit audit) {
        this.clients = clients;
        this.keys = keys;
        this.revocation = revocation;
        this.audit = audit;
    }

    /** Ends a browser's sign-in (its session, so its token is void on every replica), with the logout's audit row. */
    public void end(String dbtable, long accountId, UUID jti, OidcClient client) {
        QuarkusTransaction.requiringNew().run(() -> {
            long ended = revocation.revoke(jti);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("scope", "oidc");
            detail.put("sessions", ended);
            if (client != null) {
                detail.put("client", client.id());
            }
            audit.ok(AuditEvent.LOGOUT, dbtable, accountId, detail);
        });
    }

    /** @throws OidcFailure (shown as a page, never redirected) for an unknown client, hint or redirect URI */
    public Request check(String issuer, String group, Map<String, List<String>> params) {
        String clientId = Authorizations.single(params, "client_id");
        String hint = Authorizations.single(params, "id_token_hint");
        String redirect = Authorizations.single(params, "post_logout_redirect_uri");
        String state = Authorizations.single(params, "state");
        JWTClaimsSet claims = hint == null ? null : idToken(issuer, hint);
        if (claims != null) {
            List<String> audience = claims.getAudience();
            if (audience.size() != 1 || (clientId != null && !clientId.equals(audience.get(0)))) {
                throw OidcFailure.untrusted("The id_token_hint was not issued to client_id.");
            }
            clientId = audience.get(0);
        }
        OidcClient client = clientId == null ? null : clients.find(clientId).filter(c -> c.group().equals(group))
                .orElseThrow(() -> OidcFailure.untrusted("Unknown client_id: this application is not registered with "
                        + group + "."));
        if (redirect != null) {
            if (client == null) {
                throw OidcFailure.untrusted("post_logout_redirect_uri needs client_id or id_token_hint.");
            }
            if (!client.postLogoutRedirectUris().contains(redirect)) {
                throw OidcFailure.untrusted("The post_logout_redirect_uri is not one registered for " + client.id()
                        + " (it must match exactly).");
            }
            if (state != null) {
                redirect += (redirect.contains("?") ? "&" : "?") + "state="
                        + URLEncoder.encode(state, StandardCharsets.UTF_8);
            }
        }
        return new Request(client, claims == null ? null : subject(claims), redirect);
    }

    /** This issuer's id_token, expired or not. */
    private JWTClaimsSet idToken(String issuer, String token) {
        try {
            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(SigningKeys.ID_TOKEN, null));
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.ES256,
                    JWSAlgorithm.RS256), new ImmutableJWKSet<>(JWKSet.parse(keys.published()))));
            processor.setJWTClaimsSetVerifier((claims, context) -> {
                // the hint may have expired: only whose it is matters
            });
            JWTClaimsSet claims = processor.process(token, null);
            if (issuer.equals(claims.getIssuer()) && claims.getSubject() != null && claims.getAudience() != null) {
                return claims;
            }
        } catch (ParseException | BadJOSEException | JOSEException | RuntimeException e) {
            // below
        }
        throw OidcFailure.untrusted("The id_token_hint is not an id_token of this issuer.");
    }

    private static Long subject(JWTClaimsSet claims) {
        try {
            return Long.parseLong(claims.getSubject());
        } catch (NumberFormatException e) {
            throw OidcFailure.untrusted("The id_token_hint is not an id_token of this issuer.");
        }
    }
}
