package dev.authgate.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The clients setting, checked at start, and the one check of a client's credentials. */
class OidcClientsTest {

    record Client(List<String> redirectUris, Optional<String> secret, String group, Optional<List<String>> scopes,
            boolean firstParty, Optional<List<String>> postLogoutRedirectUris) implements OidcConfig.Client {
    }

    static final String SECRET = "a-secret-of-sixteen-plus";

    static Client confidential(String group, String... redirects) {
        return new Client(List.of(redirects), Optional.of(SECRET), group, Optional.empty(), false, Optional.empty());
    }

    static Client pub(String group, String... redirects) {
        return new Client(List.of(redirects), Optional.empty(), group, Optional.empty(), false, Optional.empty());
    }

    static OidcClients clients(Map<String, OidcConfig.Client> configured) {
        return new OidcClients(configured, Set.of("main", "staff")::contains);
    }

    static String refusal(String id, OidcConfig.Client c) {
        return assertThrows(IllegalStateException.class, () -> clients(Map.of(id, c))).getMessage();
    }

    @Test
    void aWrongClientSettingStopsTheStartNamingItsKey() {
        assertTrue(refusal("bad id!", confidential("main", "https://a/cb")).startsWith("authgate.oidc.clients.bad id!:"));
        assertTrue(refusal("c", confidential("nope", "https://a/cb")).contains("clients.c.group: no API group"));
        assertTrue(refusal("c", confidential("main:v1", "https://a/cb")).contains("clients.c.group"));
        assertTrue(refusal("c", confidential("main")).contains("clients.c.redirect-uris: at least one"));
        assertTrue(refusal("c", confidential("main", "/cb")).contains("'/cb' is not an absolute URI"));
        assertTrue(refusal("c", confidential("main", "https://a/cb#x")).contains("without a fragment"));
        assertTrue(refusal("c", new Client(List.of("https://a/cb"), Optional.of("short"), "main", Optional.empty(),
                false, Optional.empty())).contains("clients.c.secret: at least 16"));
        assertTrue(refusal("c", new Client(List.of("https://a/cb"), Optional.empty(), "main",
                Optional.of(List.of("openid", "admin")), false, Optional.empty())).contains("'admin' is not one of"));
        assertTrue(refusal("c", new Client(List.of("https://a/cb"), Optional.empty(), "main", Optional.empty(), false,
                Optional.of(List.of("relative")))).contains("clients.c.post-logout-redirect-uris"));
    }

    @Test
    void scopesDefaultToOpenidEmailProfileAndAlwaysIncludeOpenid() {
        OidcClients c = clients(Map.of("a", pub("main", "myapp:/cb"), "b", new Client(List.of("https://b/cb"),
                Optional.empty(), "main", Optional.of(List.of("email", "offline_access")), true, Optional.empty())));
        assertEquals(Set.of("openid", "email", "profile"), c.find("a").orElseThrow().scopes());
        assertEquals(Set.of("openid", "email", "offline_access"), c.find("b").orElseThrow().scopes());
        assertTrue(c.find("b").orElseThrow().firstParty());
        assertFalse(c.find("a").orElseThrow().confidential());
        assertTrue(c.find("a").orElseThrow().redirects("myapp:/cb"), "a native app's private-use scheme");
        assertFalse(c.find("a").orElseThrow().redirects("myapp:/cb/"));
        assertTrue(c.any());
        assertFalse(clients(Map.of()).any());
        assertFalse(c.find(null).isPresent());
    }

    @Test
    void aConfidentialClientProvesItsSecretAndAPublicOneProvesNothing() {
        OidcClients c = clients(Map.of("web", confidential("main", "https://a/cb"), "spa", pub("main", "https://s/cb"),
                "admin", confidential("staff", "https://x/cb")));
        assertEquals("web", c.authenticate("main", "web", List.of(SECRET)).id());
        assertEquals("web", c.authenticate("main", "web", List.of("form%2Dencoded", SECRET)).id(), "either reading");
        assertEquals("spa", c.authenticate("main", "spa", List.of()).id());
        for (var attempt : List.of(
                List.of("main", "web", "wrong-secret-0123456"),
                List.of("main", "web"), // no secret
                List.of("main", "spa", "any-secret-at-all-0"), // a public client has none to present
                List.of("main", "nobody", SECRET),
                List.of("main", "admin", SECRET), // another group's client
                List.of("staff", "web", SECRET))) {
            OidcFailure f = assertThrows(OidcFailure.class, () -> c.authenticate(attempt.get(0), attempt.get(1),
                    attempt.subList(2, attempt.size())), attempt.toString());
            assertEquals("invalid_client", f.error().code());
        }
    }

    @Test
    void theSecretIsNeverInTheClientsText() {
        OidcClients c = clients(Map.of("web", confidential("main", "https://a/cb")));
        assertFalse(c.find("web").orElseThrow().toString().contains(SECRET));
        assertEquals("OidcClient[web]", c.find("web").orElseThrow().toString());
    }
}
