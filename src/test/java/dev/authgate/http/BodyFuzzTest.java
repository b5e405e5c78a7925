package dev.authgate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
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

import dev.authgate.http.BodyCases.Case;
import dev.authgate.support.Api;
import dev.authgate.support.Jwe;
import dev.authgate.support.RawHttp;
import dev.authgate.support.TestDatabase;

/**
 * Bad, odd and oversized bodies (see {@link BodyCases}) on signup, login, logout and password: no 5xx, every
 * error a JSON body whose {@code code} is the contract's for its status, and no account written without its 200 —
 * while every sign-up answered 200 stored exactly the address it was given, and logs in with it.
 */
@QuarkusTest
class BodyFuzzTest {

    private static final long SEED = Long.getLong("fuzz.seed", 20_261_101L);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** the contract's error table, without 500 and 503 (the database is up). */
    private static final Map<String, Integer> CODES = Map.of("ERROR_CODE_INPUT_ERROR", 400, "ERROR_CODE_BAD_REQUEST", 400,
            "ERROR_CODE_UNAUTHORIZED", 401, "ERROR_CODE_ACCESS_DENIED", 403, "ERROR_CODE_NOT_FOUND", 404,
            "ERROR_CODE_PAYLOAD_TOO_LARGE", 413, "ERROR_CODE_TOO_MANY_REQUESTS", 429);

    @TestHTTPResource("/")
    URL url;

    private long accountId;
    private final Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    /** Status of each Unicode edge case, printed for the record. */
    private final Map<String, Integer> edges = new ConcurrentHashMap<>();

    private record Signed(Case c, long id) {
    }

    @Test
    void noBodyBreaksTheServiceOrLeavesAHalfWrittenAccount() throws Exception {
        String fixture = Api.uniqueEmail();
        Api.signup(fixture); // the account logout and password act on, with tokens minted per request
        accountId = TestDatabase.scalar("select id from \"user\" where email = ?", fixture);
        long lastIdBefore = TestDatabase.scalar("select coalesce(max(id), 0) from \"user\"");
        String marker = "bf" + Long.toHexString(System.nanoTime());
        List<Case> cases = new ArrayList<>(new BodyCases(marker).all(SEED));
        ConcurrentLinkedQueue<Signed> signed = new ConcurrentLinkedQueue<>();

        long start = System.nanoTime();
        parallel(cases.size(), (http, i) -> {
            Case c = cases.get(i);
            RawHttp.Response r = http.send(request(c));
            JsonNode body = check(c, r);
            if (c.path().equals(BodyCases.SIGNUP) && r.status() == 200 && body != null) {
                signed.add(new Signed(c, ((Number) Jwe.decrypt(body.path("authToken").asText()).claims().get("id")).longValue()));
            }
        });
        int chunked = oversizedChunkedBodiesAre413();

        // no row without its 200, and every row complete with its first session
        long rows = TestDatabase.scalar("select count(*) from \"user\" where id > ?", lastIdBefore);
        assertEquals(signed.size(), rows, "accounts written = sign-ups answered 200");
        assertEquals(0, TestDatabase.scalar("select count(*) from \"user\" u where id > ? and (password_hash not like '$2%'"
                + " or name = '' or not exists (select 1 from auth_session s where s.dbtable = 'user' and s.account_id = u.id))",
                lastIdBefore), "an account without its hash, name or first session");
        // what was signed up with is what is stored (trimmed, NFC, lower case), and logs in
        List<Signed> known = signed.stream().filter(s -> s.c().email() != null).toList();
        parallel(known.size(), (http, i) -> {
            Case c = known.get(i).c();
            // docs/api.md: trimmed, compared case-insensitively; docs/decisions.md: one spelling (NFC) per address
            String expected = Normalizer.normalize(c.email().strip(), Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
            String stored = TestDatabase.text("select email from \"user\" where id = ?", known.get(i).id());
            if (!expected.equals(stored)) {
                failures.add(c.label() + ": signed up as \"" + BodyCases.escape(expected) + "\" but stored as \""
                        + BodyCases.escape(String.valueOf(stored)) + "\"");
            }
            RawHttp.Response login = http.send(RawHttp.request("POST", BodyCases.LOGIN, Map.of("Content-Type", BodyCases.JSON),
                    BodyCases.object("email", c.email(), "password", c.password()).getBytes(StandardCharsets.UTF_8)));
            if (login.status() != 200) {
                failures.add(c.label() + ": signed up (200) but login with the same email and password: " + login.status()
                        + " " + login.text());
            }
            // a lone surrogate is not a question mark, nor is NUL the end: a look-alike must not open the account
            String lookalike = c.password().replaceAll("[\\x{D800}-\\x{DFFF}]", "?").replaceAll("\u0000.*", "\u0000wxyz");
            if (!lookalike.equals(c.password())) {
                RawHttp.Response other = http.send(RawHttp.request("POST", BodyCases.LOGIN, Map.of("Content-Type",
                        BodyCases.JSON), BodyCases.object("email", c.email(), "password", lookalike).getBytes(StandardCharsets.UTF_8)));
                if (other.status() == 200) {
                    failures.add(c.label() + ": the password \"" + BodyCases.escape(c.password()) + "\" also opens with \""
                            + BodyCases.escape(lookalike) + "\"");
                }
            }
        });
        System.out.printf("BodyFuzzTest: %d bodies (+%d chunked) in %d ms, statuses %s; sign-ups 200: %d (rows written: %d),"
                + " logged in again: %d%n", cases.size(), chunked, (System.nanoTime() - start) / 1_000_000,
                new TreeMap<>(statuses), signed.size(), rows, known.size());
        System.out.println("BodyFuzzTest: Unicode edge cases -> status " + new TreeMap<>(edges) + "; database lc_ctype "
                + TestDatabase.text("select datlocprovider::text || ' ' || datctype from pg_database where datname = current_database()"));
        assertTrue(failures.isEmpty(), failures.size() + " wrong answers:\n" + String.join("\n", failures));
    }

    /** Bodies without a declared length: the HTTP layer's limit, still in the error shape. */
    private int oversizedChunkedBodiesAre413() throws Exception {
        byte[] big = ("{\"name\":\"" + "n".repeat(70_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        int sent = 0;
        try (RawHttp http = new RawHttp(url.getPort())) {
            for (String path : BodyCases.ENDPOINTS) {
                Map<String, Object> headers = new LinkedHashMap<>(headers(new Case("chunked", path, BodyCases.JSON, big, null,
                        null, null)));
                headers.put("Transfer-Encoding", "chunked");
                RawHttp.Response r = http.send(RawHttp.request("POST", path, headers, chunked(big)));
                sent++;
                JsonNode body = check(new Case("chunked 70,000 bytes", path, BodyCases.JSON, big, null, null, null), r);
                if (r.status() != 413 && body != null) {
                    failures.add("chunked 70,000 bytes on " + path + ": " + r.status() + " " + r.text());
                }
            }
        }
        return sent;
    }

    private interface Work {
        void run(RawHttp http, int index) throws Exception;
    }

    /** Four clients (bcrypt makes sign-ups and logins slow), each on its own connection. */
    private void parallel(int count, Work work) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                workers.add(pool.submit(() -> {
                    try (RawHttp http = new RawHttp(url.getPort())) {
                        for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                            work.run(http, i);
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
    }

    private byte[] request(Case c) {
        return RawHttp.request("POST", c.path(), headers(c), c.body());
    }

    private Map<String, Object> headers(Case c) {
        Map<String, Object> headers = new LinkedHashMap<>();
        if (c.contentType() != null) {
            headers.put("Content-Type", c.contentType());
        }
        if (c.needsToken()) {
            headers.put("Authorization", "Bearer " + mint());
        }
        return headers;
    }

    /** A token of the fixture account with its own session: each logout or password case gets a fresh one. */
    private String mint() {
        UUID jti = UUID.randomUUID();
        TestDatabase.update("insert into auth_session (jti, dbtable, account_id, expires_at)"
                + " values (?, 'user', ?, now() + interval '1 hour')", jti, accountId);
        long now = System.currentTimeMillis() / 1000;
        return Jwe.encrypt(Jwe.header(Jwe.TEST_KID).build(), Map.of("id", accountId, "dbtable", "user", "extras", Map.of(),
                "iat", now, "exp", now + 3600, "jti", jti.toString(), "iss", "authgate", "sub", Long.toString(accountId)),
                Jwe.TEST_KEY);
    }

    /** Records the answer; a wrong one becomes a failure. Returns the JSON body of a right one. */
    private JsonNode check(Case c, RawHttp.Response r) {
        statuses.computeIfAbsent(Integer.toString(r.status()), k -> new LongAdder()).increment();
        if (c.email() != null) {
            edges.put(c.label(), r.status());
        }
        String problem = null;
        JsonNode body = null;
        try {
            body = JSON.readTree(r.body());
        } catch (Exception e) {
            problem = "not JSON";
        }
        if (problem != null || r.status() >= 500) {
            problem = problem == null ? "a 5xx" : problem;
        } else if (r.status() == 200) {
            boolean issues = c.path().equals(BodyCases.SIGNUP) || c.path().equals(BodyCases.LOGIN);
            if (issues ? !body.path("authToken").isTextual() : !body.path("revoked").isNumber()) {
                problem = "200 without its answer";
            }
        } else if (!Integer.valueOf(r.status()).equals(CODES.get(body.path("code").asText())) || !body.has("message")) {
            problem = "not the contract's code for " + r.status();
        } else if (c.param() != null && !(r.status() == 400 && c.param().equals(body.path("payload").path("param").asText()))) {
            problem = "expected 400 naming " + c.param();
        } else if (c.label().startsWith("65,537") && r.status() != 413) {
            problem = "expected 413";
        } else if (c.label().startsWith("65,536") && r.status() == 413) {
            problem = "64 KiB is within the limit";
        }
        if (problem != null) {
            failures.add(c.label() + " on " + c.path() + " (" + c.contentType() + "): " + problem + " -> " + r.status() + " "
                    + r.header("content-type") + " " + BodyCases.abbreviate(r.text()) + "\n    body: "
                    + BodyCases.abbreviate(BodyCases.escape(new String(c.body(), StandardCharsets.UTF_8))));
            return null;
        }
        return body;
    }

    private static byte[] chunked(byte[] body) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int at = 0; at < body.length; at += 8192) {
            int n = Math.min(8192, body.length - at);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, at, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
