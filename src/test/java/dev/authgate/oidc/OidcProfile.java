package dev.authgate.oidc;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

import dev.authgate.federation.FakeUpstreams;

/**
 * Relying parties for the provider's tests: {@code web} (confidential, group main), {@code spa} (public, PKCE),
 * {@code other} (confidential, main) and {@code staff-app} (confidential, group staff). Secure cookies, as in
 * production: the tests keep them by hand ({@link OidcBrowser}). The upstream providers ({@link FakeUpstreams}) are
 * there too: the sign-in page offers them, and the federation tests share this Quarkus start.
 */
public class OidcProfile implements QuarkusTestProfile {

    public static final String WEB = "web";
    public static final String WEB_SECRET = "web-secret-0123456789abcdef";
    public static final String WEB_REDIRECT = "https://app.example/callback";
    /** Where end-session may send the browser back to, for web. */
    public static final String WEB_LOGOUT_REDIRECT = "https://app.example/signed-out";
    public static final String SPA = "spa";
    public static final String SPA_REDIRECT = "http://127.0.0.1:7000/cb";
    public static final String OTHER = "other";
    public static final String OTHER_SECRET = "other-secret-0123456789abcdef";
    public static final String OTHER_REDIRECT = "https://other.example/cb";
    public static final String STAFF_APP = "staff-app";
    public static final String STAFF_SECRET = "staff-secret-0123456789abcdef";
    public static final String STAFF_REDIRECT = "https://admin.example/cb";
    /** A client that only the throttle test fails to authenticate, and its limit. */
    public static final String LOCKED = "locked";
    public static final String LOCKED_SECRET = "locked-secret-0123456789abcdef";
    public static final int MAX_FAILURES = 10;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("authgate.oidc.clients.web.group", "main"),
                Map.entry("authgate.oidc.clients.web.secret", WEB_SECRET),
                Map.entry("authgate.oidc.clients.web.redirect-uris", WEB_REDIRECT + ",https://app.example/other"),
                Map.entry("authgate.oidc.clients.web.scopes", "openid,email,profile,offline_access"),
                Map.entry("authgate.oidc.clients.web.first-party", "true"),
                Map.entry("authgate.oidc.clients.web.post-logout-redirect-uris", WEB_LOGOUT_REDIRECT),
                Map.entry("authgate.oidc.clients.spa.group", "main"),
                Map.entry("authgate.oidc.clients.spa.redirect-uris", SPA_REDIRECT),
                Map.entry("authgate.oidc.clients.spa.first-party", "true"),
                Map.entry("authgate.oidc.clients.other.group", "main"),
                Map.entry("authgate.oidc.clients.other.secret", OTHER_SECRET),
                Map.entry("authgate.oidc.clients.other.redirect-uris", OTHER_REDIRECT),
                Map.entry("authgate.oidc.clients.staff-app.group", "staff"),
                Map.entry("authgate.oidc.clients.staff-app.secret", STAFF_SECRET),
                Map.entry("authgate.oidc.clients.staff-app.redirect-uris", STAFF_REDIRECT),
                Map.entry("authgate.oidc.clients.locked.group", "main"),
                Map.entry("authgate.oidc.clients.locked.secret", LOCKED_SECRET),
                Map.entry("authgate.oidc.clients.locked.redirect-uris", OTHER_REDIRECT),
                Map.entry("authgate.throttle.clients.max-failures", Integer.toString(MAX_FAILURES)),
                // the suite's deliberate client failures all come from 127.0.0.1: the per-address limit out of the way
                Map.entry("authgate.throttle.clients.max-failures-per-address", "100000"));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeUpstreams.class));
    }
}
