package dev.authgate.mail;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** The magic-link tests against the packaged application, which sends over SMTP to the tests' GreenMail. */
@QuarkusIntegrationTest
@TestProfile(MailProfile.class)
class MagicLinkIT extends MagicLinkTest {
}
