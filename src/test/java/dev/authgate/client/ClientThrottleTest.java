package dev.authgate.client;

import static dev.authgate.client.Clients.basic;
import static dev.authgate.client.Clients.from;
import static dev.authgate.client.Clients.introspect;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;

import dev.authgate.support.Management;
import dev.authgate.support.Api;
import dev.authgate.support.TestDatabase;

/** Failed client authentications are throttled per client id and per address; every call is counted per client. */
@QuarkusTest
@TestProfile(ClientsProfile.class)
class ClientThrottleTest {

    private static void throttled(ValidatableResponse r) {
        long retry = Long.parseLong(r.statusCode(429).body("code", equalTo("ERROR_CODE_TOO_MANY_REQUESTS"))
                .extract().header("Retry-After"));
        assertTrue(retry >= 1 && retry <= 15 * 60 + 1, "Retry-After " + retry);
    }

    @Test
    void repeatedWrongSecretsForOneClientEndIn429EvenWithTheRightSecret() {
        String token = Api.signup(Api.uniqueEmail());
        for (int i = 0; i < ClientsProfile.MAX_FAILURES; i++) {
            introspect(basic(ClientsProfile.LOCKED, "wrong secret number " + i + " long enough to look real"), token)
                    .statusCode(401);
        }
        throttled(introspect(ClientsProfile.LOCKED, token));
        assertEquals(ClientsProfile.MAX_FAILURES,
                TestDatabase.scalar("select count(*) from auth_attempt where key = ?", "client:" + ClientsProfile.LOCKED));
        // other clients are not affected
        introspect(ClientsProfile.READER, token).statusCode(200).body("active", equalTo(true));
    }

    @Test
    void repeatedFailuresFromOneAddressEndIn429ForEveryClientFromThere() {
        String token = Api.signup(Api.uniqueEmail());
        String address = Clients.freshAddress();
        for (int i = 0; i < ClientsProfile.MAX_FAILURES_PER_ADDRESS; i++) {
            introspect(from(address).auth().preemptive().basic("ghost-" + UUID.randomUUID(), "whatever"), token)
                    .statusCode(401);
        }
        throttled(introspect(from(address).auth().preemptive().basic(ClientsProfile.READER,
                ClientsProfile.secret(ClientsProfile.READER)), token));
        introspect(ClientsProfile.READER, token).statusCode(200).body("active", equalTo(true));
    }

    @Test
    void everyCallIsCountedPerClientAndOutcome() {
        String token = Api.signup(Api.uniqueEmail());
        String ok = "authgate_client_calls_total{client=\"reader\",endpoint=\"introspect\",outcome=\"ok\"}";
        String revoked = "authgate_client_calls_total{client=\"reader\",endpoint=\"revoke\",outcome=\"ok\"}";
        String unknown = "authgate_client_calls_total{client=\"unknown\",endpoint=\"introspect\",outcome=\"unauthenticated\"}";
        String forbidden = "authgate_client_calls_total{client=\"no-scope\",endpoint=\"introspect\",outcome=\"forbidden\"}";
        String rejected = "authgate_client_calls_total{client=\"minter\",endpoint=\"issue\",outcome=\"rejected\"}";
        String metrics = scrape();
        double[] before = { value(metrics, ok), value(metrics, revoked), value(metrics, unknown), value(metrics, forbidden),
                value(metrics, rejected) };

        introspect(ClientsProfile.READER, token).statusCode(200);
        introspect(ClientsProfile.READER, "garbage").statusCode(200);
        Clients.revoke(ClientsProfile.READER, token).statusCode(200);
        introspect(basic("nobody-" + UUID.randomUUID(), "whatever"), token).statusCode(401);
        introspect(ClientsProfile.NO_SCOPE, token).statusCode(403);
        basic(ClientsProfile.MINTER).contentType("application/json").body("{\"id\": 999999999}")
                .post("/api:main:v1/auth/issue").then().statusCode(404);

        metrics = scrape();
        assertEquals(2, value(metrics, ok) - before[0]);
        assertEquals(1, value(metrics, revoked) - before[1]);
        assertEquals(1, value(metrics, unknown) - before[2]);
        assertEquals(1, value(metrics, forbidden) - before[3]);
        assertEquals(1, value(metrics, rejected) - before[4]);
        assertTrue(!metrics.contains("nobody-"), "made-up client ids are not series");
        assertTrue(metrics.contains("uri=\"/api:{group}/auth/issue\""), "auth/issue has its own uri tag");
    }

    private static String scrape() {
        return given().get(Management.url("/metrics")).then().statusCode(200).extract().asString();
    }

    private static double value(String metrics, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
