package dev.authgate.account;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.authgate.support.Api;
import dev.authgate.support.TestDatabase;

/** Uniqueness is the database's: of 20 simultaneous signups with one email, exactly one wins. */
@QuarkusTest
class ConcurrentSignupTest {

    @Test
    void twentySignupsOneEmailOneRow() throws Exception {
        String email = Api.uniqueEmail();
        int n = 20;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String variant = i % 2 == 0 ? email : " " + email.toUpperCase();
                answers.add(pool.submit(() -> {
                    start.await();
                    var r = given().contentType(ContentType.JSON)
                            .body(Map.of("name", "Racer", "email", variant, "password", Api.PASSWORD))
                            .post("/api:main/auth/signup").then().extract();
                    if (r.statusCode() == 403) {
                        assertEquals("This account is already in use.", r.path("message"));
                    }
                    return r.statusCode();
                }));
            }
            start.countDown();
            int ok = 0;
            int taken = 0;
            for (Future<Integer> f : answers) {
                int status = f.get();
                ok += status == 200 ? 1 : 0;
                taken += status == 403 ? 1 : 0;
            }
            assertEquals(1, ok, "exactly one signup wins");
            assertEquals(n - 1, taken, "the rest are told the account is in use");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, TestDatabase.scalar("select count(*) from \"user\" where email = ?", email));
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_session s join \"user\" u on u.id = s.account_id"
                + " and s.dbtable = 'user' where u.email = ?", email));
    }
}
