package dev.authgate.http;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same request ids from the packaged application (prod profile). */
@QuarkusIntegrationTest
class RequestIdsIT extends RequestIdsTest {
}
