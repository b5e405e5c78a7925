package dev.authgate.metrics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.authgate.support.Api;
import dev.authgate.support.Jwe;
import dev.authgate.support.Management;

/** The counters of /q/metrics (on the management port) move with what happens over HTTP; request latency is per endpoint, not per path. */
@QuarkusTest
class MetricsTest {

    @Test
    void authCountersMoveByExactlyWhatHappened() {
        List<Sample> before = scrape();

        String email = Api.uniqueEmail();
        Map<String, Object> claims = new HashMap<>(Jwe.decrypt(Api.signup(email)).claims());
        given().contentType(ContentType.JSON).body(Map.of("name", "N", "email", email, "password", Api.PASSWORD))
                .post("/api:main/auth/signup").then().statusCode(403);
        Api.login("main", email, Api.PASSWORD);
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", "wrong password"))
                .post("/api:main/auth/login").then().statusCode(403);

        Api.bearer("garbage").get("/api:main/auth/me").then().statusCode(401);
        Api.bearer(Jwe.encrypt(Jwe.header("no-such-kid").build(), claims, Jwe.TEST_KEY)).get("/api:main/auth/me")
                .then().statusCode(401);
        Map<String, Object> expired = new HashMap<>(claims);
        expired.put("exp", System.currentTimeMillis() / 1000 - 10);
        Api.bearer(Jwe.encrypt(Jwe.header(Jwe.TEST_KID).build(), expired, Jwe.TEST_KEY)).get("/api:main/auth/me")
                .then().statusCode(401);
        Map<String, Object> revoked = new HashMap<>(claims);
        revoked.put("jti", UUID.randomUUID().toString());
        Api.bearer(Jwe.encrypt(Jwe.header(Jwe.TEST_KID).build(), revoked, Jwe.TEST_KEY)).get("/api:main/auth/me")
                .then().statusCode(401);
        Api.bearer(Jwe.encrypt(Jwe.header(Jwe.TEST_KID).build(), claims, Jwe.TEST_KEY)).get("/api:staff/auth/me")
                .then().statusCode(401);

        List<Sample> after = scrape();
        assertEquals(1, delta(before, after, "authgate_signups_total", "table", "user", "outcome", "success"));
        assertEquals(1, delta(before, after, "authgate_signups_total", "table", "user", "outcome", "in_use"));
        assertEquals(1, delta(before, after, "authgate_logins_total", "table", "user", "outcome", "success"));
        assertEquals(1, delta(before, after, "authgate_logins_total", "table", "user", "outcome", "invalid_credentials"));
        assertEquals(1, delta(before, after, "authgate_tokens_issued_total", "table", "user", "kind", "signup"));
        assertEquals(1, delta(before, after, "authgate_tokens_issued_total", "table", "user", "kind", "login"));
        for (String reason : new String[] { "malformed", "unknown_key", "expired", "revoked", "other_table" }) {
            assertEquals(1, delta(before, after, "authgate_tokens_refused_total", "reason", reason), reason);
        }
    }

    @Test
    void requestLatencyIsPerEndpointTemplateNeverPerGroupOrId() {
        List<Sample> before = scrape();
        String email = Api.uniqueEmail();
        Api.signup(email);
        Api.login("main", email, Api.PASSWORD);
        Api.login("main:v1", email, Api.PASSWORD);
        // refused before any resource matched: no template from the REST layer
        Api.bearer("garbage").get("/api:staff/user/12345").then().statusCode(401);
        Api.bearer("garbage").get("/api:main/auth/me").then().statusCode(401);
        List<Sample> after = scrape();

        String requests = "http_server_requests_seconds_count";
        assertEquals(2, delta(before, after, requests, "uri", "/api:{group}/auth/login", "method", "POST", "status", "200"));
        assertEquals(2, delta(before, after, "http_server_requests_seconds_bucket", "uri", "/api:{group}/auth/login",
                "status", "200", "le", "+Inf"), "latency histogram buckets, for percentiles");
        assertEquals(1, delta(before, after, requests, "uri", "/api:{group}/{table}/{id}", "status", "401"));
        assertEquals(1, delta(before, after, requests, "uri", "/api:{group}/auth/me", "status", "401"));
        for (Sample s : after) {
            String uri = s.labels().getOrDefault("uri", "");
            assertFalse(uri.contains("main") || uri.contains("staff") || uri.contains("12345") || uri.contains("@"),
                    "a series per group, id or email: " + s);
        }
    }

    // --- Prometheus text format ---

    record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** Every sample of /q/metrics, on the management interface. */
    static List<Sample> scrape() {
        String text = given().get(Management.url("/metrics")).then().statusCode(200).extract().asString();
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (line.startsWith("#") || !m.matches()) {
                continue;
            }
            Map<String, String> labels = new HashMap<>();
            Matcher l = LABEL.matcher(m.group(2) == null ? "" : m.group(2));
            while (l.find()) {
                labels.put(l.group(1), l.group(2));
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
        }
        return samples;
    }

    /** The sum of the samples of {@code name} that carry all the given label pairs (name, value, ...). */
    static double value(List<Sample> samples, String name, String... labels) {
        return samples.stream().filter(s -> s.name().equals(name) && has(s.labels(), labels))
                .mapToDouble(Sample::value).sum();
    }

    static double delta(List<Sample> before, List<Sample> after, String name, String... labels) {
        return value(after, name, labels) - value(before, name, labels);
    }

    private static boolean has(Map<String, String> labels, String... pairs) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (!pairs[i + 1].equals(labels.get(pairs[i]))) {
                return false;
            }
        }
        return true;
    }
}
