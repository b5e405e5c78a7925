package dev.authgate.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.authgate.support.Api;
import dev.authgate.support.Jwe;
import dev.authgate.support.Processes;
import dev.authgate.support.ServiceProcess;
import dev.authgate.support.TestDatabase;
import dev.authgate.support.Wait;

/**
 * Two replicas of the packaged application deliver from one outbox at once: every event arrives exactly once (a row
 * is claimed FOR UPDATE SKIP LOCKED, so no two replicas post it) and each account's events arrive in the order they
 * happened, though each account's sign-up and logins were written by different replicas.
 */
@Processes
class WebhookReplicasIT {

    private static final int ACCOUNTS = 12;

    @Test
    void twoReplicasDeliverEveryEventOnceAndInOrderPerAccount() throws Exception {
        int port = Receiver.freePort();
        Map<String, String> env = new HashMap<>(Map.of("AUTHGATE_TOKEN_KEYS", Jwe.jwks("replicas-hook", Jwe.randomKey()),
                // map keys (the webhook's name) as system properties: an environment variable cannot spell them
                "JAVA_TOOL_OPTIONS", "-Dauthgate.webhooks.replicas.url=http://127.0.0.1:" + port + "/replicas"
                        + " -Dauthgate.webhooks.replicas.secret=" + WebhookTest.SECRET
                        + " -Dauthgate.webhooks.replicas.events=signup,login",
                "AUTHGATE_THROTTLE_SIGNUP_MAX_PER_ADDRESS", "1000000",
                "AUTHGATE_AUDIT_DELIVERY_EVERY", "100ms", "AUTHGATE_AUDIT_DELIVERY_BACKOFF", "100ms",
                "AUTHGATE_AUDIT_DELIVERY_MAX_BACKOFF", "500ms", "AUTHGATE_AUDIT_DELIVERY_TIMEOUT", "10s"));
        String prefix = "hookreplicas-" + Long.toHexString(System.nanoTime()) + "-";
        try (Receiver receiver = new Receiver(port);
                ServiceProcess a = ServiceProcess.start(env);
                ServiceProcess b = ServiceProcess.start(env)) {
            // a little slow, so that both replicas' deliverers have rows to claim at the same time
            receiver.answer = r -> new Receiver.Reply(200, "", Duration.ofMillis(50));
            a.awaitReady(Duration.ofSeconds(120));
            b.awaitReady(Duration.ofSeconds(120));
            for (int i = 0; i < ACCOUNTS; i++) {
                ServiceProcess one = i % 2 == 0 ? a : b;
                ServiceProcess other = i % 2 == 0 ? b : a;
                String email = prefix + i + "@example.com";
                var signup = one.post("/api:main/auth/signup", "{\"name\":\"R\",\"email\":\"" + email
                        + "\",\"password\":\"" + Api.PASSWORD + "\"}");
                assertEquals(200, signup.statusCode(), signup.body());
                for (int k = 0; k < 2; k++) { // then two logins, on the other replica
                    var login = other.post("/api:main/auth/login", "{\"email\":\"" + email + "\",\"password\":\""
                            + Api.PASSWORD + "\"}");
                    assertEquals(200, login.statusCode(), login.body());
                }
            }
            int expected = ACCOUNTS * 3;
            Wait.until(Duration.ofSeconds(120), expected + " events delivered",
                    () -> delivered(prefix) == expected);

            List<String[]> rows = outbox(prefix); // msg id and account, in the order the events happened
            assertEquals(expected, rows.size());
            Map<String, Long> received = receiver.requests.stream().filter(r -> r.path().equals("/replicas"))
                    .collect(Collectors.groupingBy(r -> r.header("webhook-id"), Collectors.counting()));
            for (String[] row : rows) {
                assertEquals(1L, received.getOrDefault(row[0], 0L), "exactly once: " + row[0]);
            }
            // in order per account: the ids of one account arrive in the order of its events
            Map<String, List<String>> arrivals = new HashMap<>();
            receiver.requests.stream().filter(r -> r.path().equals("/replicas")).forEach(r -> rows.stream()
                    .filter(row -> row[0].equals(r.header("webhook-id"))).findFirst()
                    .ifPresent(row -> arrivals.computeIfAbsent(row[1], k -> new ArrayList<>()).add(row[0])));
            Map<String, List<String>> happened = rows.stream().collect(Collectors.groupingBy(row -> row[1],
                    Collectors.mapping(row -> row[0], Collectors.toList())));
            assertEquals(happened, arrivals);
            System.out.printf("WebhookReplicasIT: %d events of %d accounts, each received once, in order%n", expected,
                    ACCOUNTS);
        }
    }

    private static long delivered(String prefix) {
        return TestDatabase.scalar("select count(*) from auth_webhook_outbox o join \"user\" u on u.id = o.account_id "
                + "where o.webhook = 'replicas' and o.status = 'delivered' and u.email like ?", prefix + "%");
    }

    private static List<String[]> outbox(String prefix) throws Exception {
        List<String[]> rows = new ArrayList<>();
        try (var c = TestDatabase.connect(); var ps = c.prepareStatement("select o.msg_id, o.account_id::text "
                + "from auth_webhook_outbox o join \"user\" u on u.id = o.account_id where o.webhook = 'replicas' "
                + "and u.email like ? order by o.id")) {
            ps.setString(1, prefix + "%");
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new String[] { rs.getString(1), rs.getString(2) });
                }
            }
        }
        return rows;
    }
}
