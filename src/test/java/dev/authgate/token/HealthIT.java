package dev.authgate.token;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same probes against the packaged application (prod profile). */
@QuarkusIntegrationTest
class HealthIT extends HealthTest {
}
