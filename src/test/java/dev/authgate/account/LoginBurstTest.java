package dev.authgate.account;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.authgate.support.Api;

/**
 * 40 good logins at once, for 40 accounts, with the database up: all 200. (More logins in flight than the
 * connection pool has connections must wait for bcrypt's CPU, not fail for want of a connection.)
 */
@QuarkusTest
class LoginBurstTest {

    private static final int LOGINS = 40;

    @Test
    void fortySimultaneousLoginsAllSucceed() throws Exception {
        List<String> emails = new ArrayList<>();
        for (int i = 0; i < LOGINS; i++) {
            emails.add(Api.uniqueEmail());
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(LOGINS);
        Map<String, Integer> outcomes = new TreeMap<>();
        try {
            List<Future<String>> signups = new ArrayList<>();
            for (String email : emails.subList(0, 8)) { // the accounts, eight at a time
                signups.add(pool.submit(() -> {
                    for (int k = emails.indexOf(email); k < LOGINS; k += 8) {
                        Api.signup(emails.get(k));
                    }
                    return null;
                }));
            }
            for (Future<String> s : signups) {
                s.get();
            }
            List<Future<String>> answers = new ArrayList<>();
            for (String email : emails) {
                answers.add(pool.submit(() -> {
                    start.await();
                    var r = io.restassured.RestAssured.given().contentType(ContentType.JSON)
                            .body(Map.of("email", email, "password", Api.PASSWORD))
                            .post("/api:main/auth/login").then().extract();
                    return r.statusCode() + (r.statusCode() == 200 ? "" : " " + r.path("code"));
                }));
            }
            long t = System.nanoTime();
            start.countDown();
            for (Future<String> a : answers) {
                outcomes.merge(a.get(), 1, Integer::sum);
            }
            System.out.printf("LoginBurstTest: %d simultaneous logins -> %s in %d ms%n", LOGINS, outcomes,
                    (System.nanoTime() - t) / 1_000_000);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(Map.of("200", LOGINS), outcomes);
    }
}
