package dev.authgate.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** {@code authgate.providers.*} as SmallRye maps it, and the checks {@link Providers} makes at start. */
class ProvidersConfigTest {

    static final Set<String> GROUPS = Set.of("main", "staff");

    static ProvidersConfig mapped(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(ProvidersConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 100)).build();
        return config.getConfigMapping(ProvidersConfig.class);
    }

    static Map<String, String> keycloak() {
        Map<String, String> p = new HashMap<>();
        p.put("authgate.providers.kc.issuer", "https://idp.example.com/realms/app");
        p.put("authgate.providers.kc.client-id", "authgate");
        p.put("authgate.providers.kc.client-secret", "s3cret");
        p.put("authgate.providers.kc.groups", "main");
        p.put("authgate.providers.redirect-allowlist", "https://app.example.com/signed-in,http://localhost:3000/cb");
        return p;
    }

    static String refusal(Map<String, String> properties) {
        return assertThrows(RuntimeException.class, () -> Providers.check(mapped(properties), GROUPS)).getMessage();
    }

    @Test
    void anIssuerProviderAndTheAllowlistMapSideBySide() {
        ProvidersConfig config = mapped(keycloak());
        var defs = Providers.check(config, GROUPS);
        assertEquals(Set.of("kc"), defs.keySet());
        var kc = defs.get("kc");
        assertEquals("https://idp.example.com/realms/app", kc.issuer());
        assertEquals(List.of("openid", "email", "profile"), kc.scopes());
        assertEquals(Set.of("main"), kc.groups());
        assertFalse(kc.trustMfa());
        assertEquals(List.of("https://app.example.com/signed-in", "http://localhost:3000/cb"),
                config.redirectAllowlist().orElseThrow());
        assertTrue(config.secureCookie());
    }

    @Test
    void theGooglePresetNeedsNoIssuer() {
        Map<String, String> p = keycloak();
        p.remove("authgate.providers.kc.issuer");
        p.put("authgate.providers.kc.kind", "google");
        assertEquals(Providers.GOOGLE_ISSUER, Providers.check(mapped(p), GROUPS).get("kc").issuer());
    }

    @Test
    void theGitHubPresetNeedsASecretAndMayPointAtAnotherGitHub() {
        Map<String, String> p = keycloak();
        p.remove("authgate.providers.kc.issuer");
        p.put("authgate.providers.kc.kind", "github");
        var gh = Providers.check(mapped(p), GROUPS).get("kc");
        assertEquals(ProvidersConfig.Kind.GITHUB, gh.kind());
        assertEquals("https://github.com", gh.issuer());
        assertEquals("https://api.github.com", gh.apiUrl());
        assertEquals(List.of("read:user", "user:email"), gh.scopes(), "no openid: GitHub is no OpenID provider");

        p.put("authgate.providers.kc.github-url", "https://ghe.example.com/");
        p.put("authgate.providers.kc.github-api-url", "https://ghe.example.com/api/v3");
        var ghe = Providers.check(mapped(p), GROUPS).get("kc");
        assertEquals("https://ghe.example.com", ghe.issuer());
        assertEquals("https://ghe.example.com/api/v3", ghe.apiUrl());

        Map<String, String> plain = new HashMap<>(p);
        plain.put("authgate.providers.kc.github-api-url", "http://ghe.example.com/api/v3");
        assertTrue(refusal(plain).contains("authgate.providers.kc.github-api-url must be an https URL"), refusal(plain));
        Map<String, String> noSecret = new HashMap<>(p);
        noSecret.remove("authgate.providers.kc.client-secret");
        assertTrue(refusal(noSecret).contains("authgate.providers.kc.client-secret is needed"), refusal(noSecret));
        Map<String, String> trust = new HashMap<>(p);
        trust.put("authgate.providers.kc.trust-mfa", "true");
        assertTrue(refusal(trust).contains("authgate.providers.kc.trust-mfa"), refusal(trust));
        Map<String, String> notGitHub = keycloak();
        notGitHub.put("authgate.providers.kc.github-url", "https://ghe.example.com");
        assertTrue(refusal(notGitHub).contains("for kind=github only"), refusal(notGitHub));
    }

    @Test
    void anOidcIssuerIsKeptAsWritten() {
        Map<String, String> p = keycloak();
        p.put("authgate.providers.kc.issuer", "https://tenant.example.com/");
        assertEquals("https://tenant.example.com/", Providers.check(mapped(p), GROUPS).get("kc").issuer(),
                "compared exactly with the discovery document's issuer");
    }

    @Test
    void noProviderIsFine() {
        assertTrue(Providers.check(mapped(Map.of()), GROUPS).isEmpty());
    }

    @Test
    void eachMistakeNamesItsKey() {
        Map<String, String> both = keycloak();
        both.put("authgate.providers.kc.kind", "google");
        assertTrue(refusal(both).contains("authgate.providers.kc.issuer or authgate.providers.kc.kind"), refusal(both));

        Map<String, String> neither = keycloak();
        neither.remove("authgate.providers.kc.issuer");
        assertTrue(refusal(neither).contains("authgate.providers.kc.issuer"));

        Map<String, String> plainHttp = keycloak();
        plainHttp.put("authgate.providers.kc.issuer", "http://idp.example.com/realms/app");
        assertTrue(refusal(plainHttp).contains("authgate.providers.kc.issuer must be an https URL"));

        Map<String, String> unknownGroup = keycloak();
        unknownGroup.put("authgate.providers.kc.groups", "main,shop");
        assertTrue(refusal(unknownGroup).contains("authgate.providers.kc.groups: shop is no API group"));

        Map<String, String> noOpenid = keycloak();
        noOpenid.put("authgate.providers.kc.scopes", "email");
        assertTrue(refusal(noOpenid).contains("authgate.providers.kc.scopes must include openid"));

        Map<String, String> badRedirect = keycloak();
        badRedirect.put("authgate.providers.redirect-allowlist", "https://app.example.com/cb#x");
        assertTrue(refusal(badRedirect).contains("authgate.providers.redirect-allowlist"));

        Map<String, String> httpRedirect = keycloak();
        httpRedirect.put("authgate.providers.redirect-allowlist", "http://app.example.com/cb");
        assertTrue(refusal(httpRedirect).contains("authgate.providers.redirect-allowlist"));

        Map<String, String> noClient = keycloak();
        noClient.remove("authgate.providers.kc.client-id");
        assertTrue(refusal(noClient).contains("authgate.providers.kc.client-id"), refusal(noClient));

        Map<String, String> kind = keycloak();
        kind.remove("authgate.providers.kc.issuer");
        kind.put("authgate.providers.kc.kind", "myspace");
        assertTrue(refusal(kind).contains("authgate.providers.kc.kind"), refusal(kind));
    }

    @Test
    void theAllowlistIsAnExactMatch() {
        var config = mapped(keycloak());
        var providers = new Providers(config, GROUPS);
        assertTrue(providers.allowed("https://app.example.com/signed-in"));
        assertFalse(providers.allowed("https://app.example.com/signed-in/"));
        assertFalse(providers.allowed("https://app.example.com/signed-in?x=1"));
        assertFalse(providers.allowed("https://app.example.com/signed-inx"));
        assertFalse(providers.allowed("HTTPS://app.example.com/signed-in"));
        assertFalse(providers.allowed(null));
    }
}
