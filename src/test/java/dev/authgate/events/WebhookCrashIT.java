package dev.authgate.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.authgate.support.Api;
import dev.authgate.support.Jwe;
import dev.authgate.support.Processes;
import dev.authgate.support.ServiceProcess;
import dev.authgate.support.TestDatabase;
import dev.authgate.support.Wait;

/**
 * The packaged application SIGKILLed while it posts a webhook, then started again on the same database: every
 * event still arrives (at least once), and only a delivery in flight at the kill may arrive twice.
 */
@Processes
class WebhookCrashIT {

    @Test
    void nothingIsLostWhenTheServiceIsKilledMidDelivery() throws Exception {
        int port = Receiver.freePort();
        Map<String, String> env = new HashMap<>(Map.of("AUTHGATE_TOKEN_KEYS", Jwe.jwks("crash-hook", Jwe.randomKey()),
                // map keys (the webhook's name) as system properties: an environment variable cannot spell them
                "JAVA_TOOL_OPTIONS", "-Dauthgate.webhooks.crash.url=http://127.0.0.1:" + port + "/crash"
                        + " -Dauthgate.webhooks.crash.secret=" + WebhookTest.SECRET
                        + " -Dauthgate.webhooks.crash.events=signup",
                "AUTHGATE_AUDIT_DELIVERY_EVERY", "100ms", "AUTHGATE_AUDIT_DELIVERY_BACKOFF", "100ms",
                "AUTHGATE_AUDIT_DELIVERY_MAX_BACKOFF", "500ms", "AUTHGATE_AUDIT_DELIVERY_TIMEOUT", "10s"));
        String prefix = "hookcrash-" + Long.toHexString(System.nanoTime()) + "-";
        try (Receiver receiver = new Receiver(port)) {
            // slow: the service is mid-post when it dies
            receiver.answer = r -> new Receiver.Reply(200, "", Duration.ofSeconds(2));
            try (ServiceProcess first = ServiceProcess.start(env)) {
                first.awaitReady(Duration.ofSeconds(120));
                for (int i = 0; i < 8; i++) {
                    var r = first.post("/api:main/auth/signup", "{\"name\":\"C\",\"email\":\"" + prefix + i
                            + "@example.com\",\"password\":\"" + Api.PASSWORD + "\"}");
                    assertEquals(200, r.statusCode(), r.body());
                }
                Wait.until(Duration.ofSeconds(60), "a post in flight after one delivered",
                        () -> TestDatabase.scalar("select count(*) from auth_webhook_outbox where webhook = 'crash' "
                                + "and status = 'delivered'") >= 1 && receiver.inFlight.get() > 0);
                first.kill();
            }
            long deliveredAtKill = TestDatabase.scalar("select count(*) from auth_webhook_outbox o join \"user\" u on "
                    + "u.id = o.account_id where o.webhook = 'crash' and o.status = 'delivered' and u.email like ?",
                    prefix + "%");
            assertTrue(deliveredAtKill < 8, "the kill came before the end");
            receiver.answer = r -> Receiver.Reply.ok();
            try (ServiceProcess second = ServiceProcess.start(env)) {
                second.awaitReady(Duration.ofSeconds(120));
                Wait.until(Duration.ofSeconds(90), "every sign-up delivered after the restart",
                        () -> TestDatabase.scalar("select count(*) from auth_webhook_outbox o join \"user\" u on "
                                + "u.id = o.account_id where o.webhook = 'crash' and o.status = 'delivered' and u.email "
                                + "like ?", prefix + "%") == 8);
            }
            List<String> ids = new java.util.ArrayList<>();
            try (var c = TestDatabase.connect(); var ps = c.prepareStatement("select o.msg_id from auth_webhook_outbox o "
                    + "join \"user\" u on u.id = o.account_id where o.webhook = 'crash' and u.email like ?")) {
                ps.setString(1, prefix + "%");
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            assertEquals(8, ids.size());
            Map<String, Long> accepted = receiver.requests.stream().filter(r -> r.status() == 200)
                    .collect(Collectors.groupingBy(r -> r.header("webhook-id"), Collectors.counting()));
            Set<String> twice = accepted.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                    .collect(Collectors.toSet());
            System.out.printf("WebhookCrashIT: 8 events, %d delivered before the SIGKILL, ids received twice: %s%n",
                    deliveredAtKill, twice);
            assertTrue(ids.stream().allMatch(accepted::containsKey), "every event arrived: " + accepted);
            assertTrue(twice.size() <= 1, "only the post in flight at the kill may come twice: " + twice);
        }
    }
}
