package dev.authgate.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

import dev.authgate.support.Api;
import dev.authgate.support.TestDatabase;
import dev.authgate.support.Wait;

/** Webhooks from the outbox: signed (checked with the reference library), in order, once, through an outage. */
@QuarkusTest
@TestProfile(WebhookTest.WithReceiver.class)
class WebhookTest {

    static final int PORT = Receiver.freePort();
    static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    public static class WithReceiver implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "authgate.webhooks.app.url", "http://127.0.0.1:" + PORT + "/all",
                    "authgate.webhooks.app.secret", SECRET,
                    "authgate.webhooks.logins.url", "http://127.0.0.1:" + PORT + "/logins",
                    "authgate.webhooks.logins.secret", SECRET,
                    "authgate.webhooks.logins.events", "login",
                    "authgate.audit.delivery.every", "100ms",
                    "authgate.audit.delivery.backoff", "50ms",
                    "authgate.audit.delivery.max-backoff", "300ms",
                    "authgate.audit.delivery.timeout", "3s");
        }
    }

    static Receiver receiver;

    @Inject
    Deliverer deliverer;

    @Inject
    ObjectMapper json;

    @BeforeAll
    static void start() throws Exception {
        receiver = new Receiver(PORT);
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    @BeforeEach
    void up() {
        receiver.answer = r -> Receiver.Reply.ok();
    }

    /** The events of one account a path accepted (2xx), in arrival order, by type. */
    private List<String> accepted(String path, long accountId) {
        return receiver.requests.stream().filter(r -> r.path().equals(path) && r.status() == 200)
                .map(r -> read(r.body())).filter(m -> Long.valueOf(accountId).equals(data(m).get("account_id") == null
                        ? null : ((Number) data(m).get("account_id")).longValue()))
                .map(m -> (String) m.get("type")).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(Map<String, Object> m) {
        return (Map<String, Object>) m.get("data");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> read(String body) {
        try {
            return json.readValue(body, Map.class);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static long id(String email) {
        return TestDatabase.scalar("select id from \"user\" where email = ?", email);
    }

    @Test
    void eventsArriveSignedAndInOrderAndFilteredByName() throws Exception {
        String email = Api.uniqueEmail();
        String token = Api.signup(email);
        Api.login("main", email, Api.PASSWORD);
        Api.bearer(token).contentType(ContentType.JSON).body(Map.of("scope", "local")).post("/api:main/auth/logout")
                .then().statusCode(200);
        long id = id(email);
        Wait.until("three events at /all", () -> accepted("/all", id).size() == 3);
        assertEquals(List.of("signup", "login", "logout"), accepted("/all", id));
        Wait.until("the login at /logins", () -> accepted("/logins", id).size() == 1);
        assertEquals(List.of("login"), accepted("/logins", id));

        Webhook reference = new Webhook(SECRET);
        for (Receiver.Request r : receiver.requests) {
            reference.verify(r.body(), r.headers()); // throws if the signature, id or timestamp is wrong
            assertTrue(r.header("webhook-signature").startsWith("v1,"));
            assertEquals("application/json", r.header("content-type"));
        }
        Receiver.Request any = receiver.requests.get(0);
        Map<String, List<String>> tampered = new java.util.HashMap<>(any.headers());
        assertThrows(Exception.class, () -> reference.verify(any.body() + " ", tampered));
        // the audit row and its message share an id; the row says delivered
        assertEquals(0, TestDatabase.scalar("select count(*) from auth_webhook_outbox where account_id = ? "
                + "and status <> 'delivered'", id));
    }

    @Test
    void aReceiverDownGetsEverythingAfterwardsEachOnceInOrder() {
        receiver.answer = r -> new Receiver.Reply(503, "", Duration.ZERO);
        String email = Api.uniqueEmail();
        String token = Api.signup(email);
        Api.login("main", email, Api.PASSWORD);
        Api.bearer(token).contentType(ContentType.JSON).body(Map.of("scope", "global")).post("/api:main/auth/logout")
                .then().statusCode(200);
        long id = id(email);
        Wait.until("retries while down", () -> TestDatabase.scalar("select coalesce(max(attempts), 0) "
                + "from auth_webhook_outbox where account_id = ? and webhook = 'app'", id) >= 3);
        // in order: the later events wait for the first, which is retried with backoff
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_webhook_outbox where account_id = ? and "
                + "webhook = 'app' and attempts > 0", id));
        receiver.answer = r -> Receiver.Reply.ok();
        Wait.until("everything after the outage", () -> accepted("/all", id).size() == 3);
        assertEquals(List.of("signup", "login", "logout"), accepted("/all", id));
        Map<String, Long> perId = receiver.requests.stream().filter(r -> r.status() == 200 && r.path().equals("/all"))
                .collect(Collectors.groupingBy(r -> r.header("webhook-id"), Collectors.counting()));
        assertTrue(perId.values().stream().allMatch(n -> n == 1), "each id accepted once: " + perId);
    }

    @Test
    void replicasSharingTheOutboxNeverDeliverOneRowTwice() throws Exception {
        receiver.answer = r -> new Receiver.Reply(200, "", Duration.ofMillis(5));
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String email = Api.uniqueEmail();
            Api.signup(email);
            ids.add(id(email));
        }
        // three more "replicas" drain beside the scheduled one, each in its own transactions
        var pool = Executors.newFixedThreadPool(3);
        List<Callable<Integer>> drains = List.of(deliverer::drain, deliverer::drain, deliverer::drain);
        pool.invokeAll(drains);
        pool.shutdown();
        Wait.until("all signups delivered", () -> ids.stream().allMatch(i -> accepted("/all", i).size() == 1));
        Map<String, Long> perId = receiver.requests.stream().filter(r -> r.path().equals("/all"))
                .collect(Collectors.groupingBy(r -> r.header("webhook-id"), Collectors.counting()));
        assertTrue(perId.values().stream().allMatch(n -> n == 1), "no id twice: " + perId);
    }

    @Test
    void aDeliveryPastItsTimeIsFailedAndAnAdministratorRetriesIt() {
        receiver.answer = r -> new Receiver.Reply(500, "", Duration.ZERO);
        String email = Api.uniqueEmail();
        Api.signup(email);
        long id = id(email);
        // as if the receiver had been down for longer than give-up-after (3 days)
        TestDatabase.update("update auth_webhook_outbox set created_at = now() - interval '4 days' where account_id = ?", id);
        Wait.until("marked failed", () -> TestDatabase.scalar("select count(*) from auth_webhook_outbox "
                + "where account_id = ? and webhook = 'app' and status = 'failed' and last_error = 'status 500'", id) == 1);
        receiver.answer = r -> Receiver.Reply.ok();
        long row = TestDatabase.scalar("select id from auth_webhook_outbox where account_id = ? and webhook = 'app'", id);
        assertTrue(deliverer.retry(row, List.of("user")));
        Wait.until("delivered after the retry", () -> accepted("/all", id).size() == 1);
        assertEquals(false, deliverer.retry(row, List.of("user"))); // delivered: nothing to retry
    }

    @Test
    void wrongSettingsStopTheStartNamingTheKey() {
        record W(URI url, Optional<List<String>> events, String secret) implements WebhooksConfig.Webhook {
        }
        var bad = assertThrows(IllegalStateException.class, () -> Webhooks.check("x",
                new W(URI.create("ftp://example.com/h"), Optional.empty(), SECRET)));
        assertEquals("authgate.webhooks.x.url must be an absolute http or https URL", bad.getMessage());
        bad = assertThrows(IllegalStateException.class, () -> Webhooks.check("x",
                new W(URI.create("https://example.com/h"), Optional.of(List.of("login", "nope")), SECRET)));
        assertTrue(bad.getMessage().startsWith("authgate.webhooks.x.events names no event: [nope]"), bad.getMessage());
        bad = assertThrows(IllegalStateException.class, () -> Webhooks.check("x",
                new W(URI.create("https://example.com/h"), Optional.empty(), "not-a-secret-at-all")));
        assertEquals("authgate.webhooks.x.secret is not a whsec_ secret", bad.getMessage());
        bad = assertThrows(IllegalStateException.class, () -> Webhooks.check("x",
                new W(URI.create("https://example.com/h"), Optional.empty(), "whsec_c2hvcnQ=")));
        assertTrue(bad.getMessage().startsWith("authgate.webhooks.x.secret has fewer than"), bad.getMessage());
    }
}
