package dev.authgate.http;

import static dev.authgate.support.OperatorProfile.OPERATOR_KEY;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import dev.authgate.support.Api;
import dev.authgate.support.Jwe;
import dev.authgate.support.OperatorProfile;
import dev.authgate.support.PostgresResource;
import dev.authgate.support.TestDatabase;

/** The administrators' records API, role and extras preconditions, and quick test tokens. */
@QuarkusTest
@TestProfile(OperatorProfile.class)
public class RecordsTest {

    private static String admin() {
        return Api.login("staff", PostgresResource.ADMIN_EMAIL, PostgresResource.ADMIN_PASSWORD);
    }

    private static RequestSpecification as(String token) {
        return Api.bearer(token).contentType(ContentType.JSON);
    }

    /** Creates a staff member with a role (or none) and logs in as them. */
    private static String staffWithRole(String role) {
        String email = Api.uniqueEmail();
        Map<String, Object> body = new HashMap<>(Map.of("name", "Staff", "email", email, "password", Api.PASSWORD));
        if (role != null) {
            body.put("role", role);
        }
        as(admin()).body(body).post("/api:staff/staff").then().statusCode(200);
        return Api.login("staff", email, Api.PASSWORD);
    }

    @Test
    void onlyAdministratorsReachRecords() {
        as(admin()).get("/api:staff/user").then().statusCode(200);
        as(staffWithRole("support")).get("/api:staff/user").then().statusCode(403).body("code", equalTo("ERROR_CODE_ACCESS_DENIED"));
        as(staffWithRole(null)).get("/api:staff/user").then().statusCode(403).body("code", equalTo("ERROR_CODE_ACCESS_DENIED"));
        given().get("/api:staff/user").then().statusCode(401).body("code", equalTo("ERROR_CODE_UNAUTHORIZED"));
        // a user token belongs to another table than the staff group's
        as(Api.signup(Api.uniqueEmail())).get("/api:staff/user").then().statusCode(401);
        // tables the group does not manage, and unknown tables, do not exist
        as(admin()).get("/api:staff/nothing").then().statusCode(404).body("code", equalTo("ERROR_CODE_NOT_FOUND"));
    }

    @Test
    void rolesAndOtherExtrasArePreconditions() {
        String support = staffWithRole("support");
        as(support).get("/probe/support").then().statusCode(200);
        as(admin()).get("/probe/support").then().statusCode(403).body("code", equalTo("ERROR_CODE_ACCESS_DENIED"));
        given().get("/probe/support").then().statusCode(401);

        String email = Api.uniqueEmail();
        String token = Api.signup(email);
        as(token).get("/probe/tenant").then().statusCode(403).body("code", equalTo("ERROR_CODE_ACCESS_DENIED"));
        long id = TestDatabase.scalar("select id from \"user\" where email = ?", email);
        as(admin()).body(Map.of("extras", Map.of("tenant", 7, "verified", true))).patch("/api:staff/user/" + id)
                .then().statusCode(200).body("extras.tenant", equalTo(7));
        String again = Api.login("main", email, Api.PASSWORD);
        as(again).get("/probe/tenant").then().statusCode(200);
        as(again).get("/probe/verified").then().statusCode(200);
        as(admin()).body(Map.of("extras", Map.of("tenant", 8))).patch("/api:staff/user/" + id).then().statusCode(200);
        as(Api.login("main", email, Api.PASSWORD)).get("/probe/tenant").then().statusCode(403);
    }

    @Test
    void pagingOnZeroOneAndSeveralPages() {
        String admin = admin();
        as(admin).get("/api:staff/customer").then().statusCode(200)
                .body("items", equalTo(List.of())).body("itemsReceived", equalTo(0)).body("curPage", equalTo(1))
                .body("nextPage", nullValue()).body("prevPage", nullValue()).body("offset", equalTo(0))
                .body("itemsTotal", equalTo(0)).body("pageTotal", equalTo(0));
        for (int i = 0; i < 5; i++) {
            as(admin).body(Map.of("name", "C" + i, "email", Api.uniqueEmail(), "password", Api.PASSWORD))
                    .post("/api:staff/customer").then().statusCode(200);
            if (i == 0) {
                as(admin).get("/api:staff/customer").then().statusCode(200).body("itemsReceived", equalTo(1))
                        .body("pageTotal", equalTo(1)).body("nextPage", nullValue()).body("items[0].name", equalTo("C0"));
            }
        }
        as(admin).get("/api:staff/customer?page=1&per_page=2").then().statusCode(200)
                .body("itemsReceived", equalTo(2)).body("curPage", equalTo(1)).body("nextPage", equalTo(2))
                .body("prevPage", nullValue()).body("offset", equalTo(0)).body("itemsTotal", equalTo(5))
                .body("pageTotal", equalTo(3)).body("items.name", equalTo(List.of("C0", "C1")));
        as(admin).get("/api:staff/customer?page=2&per_page=2").then().statusCode(200)
                .body("curPage", equalTo(2)).body("nextPage", equalTo(3)).body("prevPage", equalTo(1))
                .body("offset", equalTo(2)).body("items.name", equalTo(List.of("C2", "C3")));
        as(admin).get("/api:staff/customer?page=3&per_page=2").then().statusCode(200)
                .body("itemsReceived", equalTo(1)).body("nextPage", nullValue()).body("prevPage", equalTo(2))
                .body("items[0]", not(hasKey("password_hash")));
        as(admin).get("/api:staff/customer?page=0").then().statusCode(400).body("payload.param", equalTo("page"));
        as(admin).get("/api:staff/customer?per_page=abc").then().statusCode(400).body("payload.param", equalTo("per_page"));
        as(admin).get("/api:staff/customer?per_page=1000").then().statusCode(400).body("payload.param", equalTo("per_page"));
        // the third table works end to end: its own group, signup, me
        String customer = Api.signup("crm", Api.uniqueEmail(), Api.PASSWORD);
        Api.bearer(customer).get("/api:crm/auth/me").then().statusCode(200);
        assertEquals("customer", Jwe.decrypt(customer).claims().get("dbtable"));
    }

    @Test
    void createReadUpdateDelete() {
        String admin = admin();
        String email = Api.uniqueEmail();
        int id = as(admin).body(Map.of("name", "Made", "email", " " + email.toUpperCase(), "password", Api.PASSWORD,
                "role", "editor", "extras", Map.of("tenant", 3)))
                .post("/api:staff/user").then().statusCode(200)
                .body("email", equalTo(email)).body("role", equalTo("editor")).body("extras.tenant", equalTo(3))
                .body("$", not(hasKey("password_hash"))).body("$", not(hasKey("password")))
                .extract().path("id");
        assertTrue(TestDatabase.text("select password_hash from \"user\" where id = ?", (long) id).startsWith("$2a$"));
        as(admin).get("/api:staff/user/" + id).then().statusCode(200).body("name", equalTo("Made"));

        // the token carries role and extras
        String token = Api.login("main", email, Api.PASSWORD);
        assertEquals(Map.of("tenant", 3L, "role", "editor"), normalize(Jwe.decrypt(token).claims().get("extras")));

        // duplicate emails are 403 on create and on update, and change nothing
        String other = Api.uniqueEmail();
        Api.signup(other);
        as(admin).body(Map.of("name", "Dup", "email", other, "password", Api.PASSWORD)).post("/api:staff/user")
                .then().statusCode(403).body("message", equalTo("This account is already in use."));
        as(admin).body(Map.of("email", other)).patch("/api:staff/user/" + id)
                .then().statusCode(403).body("message", equalTo("This account is already in use."));
        assertEquals(email, TestDatabase.text("select email from \"user\" where id = ?", (long) id));

        // a new password: the old one stops working, the new one logs in, and the old tokens end
        as(admin).body(Map.of("password", "a brand new password")).patch("/api:staff/user/" + id).then().statusCode(200);
        Api.bearer(token).get("/api:main/auth/me").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", Api.PASSWORD))
                .post("/api:main/auth/login").then().statusCode(403);
        String renewed = Api.login("main", email, "a brand new password");

        // a role change ends tokens; clearing the role with null works; a name change does not end tokens
        as(admin).body(Map.of("name", "Renamed")).patch("/api:staff/user/" + id).then().statusCode(200).body("name", equalTo("Renamed"));
        Api.bearer(renewed).get("/api:main/auth/me").then().statusCode(200).body("name", equalTo("Renamed"));
        as(admin).body("{\"role\": null}").patch("/api:staff/user/" + id).then().statusCode(200).body("role", nullValue());
        Api.bearer(renewed).get("/api:main/auth/me").then().statusCode(401);

        // oversized extras are refused
        as(admin).body(Map.of("extras", Map.of("blob", "x".repeat(5000)))).patch("/api:staff/user/" + id)
                .then().statusCode(400).body("payload.param", equalTo("extras"));
        as(admin).body(Map.of("extras", "not an object")).patch("/api:staff/user/" + id)
                .then().statusCode(400).body("payload.param", equalTo("extras"));

        // delete: the row, its sessions and its tokens go
        String last = Api.login("main", email, "a brand new password");
        as(admin).delete("/api:staff/user/" + id).then().statusCode(200).body(equalTo("null"));
        assertEquals(0, TestDatabase.scalar("select count(*) from \"user\" where id = ?", (long) id));
        assertEquals(0, TestDatabase.scalar("select count(*) from auth_session where dbtable = 'user' and account_id = ?", (long) id));
        Api.bearer(last).get("/api:main/auth/me").then().statusCode(401);
        as(admin).get("/api:staff/user/" + id).then().statusCode(404).body("code", equalTo("ERROR_CODE_NOT_FOUND"));
        as(admin).delete("/api:staff/user/" + id).then().statusCode(404);
        as(admin).get("/api:staff/user/not-a-number").then().statusCode(404);
        as(admin).body(Map.of("name", "No password", "email", Api.uniqueEmail())).post("/api:staff/user")
                .then().statusCode(400).body("payload.param", equalTo("password"));
    }

    /** A role inside extras would act as a hidden role that clearing the role leaves in place. */
    @Test
    void extrasCannotHoldARole() {
        String email = Api.uniqueEmail();
        as(admin()).body(Map.of("name", "X", "email", email, "password", Api.PASSWORD,
                "extras", Map.of("role", "administrator"))).post("/api:staff/user")
                .then().statusCode(400).body("payload.param", equalTo("extras"));
        assertEquals(0, TestDatabase.scalar("select count(*) from \"user\" where email = ?", email));
    }

    /** Page 2147483647 used to overflow the offset into a 500: it is a page past the end. */
    @Test
    void aPageFarPastTheEndIsEmpty() {
        as(admin()).get("/api:staff/user?page=2147483647&per_page=100").then().statusCode(200)
                .body("items.size()", equalTo(0)).body("curPage", equalTo(2147483647)).body("nextPage", nullValue());
        as(admin()).get("/api:staff/user?page=2147483648").then().statusCode(400).body("payload.param", equalTo("page"));
    }

    @Test
    void quickTokensNeedTheOperatorKeyAndCarryNoExtras() {
        String email = Api.uniqueEmail();
        Api.signup(email);
        long id = TestDatabase.scalar("select id from \"user\" where email = ?", email);
        as(admin()).body(Map.of("role", "editor")).patch("/api:staff/user/" + id).then().statusCode(200);

        given().contentType(ContentType.JSON).body(Map.of("id", id)).post("/api:main/auth/quick-token")
                .then().statusCode(404).body("code", equalTo("ERROR_CODE_NOT_FOUND"));
        given().header("X-Authgate-Operator-Key", "wrong").contentType(ContentType.JSON).body(Map.of("id", id))
                .post("/api:main/auth/quick-token").then().statusCode(404);

        String token = given().header("X-Authgate-Operator-Key", OPERATOR_KEY).contentType(ContentType.JSON)
                .body(Map.of("id", id, "expiration", 3600)).post("/api:main/auth/quick-token")
                .then().statusCode(200).extract().path("authToken");
        var claims = Jwe.decrypt(token).claims();
        assertEquals(Map.of(), claims.get("extras"), "no extras, not even the role");
        assertEquals(((Number) claims.get("iat")).longValue() + 3600, ((Number) claims.get("exp")).longValue());
        Api.bearer(token).get("/api:main/auth/me").then().statusCode(200).body("email", equalTo(email));

        String forever = given().header("X-Authgate-Operator-Key", OPERATOR_KEY).contentType(ContentType.JSON)
                .body(Map.of("id", id, "expiration", 0)).post("/api:main/auth/quick-token")
                .then().statusCode(200).extract().path("authToken");
        assertFalse(Jwe.decrypt(forever).claims().containsKey("exp"));

        given().header("X-Authgate-Operator-Key", OPERATOR_KEY).contentType(ContentType.JSON)
                .body(Map.of("id", 999_999_999)).post("/api:main/auth/quick-token").then().statusCode(404);
        given().header("X-Authgate-Operator-Key", OPERATOR_KEY).contentType(ContentType.JSON)
                .body(Map.of("expiration", 10)).post("/api:main/auth/quick-token").then().statusCode(400)
                .body("payload.param", equalTo("id"));
        // an expiration past any valid time used to be a 500
        given().header("X-Authgate-Operator-Key", OPERATOR_KEY).contentType(ContentType.JSON)
                .body(Map.of("id", id, "expiration", 999_999_999_999_999_999L)).post("/api:main/auth/quick-token")
                .then().statusCode(400).body("payload.param", equalTo("expiration"));
    }

    /** Jackson reads small numbers as Integer, Nimbus as Long: compare on longs. */
    private static Map<String, Object> normalize(Object extras) {
        Map<String, Object> out = new HashMap<>();
        ((Map<?, ?>) extras).forEach((k, v) -> out.put((String) k, v instanceof Number n ? n.longValue() : v));
        return out;
    }
}
