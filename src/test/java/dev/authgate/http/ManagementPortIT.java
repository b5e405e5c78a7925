package dev.authgate.http;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same separation in the packaged application (prod profile). */
@QuarkusIntegrationTest
class ManagementPortIT extends ManagementPortTest {
}
