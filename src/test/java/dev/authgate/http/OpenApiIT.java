package dev.authgate.http;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same document and Swagger UI in the packaged application (prod profile). */
@QuarkusIntegrationTest
class OpenApiIT extends OpenApiTest {
}
