package dev.authgate.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.authgate.security.TokenMutations.Bad;
import dev.authgate.support.Api;
import dev.authgate.support.Jwe;
import dev.authgate.support.RawHttp;

/**
 * Ten thousand bad tokens (see {@link TokenMutations}), each sent twice: to GET me (authenticated) and to POST
 * login (public, with a body), once in Authorization and once in X-Xano-Authorization. Every answer must be
 * 401 in the error shape: never 200, never 5xx, never the login going on to check the credentials.
 * Reproduce a run with {@code -Dfuzz.seed=...}; {@code -Dfuzz.tokens=...} sets how many.
 */
@QuarkusTest
class TokenFuzzTest {

    private static final long SEED = Long.getLong("fuzz.seed", 20_261_101L);
    private static final int TOKENS = Integer.getInteger("fuzz.tokens", 10_000);
    private static final int THREADS = 8;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] LOGIN_BODY = "{\"email\":\"fuzz-nobody@example.com\",\"password\":\"not the password\"}"
            .getBytes(StandardCharsets.UTF_8);

    @TestHTTPResource("/")
    URL url;

    private final Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> kinds = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final LongAdder wrong = new LongAdder();

    @Test
    void noBadTokenIsAcceptedOrBreaksTheService() throws Exception {
        String token = Api.signup(Api.uniqueEmail());
        String other = Api.signup(Api.uniqueEmail());
        controlTheGenuineTokenIsAccepted(token);

        TokenMutations mutations = new TokenMutations(SEED, token, other, new HashMap<>(Jwe.decrypt(token).claims()));
        List<Bad> extras = mutations.extras();
        int total = TOKENS + extras.size();
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                workers.add(pool.submit(() -> {
                    try (RawHttp http = new RawHttp(url.getPort())) {
                        for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                            Bad bad = i < TOKENS ? mutations.make(i) : extras.get(i - TOKENS);
                            kinds.computeIfAbsent(bad.kind().split(" ")[0], k -> new LongAdder()).increment();
                            boolean even = i % 2 == 0;
                            expect401(i, bad, "me", http, me(even ? authorization(bad) : alternative(bad, i)));
                            expect401(i, bad, "login", http, login(even ? alternative(bad, i) : authorization(bad)));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
        } finally {
            pool.shutdownNow();
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        long tried = kinds.values().stream().mapToLong(LongAdder::sum).sum();
        System.out.printf("TokenFuzzTest: seed %d, %d tokens, %d requests in %d ms, statuses %s%n  kinds %s%n",
                SEED, tried, 2 * tried, ms, new TreeMap<>(statuses), new TreeMap<>(kinds));
        assertEquals(total, tried, "every token was sent");
        assertTrue(failures.isEmpty(), wrong.sum() + " wrong answers (first 50 below), seed " + SEED + ":\n"
                + String.join("\n", failures));
    }

    /**
     * Headers up to Quarkus' limit ({@code quarkus.http.limits.max-header-size}, 20K by default) reach the token
     * check; past it the HTTP layer refuses them: a 4xx, never a 5xx or a hang.
     */
    @Test
    void tokensOverTheHeaderLimitAreRefusedWithout5xx() throws Exception {
        Map<String, String> seen = new LinkedHashMap<>();
        try (RawHttp http = new RawHttp(url.getPort())) {
            for (int size : new int[] { 7_500, 12_000, 17_000, 40_000, 100_000 }) {
                Bad big = new Bad("big", "A".repeat(size).getBytes(StandardCharsets.US_ASCII));
                RawHttp.Response me = http.send(me(authorization(big)));
                RawHttp.Response login = http.send(login(alternative(big, 1)));
                seen.put(size + " B", me.status() + "/" + login.status() + (me.status() == 401 ? ""
                        : " (" + me.header("content-type") + ", " + me.body().length + " B body)"));
                for (RawHttp.Response r : List.of(me, login)) {
                    assertTrue(r.status() == 401 || r.status() == 431 || r.status() == 400,
                            size + " bytes: " + r.status() + " " + r.text());
                    if (r.status() == 401) {
                        assertEquals("ERROR_CODE_UNAUTHORIZED", JSON.readTree(r.body()).path("code").asText());
                    }
                }
            }
        }
        System.out.println("TokenFuzzTest: header size -> me/login status " + seen);
    }

    private void controlTheGenuineTokenIsAccepted(String token) throws Exception {
        Bad genuine = new Bad("genuine", token.getBytes(StandardCharsets.US_ASCII));
        try (RawHttp http = new RawHttp(url.getPort())) {
            assertEquals(200, http.send(me(authorization(genuine))).status());
            assertEquals(200, http.send(me(alternative(genuine, 0))).status());
            // a valid token lets login go on to the credentials, which are wrong here: so a 401 below is the token's
            RawHttp.Response login = http.send(login(alternative(genuine, 1)));
            assertEquals(403, login.status(), login.text());
        }
    }

    private static Map<String, Object> authorization(Bad bad) {
        return Map.of("Authorization", concat("Bearer ", bad.token()));
    }

    /** X-Xano-Authorization, with and without the optional Bearer prefix. */
    private static Map<String, Object> alternative(Bad bad, int i) {
        return Map.of("X-Xano-Authorization", i % 3 == 0 ? concat("Bearer ", bad.token()) : bad.token());
    }

    private static byte[] me(Map<String, Object> tokenHeader) {
        return RawHttp.request("GET", "/api:main/auth/me", tokenHeader, null);
    }

    private static byte[] login(Map<String, Object> tokenHeader) {
        Map<String, Object> headers = new LinkedHashMap<>(tokenHeader);
        headers.put("Content-Type", "application/json");
        return RawHttp.request("POST", "/api:main/auth/login", headers, LOGIN_BODY);
    }

    private void expect401(int i, Bad bad, String endpoint, RawHttp http, byte[] request) {
        String outcome;
        try {
            RawHttp.Response r = http.send(request);
            outcome = Integer.toString(r.status());
            // Control bytes are not HTTP: the HTTP layer (Vert.x) refuses them with a bare 400 before any route.
            boolean httpLayerRefusal = bad.kind().equals("ctl-bytes") && r.status() == 400 && r.body().length == 0;
            if (r.status() == 401 && isUnauthorizedError(r) || httpLayerRefusal) {
                statuses.computeIfAbsent(outcome + (httpLayerRefusal ? " (bare, control bytes)" : ""),
                        k -> new LongAdder()).increment();
                return;
            }
            outcome += " " + r.header("content-type") + " " + abbreviate(r.text());
        } catch (Exception e) {
            outcome = "no answer: " + e;
        }
        statuses.computeIfAbsent(outcome.split(" ")[0], k -> new LongAdder()).increment();
        wrong.increment();
        if (failures.size() < 50) {
            failures.add("#" + i + " " + bad.kind() + " -> " + endpoint + " (" + (i % 2 == 0 == endpoint.equals("me")
                    ? "Authorization" : "X-Xano-Authorization") + "): " + outcome + "\n    token: " + printable(bad.token()));
        }
    }

    private static boolean isUnauthorizedError(RawHttp.Response r) {
        try {
            JsonNode body = JSON.readTree(r.body());
            return String.valueOf(r.header("content-type")).startsWith("application/json")
                    && "ERROR_CODE_UNAUTHORIZED".equals(body.path("code").asText()) && body.has("message");
        } catch (Exception e) {
            return false;
        }
    }

    private static byte[] concat(String prefix, byte[] token) {
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[p.length + token.length];
        System.arraycopy(p, 0, all, 0, p.length);
        System.arraycopy(token, 0, all, p.length, token.length);
        return all;
    }

    private static String printable(byte[] token) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < Math.min(token.length, 300); k++) {
            int b = token[k] & 0xff;
            sb.append(b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b));
        }
        return sb + (token.length > 300 ? "...(" + token.length + " bytes)" : "");
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
