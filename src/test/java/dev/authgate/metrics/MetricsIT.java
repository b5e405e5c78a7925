package dev.authgate.metrics;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same counters against the packaged application (prod profile). */
@QuarkusIntegrationTest
class MetricsIT extends MetricsTest {
}
