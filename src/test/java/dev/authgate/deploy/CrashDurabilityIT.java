package dev.authgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.authgate.support.Api;
import dev.authgate.support.Jwe;
import dev.authgate.support.Processes;
import dev.authgate.support.ServiceProcess;
import dev.authgate.support.TestDatabase;

/**
 * The packaged application SIGKILLed in the middle of sign-ups, then started again on the same database: a 200
 * means the account is committed (it is there and logs in), and no account is ever half written.
 */
@Processes
class CrashDurabilityIT {

    private static final int THREADS = 4;
    private static final Map<String, String> ENV = Map.of(
            "AUTHGATE_TOKEN_KEYS", Jwe.jwks("crash-1", Jwe.randomKey()));

    @Test
    void everySignupAnswered200SurvivesASigkill() throws Exception {
        String prefix = "crash-" + Long.toHexString(System.nanoTime()) + "-";
        Queue<String> acknowledged = new ConcurrentLinkedQueue<>();
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger unanswered = new AtomicInteger();
        // three crashes at different points of the load, each followed by a restart on the same database
        for (int cycle = 0; cycle < 3; cycle++) {
            loadThenKill(prefix + cycle + "-", 10 + 15 * cycle, acknowledged, attempts, unanswered);
        }

        try (ServiceProcess last = ServiceProcess.start(ENV)) {
            last.awaitReady(Duration.ofSeconds(120));
            List<String> acked = new ArrayList<>(acknowledged);
            long present = TestDatabase.scalar("select count(*) from \"user\" where email like ?", prefix + "%");
            long ackedPresent = TestDatabase.scalar("select count(*) from \"user\" where email = any(?)",
                    (Object) acked.toArray(String[]::new));
            System.out.printf("CrashDurabilityIT: 3 SIGKILLs; %d sign-ups tried, %d answered 200, %d cut by the kills;"
                    + " rows present after restart: %d (%d of the acknowledged)%n", attempts.get(), acked.size(),
                    unanswered.get(), present, ackedPresent);
            assertEquals(acked.size(), ackedPresent, "every sign-up answered 200 is there");
            assertTrue(present <= acked.size() + unanswered.get(), "no row without its request");
            assertEquals(0, TestDatabase.scalar("select count(*) from \"user\" u where email like ? and (password_hash is null"
                    + " or password_hash not like '$2%' or name is null or created_at is null or not exists (select 1"
                    + " from auth_session s where s.dbtable = 'user' and s.account_id = u.id))", prefix + "%"),
                    "an account without its columns or its first session");
            assertEquals(List.of(), last.notLoggingIn(acked, Api.PASSWORD), "every one of them logs in");
        }
    }

    /** Sign-ups from {@value #THREADS} threads until {@code killAfter} are answered 200, then SIGKILL mid-flight. */
    private static void loadThenKill(String prefix, int killAfter, Queue<String> acknowledged, AtomicInteger attempts,
            AtomicInteger unanswered) throws Exception {
        AtomicInteger ok = new AtomicInteger();
        try (ServiceProcess service = ServiceProcess.start(ENV)) {
            service.awaitReady(Duration.ofSeconds(120));
            ExecutorService load = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                workers.add(load.submit(() -> {
                    // until the process is gone: the kill ends every thread with an I/O error
                    for (int n = 0; n < 1_000; n++) {
                        String email = prefix + thread + "-" + n + "@example.com";
                        attempts.incrementAndGet();
                        try {
                            if (service.post("/api:main/auth/signup", body(email)).statusCode() == 200) {
                                acknowledged.add(email);
                                ok.incrementAndGet();
                            }
                        } catch (Exception killed) {
                            unanswered.incrementAndGet();
                            return null;
                        }
                    }
                    return null;
                }));
            }
            for (int waited = 0; ok.get() < killAfter && waited < 300; waited++) {
                Thread.sleep(100);
            }
            service.kill();
            for (Future<?> w : workers) {
                w.get();
            }
            load.shutdown();
        }
        assertTrue(ok.get() >= killAfter, "the kill came after " + killAfter + " sign-ups: " + ok.get());
    }

    private static String body(String email) {
        return "{\"name\":\"Crash\",\"email\":\"" + email + "\",\"password\":\"" + Api.PASSWORD + "\"}";
    }
}
