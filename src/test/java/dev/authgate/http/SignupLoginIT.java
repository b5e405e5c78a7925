package dev.authgate.http;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same tests against the packaged application (and, with -Dnative, the native binary). */
@QuarkusIntegrationTest
class SignupLoginIT extends SignupLoginTest {
}
