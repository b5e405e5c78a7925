package dev.authgate.account;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.authgate.support.Api;
import dev.authgate.support.RawHttp;
import dev.authgate.support.TestDatabase;

/**
 * 200 sign-ups released at once over 20 addresses, each written 10 ways (case, surrounding spaces): one
 * account per address, one 200 per address, 403 "already in use" for the other 180, nothing else.
 */
@QuarkusTest
class SignupRaceTest {

    private static final int EMAILS = 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<UnaryOperator<String>> VARIANTS = List.of(e -> e, e -> e.toUpperCase(Locale.ROOT),
            e -> " " + e, e -> e + " ", e -> "\t" + e.toUpperCase(Locale.ROOT) + "\n",
            e -> Character.toUpperCase(e.charAt(0)) + e.substring(1), e -> e.replace("@example.com", "@EXAMPLE.COM"),
            e -> "  " + e + "  ", SignupRaceTest::alternatingCase, e -> e.toUpperCase(Locale.ROOT) + " ");

    private record Answer(String email, int status, String message, String token) {
    }

    @TestHTTPResource("/")
    URL url;

    @Test
    void twoHundredSignupsTwentyAddressesTwentyAccounts() throws Exception {
        String prefix = "race-" + Long.toHexString(System.nanoTime()) + "-";
        List<String> emails = new ArrayList<>();
        for (int k = 0; k < EMAILS; k++) {
            emails.add(prefix + k + "@example.com");
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(EMAILS * VARIANTS.size());
        List<Answer> answers = new ArrayList<>();
        try {
            List<Future<Answer>> futures = new ArrayList<>();
            for (String email : emails) {
                for (UnaryOperator<String> variant : VARIANTS) {
                    futures.add(pool.submit(() -> signup(email, variant.apply(email), start)));
                }
            }
            start.countDown();
            for (Future<Answer> f : futures) {
                answers.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }

        Map<String, Long> byOutcome = new TreeMap<>();
        answers.forEach(a -> byOutcome.merge(a.status() + " " + a.message(), 1L, Long::sum));
        System.out.println("SignupRaceTest: " + answers.size() + " sign-ups -> " + byOutcome);
        assertEquals(Map.of("200 null", 20L, "403 This account is already in use.", 180L), byOutcome);
        for (String email : emails) {
            List<Answer> won = answers.stream().filter(a -> a.email().equals(email) && a.status() == 200).toList();
            assertEquals(1, won.size(), "one winner for " + email);
            Api.bearer(won.get(0).token()).get("/api:main/auth/me").then().statusCode(200)
                    .body("email", org.hamcrest.Matchers.equalTo(email));
        }
        assertEquals(EMAILS, TestDatabase.scalar("select count(*) from \"user\" where email like ?", prefix + "%"));
        assertEquals(EMAILS, TestDatabase.scalar("select count(*) from \"user\" where email = any(?)",
                (Object) emails.toArray(String[]::new)), "stored trimmed and lower-cased");
        assertEquals(EMAILS, TestDatabase.scalar("select count(*) from auth_session s join \"user\" u on s.dbtable = 'user'"
                + " and s.account_id = u.id where u.email like ?", prefix + "%"), "one session per account: the winner's");
    }

    private Answer signup(String email, String sent, CountDownLatch start) throws Exception {
        byte[] body = ("{\"name\":\"Racer\",\"password\":\"" + Api.PASSWORD + "\",\"email\":\""
                + sent.replace("\t", "\\t").replace("\n", "\\n") + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] request = RawHttp.request("POST", "/api:main/auth/signup", Map.of("Content-Type", "application/json"), body);
        start.await();
        try (RawHttp http = new RawHttp(url.getPort())) {
            RawHttp.Response r = http.send(request);
            JsonNode json = JSON.readTree(r.body());
            return new Answer(email, r.status(), json.path("message").textValue(), json.path("authToken").textValue());
        }
    }

    private static String alternatingCase(String e) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < e.length(); i++) {
            sb.append(i % 2 == 0 ? Character.toUpperCase(e.charAt(i)) : e.charAt(i));
        }
        return sb.toString();
    }
}
