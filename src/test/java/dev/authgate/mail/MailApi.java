package dev.authgate.mail;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

import dev.authgate.support.TestDatabase;

/** Requests of the email flows, each from a client address no other request uses (unless one is given). */
final class MailApi {

    static final String RESET = "Reset your password";
    static final String VERIFY = "Confirm your email address";
    static final String MAGIC = "Your sign-in link and code";
    static final String CHANGE = "Confirm your new email address";
    static final String NOTICE = "Your email address is being changed";

    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private MailApi() {
    }

    static String client() {
        int n = CLIENTS.incrementAndGet();
        return "10.9." + (n / 250) + "." + (n % 250 + 1);
    }

    static RequestSpecification from(String address) {
        return given().header("X-Forwarded-For", address).contentType(ContentType.JSON);
    }

    static ValidatableResponse post(String path, Map<String, ?> body) {
        return from(client()).body(body).post("/api:main/auth/" + path).then();
    }

    static ValidatableResponse post(String token, String path, Map<String, ?> body) {
        return from(client()).header("Authorization", "Bearer " + token).body(body).post("/api:main/auth/" + path)
                .then();
    }

    /** A send request: 200 {"sent": true} and nothing else, whatever the email. */
    static void sent(String path, Map<String, ?> body) {
        post(path, body).statusCode(200).body("sent", equalTo(true)).body("size()", equalTo(1));
    }

    static void refused(ValidatableResponse r, String param) {
        r.statusCode(400).body("code", equalTo("ERROR_CODE_INPUT_ERROR")).body("payload.param", equalTo(param));
    }

    static long id(String email) {
        return TestDatabase.scalar("select id from \"user\" where email = ?", email);
    }

    /** Runs the call on two threads at once; answers their statuses, sorted. */
    static List<Integer> race(Callable<Integer> call) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> a : answers) {
                statuses.add(a.get());
            }
            Collections.sort(statuses);
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Makes the email's live secrets of a purpose expired, as if their time had passed. */
    static int age(String email, String purpose) {
        return TestDatabase.update("update auth_email_secret set expires_at = now() - interval '1 second'"
                + " where email = ? and purpose = ? and used_at is null", email, purpose);
    }
}
