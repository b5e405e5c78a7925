package dev.authgate.mail;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

import dev.authgate.oidc.OidcProfile;

/** The OpenID Provider's relying parties ({@link OidcProfile}) and the email flows over GreenMail ({@link MailProfile}). */
public class OidcMagicProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(new MailProfile().getConfigOverrides());
        config.putAll(new OidcProfile().getConfigOverrides());
        return config;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return new MailProfile().testResources();
    }
}
