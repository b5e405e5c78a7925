package dev.authgate.oidc;

import static io.restassured.RestAssured.given;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.restassured.http.ContentType;

import dev.authgate.support.Jwe;
import dev.authgate.support.KeycloakServer;

/**
 * Keycloak as a relying party of Authgate (identity brokering): the real Keycloak of {@link KeycloakServer}, and
 * Authgate's OpenID client {@code keycloak} whose redirect URI is that Keycloak's broker endpoint. The identity
 * provider itself is added to the realm through Keycloak's admin API once Authgate answers
 * ({@link #registerProvider}): Keycloak reads Authgate's discovery document for it, as its admin console does.
 */
public class KeycloakBroker implements QuarkusTestResourceLifecycleManager {

    /** The provider's alias in the realm, and so in Keycloak's broker URLs. */
    static final String ALIAS = "authgate";
    static final String CLIENT_ID = "keycloak";
    static final String CLIENT_SECRET = "keycloak-broker-secret-0123456789abcdef";

    static String brokerEndpoint() {
        return KeycloakServer.issuer() + "/broker/" + ALIAS + "/endpoint";
    }

    @Override
    public Map<String, String> start() {
        KeycloakServer.launch();
        return Map.of("authgate.oidc.signing-keys", Jwe.signingKeys(),
                "authgate.oidc.clients.keycloak.group", "main",
                "authgate.oidc.clients.keycloak.secret", CLIENT_SECRET,
                "authgate.oidc.clients.keycloak.redirect-uris", brokerEndpoint(),
                "authgate.oidc.clients.keycloak.post-logout-redirect-uris", brokerEndpoint() + "/logout_response",
                "authgate.oidc.clients.keycloak.first-party", "true",
                // the production profile runs here: TOTP is on only where the test turns it on
                "authgate.tables.user.mfa.totp", "true");
    }

    @Override
    public void stop() {
        KeycloakServer.halt();
    }

    /** A token of Keycloak's own administrator (master realm, admin-cli). */
    static String adminToken() {
        return given().contentType(ContentType.URLENC).formParam("grant_type", "password")
                .formParam("client_id", "admin-cli").formParam("username", KeycloakServer.ADMIN)
                .formParam("password", KeycloakServer.ADMIN_PASSWORD)
                .post(KeycloakServer.base() + "/realms/master/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    static String admin(String path) {
        return KeycloakServer.base() + "/admin/realms/" + KeycloakServer.REALM + path;
    }

    /**
     * Adds (again) the realm's "OpenID Connect v1.0" identity provider: its endpoints, issuer and keys read by Keycloak
     * from Authgate's discovery document, plus the client's credentials and PKCE S256.
     */
    static void registerProvider(String discoveryUrl) {
        String token = adminToken();
        Map<String, String> discovered = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("providerId", "oidc", "fromUrl", discoveryUrl))
                .post(admin("/identity-provider/import-config")).then().statusCode(200).extract().as(Map.class);
        given().auth().oauth2(token).delete(admin("/identity-provider/instances/" + ALIAS)); // a previous run's
        Map<String, String> config = new HashMap<>(discovered);
        config.putAll(Map.of("clientId", CLIENT_ID, "clientSecret", CLIENT_SECRET,
                "clientAuthMethod", "client_secret_basic", "pkceEnabled", "true", "pkceMethod", "S256",
                "defaultScope", "openid email profile", "validateSignature", "true", "useJwksUrl", "true",
                "syncMode", "IMPORT"));
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("alias", ALIAS, "providerId", "oidc", "enabled", true, "trustEmail", true,
                        "config", config))
                .post(admin("/identity-provider/instances")).then().statusCode(201);
    }

    /** The realm's user with this email, if Keycloak has one: its id. */
    static String userId(String email) {
        List<String> ids = given().auth().oauth2(adminToken()).queryParam("email", email).queryParam("exact", true)
                .get(admin("/users")).then().statusCode(200).extract().path("id");
        return ids.isEmpty() ? null : ids.get(0);
    }

    /** The identities a realm user is linked to: [{identityProvider, userId, userName}]. */
    static List<Map<String, String>> federatedIdentities(String userId) {
        return given().auth().oauth2(adminToken()).get(admin("/users/" + userId + "/federated-identity"))
                .then().statusCode(200).extract().path("");
    }
}
