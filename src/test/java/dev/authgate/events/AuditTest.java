package dev.authgate.events;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.authgate.support.Api;
import dev.authgate.support.AuditSecrets;
import dev.authgate.support.PostgresResource;
import dev.authgate.support.TestDatabase;

/** The audit trail: rows written with their change, who and from where, the records API's paging, no secrets. */
@QuarkusTest
@TestMethodOrder(MethodOrderer.MethodName.class)
class AuditTest {


    @Inject
    Audit audit;

    private static String admin() {
        return Api.login("staff", PostgresResource.ADMIN_EMAIL, PostgresResource.ADMIN_PASSWORD);
    }

    private static long id(String email) {
        return TestDatabase.scalar("select id from \"user\" where email = ?", email);
    }

    private static long rows(String sql, Object... params) {
        return TestDatabase.scalar("select count(*) from auth_audit where " + sql, params);
    }

    @Test
    void signInEventsAreRowsWithWhereFrom() {
        String email = Api.uniqueEmail();
        given().contentType(ContentType.JSON).header("User-Agent", "audit-test/1")
                .body(Map.of("name", "A", "email", email, "password", Api.PASSWORD))
                .post("/api:main/auth/signup").then().statusCode(200);
        long id = id(email);
        assertEquals(1, rows("dbtable = 'user' and account_id = ? and event = 'signup' and outcome = 'ok' "
                + "and user_agent = 'audit-test/1' and ip is not null and actor_id is null", id));
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", "wrong password here"))
                .post("/api:main/auth/login").then().statusCode(403);
        assertEquals(1, rows("account_id = ? and event = 'login' and outcome = 'failed' and detail->>'reason' = "
                + "'credentials'", id));
        String token = Api.login("main", email, Api.PASSWORD);
        assertEquals(1, rows("account_id = ? and event = 'login' and outcome = 'ok'", id));
        Api.bearer(token).contentType(ContentType.JSON).body(Map.of("scope", "local"))
                .post("/api:main/auth/logout").then().statusCode(200);
        // the caller's own session is the row's session; the actor is only kept for someone else's change
        assertEquals(1, rows("account_id = ? and event = 'logout' and session is not null and actor_id is null "
                + "and detail->>'scope' = 'local' and detail->>'sessions' = '1'", id));
    }

    @Test
    void aRolledBackChangeLeavesNoEvent() {
        String email = Api.uniqueEmail();
        Api.signup(email);
        long id = id(email);
        assertThrows(IllegalStateException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            audit.ok(AuditEvent.PASSWORD_CHANGED, "user", id);
            throw new IllegalStateException("the change fails after its event");
        }));
        assertEquals(0, rows("account_id = ? and event = 'password.changed'", id));
    }

    @Test
    void administratorsChangesNameTheActorAndAreReadThroughPaging() {
        String email = Api.uniqueEmail();
        Api.signup(email);
        long id = id(email);
        String admin = admin();
        long adminId = TestDatabase.scalar("select id from staff where email = ?", PostgresResource.ADMIN_EMAIL);
        Api.bearer(admin).contentType(ContentType.JSON).body(Map.of("role", "editor", "password", "a new password 1"))
                .patch("/api:staff/user/" + id).then().statusCode(200);
        assertEquals(1, rows("account_id = ? and event = 'record.changed' and actor_table = 'staff' and actor_id = ? "
                + "and detail->>'role' = 'editor'", id, adminId));

        Api.bearer(admin).queryParam("table", "user").queryParam("id", id).get("/api:staff/audit")
                .then().statusCode(200)
                .body("items", hasSize(2)) // newest first
                .body("items[0].event", equalTo("record.changed"))
                .body("items[0].actor_table", equalTo("staff"))
                .body("items[0].detail.fields", hasItem("password"))
                .body("items[1].event", equalTo("signup"))
                .body("itemsTotal", equalTo(2)).body("curPage", equalTo(1));
        Api.bearer(admin).queryParam("event", "record.changed").queryParam("per_page", 1).get("/api:staff/audit")
                .then().statusCode(200).body("items", hasSize(1)).body("items.event", everyItem(equalTo("record.changed")))
                .body("itemsTotal", greaterThanOrEqualTo(1));
        Api.bearer(admin).queryParam("since", "2999-01-01T00:00:00Z").get("/api:staff/audit")
                .then().statusCode(200).body("items", hasSize(0)).body("itemsTotal", equalTo(0));
        Api.bearer(admin).queryParam("since", System.currentTimeMillis() - 60_000).queryParam("table", "user")
                .queryParam("id", id).get("/api:staff/audit").then().statusCode(200).body("itemsTotal", equalTo(2));
    }

    @Test
    void wrongFiltersAreInputErrorsAndOthersAreKeptOut() {
        String admin = admin();
        Api.bearer(admin).queryParam("event", "no.such.event").get("/api:staff/audit")
                .then().statusCode(400).body("code", equalTo("ERROR_CODE_INPUT_ERROR"))
                .body("payload.param", equalTo("event"));
        Api.bearer(admin).queryParam("since", "yesterday").get("/api:staff/audit")
                .then().statusCode(400).body("payload.param", equalTo("since"));
        Api.bearer(admin).queryParam("id", "x").get("/api:staff/audit")
                .then().statusCode(400).body("payload.param", equalTo("id"));
        Api.bearer(admin).queryParam("per_page", "1000").get("/api:staff/audit")
                .then().statusCode(400).body("payload.param", equalTo("per_page"));
        Api.bearer(admin).queryParam("table", "nothing").get("/api:staff/audit")
                .then().statusCode(404).body("code", equalTo("ERROR_CODE_NOT_FOUND"));
        Api.bearer(Api.signup(Api.uniqueEmail())).get("/api:staff/audit").then().statusCode(401);
        Api.bearer(Api.signup(Api.uniqueEmail())).get("/api:main/audit").then().statusCode(403);
        given().get("/api:staff/audit").then().statusCode(401);
    }

    /**
     * Every row written so far by the suite (this JVM's database): no password, token or code it used. Runs last in
     * its class by name, and reads every row, whoever wrote it.
     */
    @Test
    void zzNoRowHoldsASecret() throws Exception {
        String email = Api.uniqueEmail();
        String token = Api.signup(email);
        Api.bearer(token).contentType(ContentType.JSON)
                .body(Map.of("current_password", Api.PASSWORD, "new_password", "another secret 123"))
                .post("/api:main/auth/password").then().statusCode(200);
        List<String> found;
        try (var c = TestDatabase.connect()) {
            found = AuditSecrets.scan(c, List.of(token)).found();
        }
        assertFalse(rows("true") == 0);
        assertEquals(List.of(), found);
    }
}
