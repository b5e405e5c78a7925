package dev.authgate.gate;

import java.util.HashMap;
import java.util.Map;

import io.restassured.http.ContentType;

import dev.authgate.support.Api;
import dev.authgate.support.PostgresResource;
import dev.authgate.support.TestDatabase;

/** Accounts for the gate's tests: tokens of users with a role or extras, and of the staff administrator. */
final class Callers {

    /** A user's token and record id. */
    record Caller(String token, long id) {
    }

    /** One account per kind and test run: bcrypt makes each signup and login cost; tokens stay valid. */
    private static final Map<String, Caller> MADE = new java.util.concurrent.ConcurrentHashMap<>();
    private static String staffAdmin;

    private Callers() {
    }

    static synchronized String staffAdmin() {
        if (staffAdmin == null) {
            staffAdmin = Api.login("staff", PostgresResource.ADMIN_EMAIL, PostgresResource.ADMIN_PASSWORD);
        }
        return staffAdmin;
    }

    /** A user of the table user (the same one for the same role and extras); role and extras set by the staff administrator. */
    static Caller user(String role, Map<String, Object> extras) {
        return MADE.computeIfAbsent(role + " " + extras, k -> make(role, extras));
    }

    private static Caller make(String role, Map<String, Object> extras) {
        String email = Api.uniqueEmail();
        String token = Api.signup(email);
        long id = TestDatabase.scalar("select id from \"user\" where email = ?", email);
        if (role == null && extras == null) {
            return new Caller(token, id);
        }
        Map<String, Object> body = new HashMap<>();
        if (role != null) {
            body.put("role", role);
        }
        if (extras != null) {
            body.put("extras", extras);
        }
        Api.bearer(staffAdmin()).contentType(ContentType.JSON).body(body).patch("/api:staff/user/" + id)
                .then().statusCode(200);
        return new Caller(Api.login("main", email, Api.PASSWORD), id);
    }
}
