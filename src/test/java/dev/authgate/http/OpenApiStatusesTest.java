package dev.authgate.http;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import dev.authgate.support.Management;
import dev.authgate.support.Api;
import dev.authgate.support.PostgresResource;

/**
 * The OpenAPI document tells the truth about statuses: every status an endpoint answers below is listed for its
 * operation, and every status listed is answered here — except those provoked elsewhere ({@link #ELSEWHERE}).
 */
@QuarkusTest
@TestProfile(OpenApiStatusesTest.QuickTokensOn.class)
class OpenApiStatusesTest {

    static final String OPERATOR_KEY = "operator-key-for-the-openapi-test";

    public static class QuickTokensOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("authgate.quick-tokens.secret", OPERATOR_KEY);
        }
    }

    private static RequestSpecification operator() {
        return json().header("X-Authgate-Operator-Key", OPERATOR_KEY);
    }

    /** Statuses that need a throttle window or a database outage: proven by ThrottleTest and DatabaseOutageIT. */
    private static final Set<String> ELSEWHERE = Set.of("429", "503");
    private static final String BIG = "{\"name\":\"" + "x".repeat(70 * 1024) + "\"}";

    private record Case(String method, String path, int status, Supplier<Response> call) {
    }

    private static RequestSpecification json() {
        return given().contentType(ContentType.JSON);
    }

    private static RequestSpecification as(String token) {
        return Api.bearer(token).contentType(ContentType.JSON);
    }

    @Test
    void everyStatusAnEndpointAnswersIsDocumentedAndEveryDocumentedOneIsAnswered() {
        String email = Api.uniqueEmail();
        String user = Api.signup(email);
        String admin = Api.login("staff", PostgresResource.ADMIN_EMAIL, PostgresResource.ADMIN_PASSWORD);
        long id = ((Number) as(admin).body(Map.of("name", "R", "email", Api.uniqueEmail(), "password", Api.PASSWORD))
                .post("/api:staff/user").then().statusCode(200).extract().path("id")).longValue();
        String signup = "/api:{group}/auth/signup";
        String login = "/api:{group}/auth/login";
        String me = "/api:{group}/auth/me";
        String token = "/api:{group}/auth/token";
        String logout = "/api:{group}/auth/logout";
        String password = "/api:{group}/auth/password";
        String quick = "/api:{group}/auth/quick-token";
        String table = "/api:{group}/{table}";
        String record = "/api:{group}/{table}/{id}";
        List<Case> cases = List.of(
                new Case("post", signup, 200, () -> json().body(Map.of("name", "N", "email", Api.uniqueEmail(),
                        "password", Api.PASSWORD)).post("/api:main/auth/signup")),
                new Case("post", signup, 400, () -> json().body("{}").post("/api:main/auth/signup")),
                new Case("post", signup, 401, () -> as("garbage").body("{}").post("/api:main/auth/signup")),
                new Case("post", signup, 403, () -> json().body(Map.of("name", "N", "email", email,
                        "password", Api.PASSWORD)).post("/api:main/auth/signup")),
                new Case("post", signup, 404, () -> json().body("{}").post("/api:nope/auth/signup")),
                new Case("post", signup, 413, () -> json().body(BIG).post("/api:main/auth/signup")),
                new Case("post", login, 200, () -> json().body(Map.of("email", email, "password", Api.PASSWORD))
                        .post("/api:main/auth/login")),
                new Case("post", login, 400, () -> json().body("[]").post("/api:main/auth/login")),
                new Case("post", login, 401, () -> as("garbage").body("{}").post("/api:main/auth/login")),
                new Case("post", login, 403, () -> json().body(Map.of("email", email, "password", "wrong password"))
                        .post("/api:main/auth/login")),
                new Case("post", login, 404, () -> json().body("{}").post("/api:main:v9/auth/login")),
                new Case("post", login, 413, () -> json().body(BIG).post("/api:main/auth/login")),
                new Case("get", me, 200, () -> as(user).get("/api:main/auth/me")),
                new Case("get", me, 401, () -> given().get("/api:main/auth/me")),
                new Case("get", me, 404, () -> as(user).get("/api:nope/auth/me")),
                new Case("get", token, 200, () -> as(user).get("/api:main/auth/token")),
                new Case("get", token, 401, () -> given().get("/api:main/auth/token")),
                new Case("get", token, 404, () -> given().get("/api:nope/auth/token")),
                new Case("post", logout, 400, () -> as(user).body(Map.of("scope", "all")).post("/api:main/auth/logout")),
                new Case("post", logout, 401, () -> given().post("/api:main/auth/logout")),
                new Case("post", logout, 404, () -> given().post("/api:nope/auth/logout")),
                new Case("post", logout, 413, () -> as(user).body(BIG).post("/api:main/auth/logout")),
                new Case("post", logout, 200, () -> as(Api.login("main", email, Api.PASSWORD)).body("{}")
                        .post("/api:main/auth/logout")),
                new Case("post", password, 400, () -> as(user).body("{}").post("/api:main/auth/password")),
                new Case("post", password, 401, () -> given().post("/api:main/auth/password")),
                new Case("post", password, 403, () -> as(user).body(Map.of("current_password", "not it at all",
                        "new_password", "another password")).post("/api:main/auth/password")),
                new Case("post", password, 404, () -> given().post("/api:nope/auth/password")),
                new Case("post", password, 413, () -> as(user).body(BIG).post("/api:main/auth/password")),
                new Case("post", password, 200, () -> as(user).body(Map.of("current_password", Api.PASSWORD,
                        "new_password", Api.PASSWORD)).post("/api:main/auth/password")),
                new Case("post", quick, 200, () -> operator().body(Map.of("id", id)).post("/api:main/auth/quick-token")),
                new Case("post", quick, 400, () -> operator().body("{}").post("/api:main/auth/quick-token")),
                new Case("post", quick, 404, () -> json().body(Map.of("id", id)).post("/api:main/auth/quick-token")),
                new Case("post", quick, 413, () -> operator().body(BIG).post("/api:main/auth/quick-token")),
                new Case("post", quick, 401, () -> as("garbage").body("{}").post("/api:main/auth/quick-token")),
                new Case("get", table, 200, () -> as(admin).get("/api:staff/user")),
                new Case("get", table, 400, () -> as(admin).get("/api:staff/user?page=x")),
                new Case("get", table, 401, () -> given().get("/api:staff/user")),
                new Case("get", table, 403, () -> as(staffWithoutRole(admin)).get("/api:staff/user")),
                new Case("get", table, 404, () -> as(admin).get("/api:staff/nothing")),
                new Case("post", table, 200, () -> as(admin).body(Map.of("name", "C", "email", Api.uniqueEmail(),
                        "password", Api.PASSWORD)).post("/api:staff/user")),
                new Case("post", table, 400, () -> as(admin).body("{}").post("/api:staff/user")),
                new Case("post", table, 401, () -> json().body("{}").post("/api:staff/user")),
                new Case("post", table, 403, () -> as(staffWithoutRole(admin)).body("{}").post("/api:staff/user")),
                new Case("post", table, 404, () -> as(admin).body("{}").post("/api:staff/nothing")),
                new Case("post", table, 413, () -> as(admin).body(BIG).post("/api:staff/user")),
                new Case("get", record, 200, () -> as(admin).get("/api:staff/user/" + id)),
                new Case("get", record, 401, () -> given().get("/api:staff/user/" + id)),
                new Case("get", record, 403, () -> as(staffWithoutRole(admin)).get("/api:staff/user/" + id)),
                new Case("get", record, 404, () -> as(admin).get("/api:staff/user/0")),
                new Case("patch", record, 200, () -> as(admin).body(Map.of("name", "R2")).patch("/api:staff/user/" + id)),
                new Case("patch", record, 400, () -> as(admin).body(Map.of("role", "")).patch("/api:staff/user/" + id)),
                new Case("patch", record, 401, () -> json().body("{}").patch("/api:staff/user/" + id)),
                new Case("patch", record, 403, () -> as(staffWithoutRole(admin)).body("{}").patch("/api:staff/user/" + id)),
                new Case("patch", record, 404, () -> as(admin).body("{}").patch("/api:staff/user/0")),
                new Case("patch", record, 413, () -> as(admin).body(BIG).patch("/api:staff/user/" + id)),
                new Case("delete", record, 401, () -> given().delete("/api:staff/user/" + id)),
                new Case("delete", record, 403, () -> as(staffWithoutRole(admin)).delete("/api:staff/user/" + id)),
                new Case("delete", record, 404, () -> as(admin).delete("/api:staff/user/0")),
                new Case("delete", record, 200, () -> as(admin).delete("/api:staff/user/" + id)));

        Map<String, Map<String, Object>> paths = given().queryParam("format", "json").get(Management.url("/openapi"))
                .then().statusCode(200).extract().jsonPath().getMap("paths");
        Map<String, Set<String>> answered = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (Case c : cases) {
            int status = c.call().get().statusCode();
            String op = c.method() + " " + c.path();
            if (status != c.status()) {
                problems.add(op + ": expected the case to answer " + c.status() + ", got " + status);
            }
            answered.computeIfAbsent(op, k -> new TreeSet<>()).add(Integer.toString(status));
        }
        answered.forEach((op, statuses) -> {
            String[] parts = op.split(" ", 2);
            Set<String> documented = documented(paths, parts[1], parts[0]);
            for (String s : statuses) {
                if (!documented.contains(s)) {
                    problems.add(op + " answers " + s + " but the document lists " + documented);
                }
            }
            for (String s : documented) {
                if (!statuses.contains(s) && !ELSEWHERE.contains(s)) {
                    problems.add(op + " documents " + s + ", which no case here provokes");
                }
            }
        });
        assertEquals(List.of(), problems);
        assertTrue(documented(paths, "/api:{group}/auth/signup", "post").containsAll(ELSEWHERE),
                "signup can be throttled and can meet a database outage");
    }

    private static String staffWithoutRole(String admin) {
        String email = Api.uniqueEmail();
        as(admin).body(Map.of("name", "S", "email", email, "password", Api.PASSWORD)).post("/api:staff/staff")
                .then().statusCode(200);
        return Api.login("staff", email, Api.PASSWORD);
    }

    @SuppressWarnings("unchecked")
    private static Set<String> documented(Map<String, Map<String, Object>> paths, String path, String method) {
        Map<String, Object> item = paths.get(path);
        assertTrue(item != null && item.get(method) != null, method + " " + path + " is not in " + paths.keySet());
        return new TreeSet<>(((Map<String, Object>) ((Map<String, Object>) item.get(method)).get("responses")).keySet());
    }
}
