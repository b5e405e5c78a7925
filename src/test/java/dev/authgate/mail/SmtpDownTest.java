package dev.authgate.mail;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.authgate.support.Api;
import dev.authgate.support.Management;
import dev.authgate.support.Wait;

/** The SMTP server refuses connections: the send endpoints answer as always; the failure is logged and counted. */
@QuarkusTest
@TestProfile(SmtpDownTest.NoSmtp.class)
class SmtpDownTest {

    public static class NoSmtp extends MailProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("quarkus.mailer.host", "127.0.0.1");
            config.put("quarkus.mailer.port", Integer.toString(closedPort()));
            config.put("quarkus.mailer.start-tls", "DISABLED");
            return config;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of();
        }

        /** A port that was free a moment ago: nothing listens there. */
        private static int closedPort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static double failed(String letter) {
        String metrics = given().get(Management.url("/metrics")).then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("authgate_mails_total\\{[^}]*letter=\"" + Pattern.quote(letter)
                + "\",outcome=\"failed\"[^}]*} ([0-9.E]+)").matcher(metrics);
        assertTrue(m.find(), "no failed-mail counter for " + letter);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void sendEndpointsAnswerTheSameAndTheFailureIsLoggedWithoutAddressAndCounted() {
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = PasswordResetTest.capture(logged);
        Logger.getLogger("").addHandler(capture);
        try {
            String email = Api.uniqueEmail();
            Api.signup(email); // its verification mail fails too, and the signup does not
            double before = failed("magic-link");
            MailApi.sent("magic-link", Map.of("email", email));
            MailApi.sent("password-reset", Map.of("email", email));
            Wait.until("the magic link's mail counted as failed", () -> failed("magic-link") >= before + 1);
            assertEquals(before + 1, failed("magic-link"));
            assertTrue(logged.stream().anyMatch(l -> l.contains("mail not sent")), logged.toString());
            assertFalse(logged.stream().anyMatch(l -> l.contains(email)), "no address in the log: " + logged);
        } finally {
            Logger.getLogger("").removeHandler(capture);
        }
    }
}
