package dev.authgate.session;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import dev.authgate.account.AuthTables;
import dev.authgate.support.Api;
import dev.authgate.support.PostgresResource;
import dev.authgate.support.TestDatabase;
import dev.authgate.support.Wait;
import dev.authgate.token.Auth;
import dev.authgate.token.TokenService;

/**
 * The session cache on one replica: every kind of change is seen by the very next request (the writer drops its
 * own entries at commit), changes made outside the service reach it through the triggers and LISTEN, and a lost
 * listening connection flushes and bypasses it until it is back.
 */
@QuarkusTest
class SessionCacheTest {

    @Inject
    SessionCache cache;
    @Inject
    TokenService tokens;
    @Inject
    AuthTables tables;

    private record Pair(String email, String first, String second) {
    }

    @BeforeEach
    void listening() {
        Wait.until("the listener is up", cache::trusted);
    }

    private static Pair twoTokens() {
        String email = Api.uniqueEmail();
        return new Pair(email, Api.signup(email), Api.login("main", email, Api.PASSWORD));
    }

    /** Two me calls: the first loads the session, the second must come from memory. */
    private void warm(String token) {
        me(token, 200);
        me(token, 200);
        assertNotNull(cached(token), "the session is in the cache");
    }

    private Object cached(String token) {
        try {
            Auth auth = tokens.read(token);
            return cache.cached(tables.byName(auth.dbtable()).orElseThrow(), auth);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static long id(String token) {
        return Api.bearer(token).get("/api:main/auth/me").then().statusCode(200).extract().jsonPath().getLong("id");
    }

    private static void me(String token, int status) {
        Api.bearer(token).get("/api:main/auth/me").then().statusCode(status);
    }

    private static void logout(String token, String scope) {
        Api.bearer(token).contentType(ContentType.JSON).body(Map.of("scope", scope)).post("/api:main/auth/logout")
                .then().statusCode(200);
    }

    private static RequestSpecification admin() {
        return Api.bearer(Api.login("staff", PostgresResource.ADMIN_EMAIL, PostgresResource.ADMIN_PASSWORD))
                .contentType(ContentType.JSON);
    }

    @Test
    void logoutLocalIsSeenByTheNextRequest() {
        Pair p = twoTokens();
        warm(p.first());
        warm(p.second());
        logout(p.first(), "local");
        me(p.first(), 401);
        me(p.second(), 200);
        assertNull(cached(p.first()));
    }

    @Test
    void logoutGlobalAndOthersAreSeenByTheNextRequest() {
        Pair p = twoTokens();
        warm(p.first());
        warm(p.second());
        logout(p.first(), "others");
        me(p.second(), 401);
        me(p.first(), 200);
        Pair q = twoTokens();
        warm(q.first());
        warm(q.second());
        logout(q.first(), "global");
        me(q.first(), 401);
        me(q.second(), 401);
    }

    @Test
    void passwordChangeIsSeenByTheNextRequest() {
        Pair p = twoTokens();
        warm(p.first());
        warm(p.second());
        Api.bearer(p.first()).contentType(ContentType.JSON)
                .body(Map.of("current_password", Api.PASSWORD, "new_password", "another password"))
                .post("/api:main/auth/password").then().statusCode(200).body("revoked", equalTo(1));
        me(p.second(), 401);
        me(p.first(), 200);
    }

    @Test
    void administratorsChangesAreSeenByTheNextRequest() {
        Pair p = twoTokens();
        long id = id(p.first());
        warm(p.first());
        admin().body(Map.of("name", "Renamed By Admin")).patch("/api:staff/user/" + id).then().statusCode(200);
        Api.bearer(p.first()).get("/api:main/auth/me").then().statusCode(200).body("name", equalTo("Renamed By Admin"));
        warm(p.first());
        admin().body(Map.of("email", "renamed-" + p.email())).patch("/api:staff/user/" + id).then().statusCode(200);
        Api.bearer(p.first()).get("/api:main/auth/me").then().statusCode(200).body("email", equalTo("renamed-" + p.email()));

        warm(p.second());
        admin().body(Map.of("role", "editor")).patch("/api:staff/user/" + id).then().statusCode(200);
        me(p.first(), 401);
        me(p.second(), 401);

        Pair q = twoTokens();
        warm(q.first());
        admin().delete("/api:staff/user/" + id(q.first())).then().statusCode(200);
        me(q.first(), 401);
    }

    /** Not through the service: only the triggers and the listener can tell the cache. */
    @Test
    void changesMadeInSqlReachTheCacheThroughNotifications() {
        Pair p = twoTokens();
        long id = id(p.first());
        warm(p.first());
        warm(p.second());
        TestDatabase.update("update \"user\" set name = 'Renamed In SQL' where id = ?", id);
        Wait.until("me shows the name written in SQL", () -> "Renamed In SQL".equals(
                Api.bearer(p.first()).get("/api:main/auth/me").then().statusCode(200).extract().path("name")));
        String jti = tokensJti(p.second());
        TestDatabase.update("delete from auth_session where jti = ?::uuid", jti);
        Wait.until("a session deleted in SQL ends",
                () -> Api.bearer(p.second()).get("/api:main/auth/me").statusCode() == 401);
        me(p.first(), 200);
    }

    @Test
    void everyAuthTableNotifiesAlsoOnesCreatedAfterTheMigration() {
        for (String table : new String[] { "user", "staff", "customer" }) {
            assertEquals(1, TestDatabase.scalar("select count(*) from pg_trigger where tgrelid = ?::regclass "
                    + "and tgname = 'authgate_record_changed'", '"' + table + '"'), table);
        }
    }

    /**
     * The listening connection killed: revocations committed while it is down (here in SQL, as another replica would)
     * are never accepted afterwards, and the cache is used again once the listener is back.
     */
    @Test
    void aLostListenerFlushesTheCacheAndBypassesItUntilItIsBack() {
        Pair p = twoTokens();
        Pair q = twoTokens();
        warm(p.first());
        warm(p.second());
        warm(q.first());
        String listener = SessionListener.applicationName();
        long pid = TestDatabase.scalar("select pid from pg_stat_activity where application_name = ?", listener);
        assertEquals(1, TestDatabase.scalar("select count(*) from pg_stat_activity where application_name = ?", listener));

        // revoked at once, before this replica can have noticed the loss
        TestDatabase.scalar("select count(*) from (select pg_terminate_backend(?)) t", (int) pid);
        TestDatabase.update("delete from auth_session where jti = ?::uuid", tokensJti(p.first()));
        Wait.until("the cache is bypassed", () -> !cache.trusted());
        assertNull(cached(q.first()), "flushed");
        // revoked while it is surely down
        TestDatabase.update("delete from auth_session where jti = ?::uuid", tokensJti(p.second()));
        me(p.first(), 401);
        me(p.second(), 401);
        me(q.first(), 200); // from PostgreSQL
        if (!cache.trusted()) { // not reconnected meanwhile
            assertEquals(0, cache.size(), "nothing is cached while nothing is heard");
        }

        Wait.until("the listener reconnects", cache::trusted);
        long again = TestDatabase.scalar("select pid from pg_stat_activity where application_name = ?", listener);
        assertTrue(again != pid, "a new connection");
        me(p.first(), 401);
        me(p.second(), 401);
        warm(q.first());
        TestDatabase.update("delete from auth_session where jti = ?::uuid", tokensJti(q.first()));
        Wait.until("notifications are heard again",
                () -> Api.bearer(q.first()).get("/api:main/auth/me").statusCode() == 401);
        assertFalse(cached(q.first()) != null);
    }

    private String tokensJti(String token) {
        try {
            return tokens.read(token).jti().toString();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
