package dev.authgate.account;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.authgate.support.Api;
import dev.authgate.support.Jwe;
import dev.authgate.support.PostgresResource;
import dev.authgate.support.Wait;

/**
 * Finding 2: logins in flight while an administrator removes a role or changes a password. Whatever the
 * interleaving, once the change has answered and the logins in flight have ended, no token from before the change
 * is accepted with what the change took away.
 */
@QuarkusTest
class LoginRevocationRaceTest {

    private static final int LOGGERS = 4;

    private static String admin() {
        return Api.login("staff", PostgresResource.ADMIN_EMAIL, PostgresResource.ADMIN_PASSWORD);
    }

    /** A staff administrator who logs in again and again while {@code change} runs; the tokens it got. */
    private static List<String> loginsDuring(String email, String password, Runnable change) throws Exception {
        List<String> tokens = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(LOGGERS);
        for (int i = 0; i < LOGGERS; i++) {
            pool.submit(() -> {
                while (!stop.get()) {
                    var r = given().contentType(ContentType.JSON).body(Map.of("email", email, "password", password))
                            .post("/api:staff/auth/login");
                    if (r.statusCode() == 200) {
                        tokens.add(r.path("authToken"));
                    }
                }
            });
        }
        // every logger has finished a login and started the next: logins are in flight while the change runs
        Wait.until("every logger logged in once", () -> tokens.size() >= LOGGERS);
        change.run();
        stop.set(true);
        pool.shutdown();
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
        assertTrue(tokens.size() >= LOGGERS, "logins ran: " + tokens.size());
        return tokens;
    }

    private static long newAdministrator(String admin, String email) {
        return ((Number) Api.bearer(admin).contentType(ContentType.JSON)
                .body(Map.of("name", "Demoted", "email", email, "password", Api.PASSWORD, "role", "administrator"))
                .post("/api:staff/staff").then().statusCode(200).extract().path("id")).longValue();
    }

    @Test
    void aRoleRemovalLeavesNoAdministratorTokenAlive() throws Exception {
        String admin = admin();
        String email = Api.uniqueEmail();
        long id = newAdministrator(admin, email);
        List<String> tokens = loginsDuring(email, Api.PASSWORD, () -> Api.bearer(admin).contentType(ContentType.JSON)
                .body("{\"role\":null}").patch("/api:staff/staff/" + id).then().statusCode(200));
        int accepted = 0;
        for (String token : tokens) {
            if (Api.bearer(token).get("/api:staff/auth/me").statusCode() == 200) {
                accepted++;
                Map<?, ?> extras = (Map<?, ?>) Jwe.decrypt(token).claims().get("extras");
                assertEquals(null, extras.get("role"), "a token still alive carries the removed role");
                Api.bearer(token).get("/api:staff/user").then().statusCode(403);
            }
        }
        System.out.printf("LoginRevocationRaceTest: %d logins around a role removal, %d alive after, none an administrator%n",
                tokens.size(), accepted);
    }

    @Test
    void aPasswordChangeLeavesNoTokenOfTheOldPasswordAlive() throws Exception {
        String admin = admin();
        String email = Api.uniqueEmail();
        long id = newAdministrator(admin, email);
        List<String> tokens = loginsDuring(email, Api.PASSWORD, () -> Api.bearer(admin).contentType(ContentType.JSON)
                .body(Map.of("password", "a brand new password")).patch("/api:staff/staff/" + id).then().statusCode(200));
        long alive = tokens.stream().filter(t -> Api.bearer(t).get("/api:staff/auth/me").statusCode() == 200).count();
        assertEquals(0, alive, "of " + tokens.size() + " tokens got with the old password");
    }
}
