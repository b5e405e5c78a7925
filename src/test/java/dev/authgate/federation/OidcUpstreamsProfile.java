package dev.authgate.federation;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

import dev.authgate.oidc.OidcProfile;

/** The OpenID Provider's relying parties ({@link OidcProfile}) and the fake upstream providers ({@link FakeUpstreams}). */
public class OidcUpstreamsProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeUpstreams.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return new OidcProfile().getConfigOverrides();
    }
}
