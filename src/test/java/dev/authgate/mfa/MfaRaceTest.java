package dev.authgate.mfa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import dev.authgate.support.Api;
import dev.authgate.support.TestDatabase;

/** One code, many simultaneous requests: a time step, a recovery code, an mfa_token and an enrolment are used once. */
@QuarkusTest
class MfaRaceTest {

    /** Runs n requests released together by one start gate; answers the count of each status. */
    static Map<Integer, Integer> race(int n, IntFunction<Response> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch ready = new CountDownLatch(n);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                answers.add(pool.submit(() -> {
                    ready.countDown();
                    start.await();
                    return request.apply(k).statusCode();
                }));
            }
            assertTrue(ready.await(60, TimeUnit.SECONDS));
            start.countDown();
            Map<Integer, Integer> statuses = new TreeMap<>();
            for (Future<Integer> f : answers) {
                statuses.merge(f.get(120, TimeUnit.SECONDS), 1, Integer::sum);
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }

    /** 50 logins waiting for their factor, one code sent to all 50 at once: exactly one gets a token. */
    @Test
    void fiftySimultaneousVerifiesOfOneCodeGiveExactlyOneToken() throws Exception {
        Mfa.Enrolled a = Mfa.enrolled();
        List<String> mfaTokens = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            mfaTokens.add(Mfa.mfaToken(a.email()));
            // each login waiting for its factor stays counted against the account: the test's own 50 are not the point
            TestDatabase.update("delete from auth_attempt where key like ?", "login%:user:" + a.email() + "%");
        }
        String code = a.code(1);
        Map<Integer, Integer> statuses = race(50, i -> Mfa.verify(mfaTokens.get(i), code));
        System.out.println("replay race, 50 verifies of one code: " + statuses);
        assertEquals(1, statuses.get(200), statuses.toString());
        assertEquals(49, statuses.getOrDefault(400, 0) + statuses.getOrDefault(429, 0), statuses.toString());
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_mfa_token where dbtable = 'user' and account_id = ? and dbtable = 'user' "
                + "and used_at is not null", a.id()));
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_session where account_id = ? and dbtable = 'user' "
                + "and issued_at > now() - interval '5 minutes'", a.id()) - 1, "the activation's token and one more");
    }

    @Test
    void oneRecoveryCodeSentTwentyTimesAtOnceOpensOneLogin() throws Exception {
        Mfa.Enrolled a = Mfa.enrolled();
        List<String> mfaTokens = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            mfaTokens.add(Mfa.mfaToken(a.email()));
            TestDatabase.update("delete from auth_attempt where key like ?", "login%:user:" + a.email() + "%");
        }
        String rc = a.recoveryCodes().get(0);
        Map<Integer, Integer> statuses = race(20, i -> Mfa.verify(mfaTokens.get(i), rc));
        assertEquals(1, statuses.get(200), statuses.toString());
        assertEquals(9, TestDatabase.scalar("select count(*) from auth_mfa_recovery_code where dbtable = 'user' and account_id = ? "
                + "and dbtable = 'user'", a.id()));
    }

    @Test
    void oneMfaTokenWithRightCodesAtOnceIsUsedOnce() throws Exception {
        Mfa.Enrolled a = Mfa.enrolled();
        String mfaToken = Mfa.mfaToken(a.email());
        List<String> codes = a.recoveryCodes();
        Map<Integer, Integer> statuses = race(5, i -> Mfa.verify(mfaToken, codes.get(i)));
        assertEquals(1, statuses.get(200), statuses.toString());
        assertEquals(4, statuses.getOrDefault(401, 0), statuses.toString());
        // the losers' codes were not spent: their transactions rolled back
        assertEquals(9, TestDatabase.scalar("select count(*) from auth_mfa_recovery_code where dbtable = 'user' and account_id = ? "
                + "and dbtable = 'user'", a.id()));
    }

    @Test
    void twoActivationsOfOneEnrolmentOneWins() throws Exception {
        String email = Api.uniqueEmail();
        String token = Api.signup(email);
        long id = TestDatabase.scalar("select id from \"user\" where email = ?", email);
        Map<String, Object> e = Api.bearer(token).post("/api:main/auth/mfa/totp").then().statusCode(200)
                .extract().jsonPath().getMap("$");
        byte[] secret = new org.apache.commons.codec.binary.Base32().decode((String) e.get("secret"));
        String code = Totp.code(secret, Totp.step(System.currentTimeMillis() / 1000), Totp.DIGITS);
        Map<Integer, Integer> statuses = race(2, i -> Api.bearer(token).contentType(ContentType.JSON)
                .body(Map.of("code", code)).post("/api:main/auth/mfa/totp/" + e.get("id") + "/activate"));
        assertEquals(1, statuses.get(200), statuses.toString());
        // the loser finds no enrolment (404), or, if it came after the winner ended the caller's token, 401
        assertEquals(1, statuses.getOrDefault(404, 0) + statuses.getOrDefault(401, 0), statuses.toString());
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_mfa_factor where dbtable = 'user' and account_id = ? and active", id));
        assertEquals(10, TestDatabase.scalar("select count(*) from auth_mfa_recovery_code where dbtable = 'user' and account_id = ? "
                + "and dbtable = 'user'", id));
    }
}
