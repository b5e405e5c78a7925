package dev.authgate.session;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

import dev.authgate.support.Management;
import dev.authgate.support.Api;
import dev.authgate.support.Jwe;
import dev.authgate.support.PostgresResource;
import dev.authgate.support.TestDatabase;

/** GET/DELETE auth/sessions for their owner, and GET/DELETE {table}/{id}/sessions for administrators. */
@QuarkusTest
class SessionsApiTest {

    private static String signup(String email, String agent) {
        return given().header("User-Agent", agent).contentType(ContentType.JSON)
                .body(Map.of("name", "Sessions", "email", email, "password", Api.PASSWORD))
                .post("/api:main/auth/signup").then().statusCode(200).extract().path("authToken");
    }

    private static String login(String group, String email, String password, String agent) {
        return given().header("User-Agent", agent).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", password))
                .post("/api:" + group + "/auth/login").then().statusCode(200).extract().path("authToken");
    }

    private static JsonPath sessions(String token) {
        return Api.bearer(token).get("/api:main/auth/sessions").then().statusCode(200).extract().jsonPath();
    }

    private static String jti(String token) {
        return (String) Jwe.decrypt(token).claims().get("jti");
    }

    private static String admin() {
        return login("staff", PostgresResource.ADMIN_EMAIL, PostgresResource.ADMIN_PASSWORD, "admin-console");
    }

    private static RequestSpecification as(String token) {
        return Api.bearer(token).contentType(ContentType.JSON);
    }

    private static void notFound(RequestSpecification r, String path) {
        r.delete(path).then().statusCode(404).body("code", equalTo("ERROR_CODE_NOT_FOUND")).body("payload", nullValue());
    }

    @Test
    void theCallerSeesItsLiveSessionsNewestFirstWithWhereTheyCameFrom() {
        String email = Api.uniqueEmail();
        long before = System.currentTimeMillis() - 1_000;
        String first = signup(email, "Phone/1.0");
        String second = login("main", email, Api.PASSWORD, "x".repeat(600));
        // an expired row not yet purged is not a live session
        TestDatabase.update("insert into auth_session (jti, dbtable, account_id, issued_at, expires_at) "
                + "select gen_random_uuid(), 'user', id, now() - interval '2 days', now() - interval '1 day' "
                + "from \"user\" where email = ?", email);

        JsonPath list = sessions(first);
        assertEquals(2, list.getList("$").size(), list.prettify());
        assertEquals(jti(second), list.getString("[0].id"), "newest first");
        assertEquals(jti(first), list.getString("[1].id"));
        assertFalse(list.getBoolean("[0].current"));
        assertTrue(list.getBoolean("[1].current"), "the caller's own");
        assertEquals("127.0.0.1", list.getString("[1].ip"));
        assertEquals("Phone/1.0", list.getString("[1].user_agent"));
        assertEquals("x".repeat(512), list.getString("[0].user_agent"), "cut at 512 characters");
        long created = list.getLong("[1].created_at");
        assertTrue(created >= before && created <= System.currentTimeMillis(), "epoch ms: " + created);
        // created_at to the millisecond; expires_at is the token's exp, whole seconds after its iat
        assertEquals(created / 1000 * 1000 + 86_400_000L, list.getLong("[1].expires_at"), "the table's 86400 s");
        assertEquals(Map.of("id", 0, "created_at", 0, "expires_at", 0, "ip", 0, "user_agent", 0, "current", 0).keySet(),
                list.getMap("[0]").keySet(), "nothing else");
        assertTrue(sessions(second).getBoolean("[0].current"));

        given().get("/api:main/auth/sessions").then().statusCode(401).body("code", equalTo("ERROR_CODE_UNAUTHORIZED"));
    }

    @Test
    void sessionsIssuedOutsideHttpShowNoOriginAndMayNeverExpire() {
        String email = Api.uniqueEmail();
        String token = signup(email, "a");
        TestDatabase.update("insert into auth_session (jti, dbtable, account_id) select gen_random_uuid(), 'user', id "
                + "from \"user\" where email = ?", email);
        JsonPath list = sessions(token);
        assertEquals(2, list.getList("$").size());
        Map<String, Object> bare = list.getList("$", Map.class).stream().filter(m -> !Boolean.TRUE.equals(m.get("current")))
                .findFirst().orElseThrow();
        assertEquals(null, bare.get("expires_at"));
        assertEquals(null, bare.get("ip"));
        assertEquals(null, bare.get("user_agent"));
    }

    @Test
    void anOwnerEndsOneOfItsSessionsAndNoOneElses() {
        String email = Api.uniqueEmail();
        String first = signup(email, "a");
        String second = login("main", email, Api.PASSWORD, "b");
        String stranger = signup(Api.uniqueEmail(), "c");

        notFound(Api.bearer(first), "/api:main/auth/sessions/" + jti(stranger));
        notFound(Api.bearer(first), "/api:main/auth/sessions/" + UUID.randomUUID());
        for (String bad : List.of("abc", "1-2-3-4-5", jti(second) + "0", "%20" + jti(second), "0")) {
            notFound(Api.bearer(first), "/api:main/auth/sessions/" + bad);
        }
        Api.bearer(stranger).get("/api:main/auth/me").then().statusCode(200);
        Api.bearer(second).get("/api:main/auth/me").then().statusCode(200);

        Api.bearer(first).delete("/api:main/auth/sessions/" + jti(second).toUpperCase()).then().statusCode(200)
                .body("revoked", equalTo(1));
        Api.bearer(second).get("/api:main/auth/me").then().statusCode(401);
        assertEquals(0, TestDatabase.scalar("select count(*) from auth_session where jti = ?::uuid", jti(second)));
        notFound(Api.bearer(first), "/api:main/auth/sessions/" + jti(second));
        Api.bearer(first).get("/api:main/auth/sessions").then().statusCode(200).body("$", hasSize(1));

        // its own current session too: that is a logout
        Api.bearer(first).delete("/api:main/auth/sessions/" + jti(first)).then().statusCode(200);
        Api.bearer(first).get("/api:main/auth/me").then().statusCode(401);
        given().delete("/api:main/auth/sessions/" + jti(stranger)).then().statusCode(401);
        Api.bearer(stranger).get("/api:main/auth/me").then().statusCode(200);
    }

    @Test
    void administratorsSeeAndEndARecordsSessions() {
        String email = Api.uniqueEmail();
        String first = signup(email, "a");
        String second = login("main", email, Api.PASSWORD, "b");
        long id = Api.bearer(first).get("/api:main/auth/me").then().extract().jsonPath().getLong("id");
        String admin = admin();

        JsonPath list = as(admin).get("/api:staff/user/" + id + "/sessions").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(jti(second), jti(first)), list.getList("id"));
        assertEquals(List.of(false, false), list.getList("current"));

        long adminId = as(admin).get("/api:staff/auth/me").then().statusCode(200).extract().jsonPath().getLong("id");
        as(admin).get("/api:staff/staff/" + adminId + "/sessions").then().statusCode(200)
                .body("find { it.id == '" + jti(admin) + "' }.current", equalTo(true));

        // the records API's rules: administrators only, managed tables only, existing records only
        as(first).get("/api:staff/user/" + id + "/sessions").then().statusCode(401);
        as(staffWithoutRole(admin)).get("/api:staff/user/" + id + "/sessions").then().statusCode(403)
                .body("code", equalTo("ERROR_CODE_ACCESS_DENIED"));
        as(staffWithoutRole(admin)).delete("/api:staff/user/" + id + "/sessions").then().statusCode(403);
        as(admin).get("/api:staff/nothing/" + id + "/sessions").then().statusCode(404).body("code", equalTo("ERROR_CODE_NOT_FOUND"));
        as(admin).get("/api:staff/customer/" + id + "/sessions").then().statusCode(404);
        as(admin).get("/api:staff/user/999999999/sessions").then().statusCode(404).body("message", equalTo("Record not found."));
        as(admin).get("/api:staff/user/abc/sessions").then().statusCode(404).body("code", equalTo("ERROR_CODE_NOT_FOUND"));
        notFound(as(admin), "/api:staff/user/999999999/sessions");
        Api.bearer(first).get("/api:main/auth/me").then().statusCode(200);

        as(admin).delete("/api:staff/user/" + id + "/sessions").then().statusCode(200).body("revoked", equalTo(2));
        Api.bearer(first).get("/api:main/auth/me").then().statusCode(401);
        Api.bearer(second).get("/api:main/auth/me").then().statusCode(401);
        as(admin).get("/api:staff/user/" + id + "/sessions").then().statusCode(200).body("$", hasSize(0));
        Api.login("main", email, Api.PASSWORD); // the account itself is untouched
    }

    @Test
    void theNewEndpointsHaveTheirOwnMetricSeries() {
        String token = signup(Api.uniqueEmail(), "m");
        sessions(token);
        notFound(Api.bearer(token), "/api:main/auth/sessions/" + UUID.randomUUID());
        as(admin()).get("/api:staff/user/1/sessions");
        given().get(Management.url("/metrics")).then().statusCode(200)
                .body(containsString("uri=\"/api:{group}/auth/sessions\""))
                .body(containsString("uri=\"/api:{group}/auth/sessions/{id}\""))
                .body(containsString("uri=\"/api:{group}/{table}/{id}/sessions\""));
    }

    private static String staffWithoutRole(String admin) {
        String email = Api.uniqueEmail();
        Map<String, Object> body = new HashMap<>(Map.of("name", "Staff", "email", email, "password", Api.PASSWORD));
        as(admin).body(body).post("/api:staff/staff").then().statusCode(200);
        return Api.login("staff", email, Api.PASSWORD);
    }
}
