package dev.authgate.mail;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

import dev.authgate.oidc.OidcProfile;
import dev.authgate.support.Jwe;
import dev.authgate.support.SmtpResource;

/**
 * Every email flow on for {@code user} (not for {@code staff}), mail over SMTP to GreenMail. The tests' address is
 * a trusted proxy, so X-Forwarded-For stands for distinct clients of the per-address throttle. The OpenID Provider's
 * relying parties ({@link OidcProfile}) are there too, for the magic link on its sign-in page (OidcMagicLinkTest).
 */
public class MailProfile implements QuarkusTestProfile {

    static final int MAX_PER_ADDRESS = 8;
    /** Wrong codes per email across codes: above the nine that MagicLinkTest.fiveWrongCodesVoidTheCode spends. */
    static final int MAX_CODE_FAILURES = 12;

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(new OidcProfile().getConfigOverrides());
        config.putAll(Map.of(
                "authgate.tables.user.email.reset", "true",
                "authgate.tables.user.email.verify", "true",
                "authgate.tables.user.email.magic-link", "true",
                "authgate.tables.user.email.change", "true",
                "authgate.mail.link-base", Inbox.LINK_BASE + "/",
                "authgate.mail.throttle.max-per-address", Integer.toString(MAX_PER_ADDRESS),
                "authgate.mail.max-code-failures", Integer.toString(MAX_CODE_FAILURES),
                "authgate.throttle.trusted-proxies", "127.0.0.1,::1",
                // MagicLinkIT and PasswordResetIT run the packaged application as in production: no dev-only key
                "authgate.oidc.signing-keys", Jwe.signingKeys()));
        return config;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(SmtpResource.class));
    }
}
