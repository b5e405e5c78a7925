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
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import dev.authgate.mfa.Mfa;
import dev.authgate.mfa.Totp;
import dev.authgate.passkey.Authenticator;
import dev.authgate.support.Jwe;
import dev.authgate.support.Management;
import dev.authgate.support.Api;
import dev.authgate.support.OperatorProfile;
import dev.authgate.support.PostgresResource;

/**
 * The OpenAPI document tells the truth about statuses: every status an endpoint answers below is listed for its
 * operation, and every status listed is answered here — except those provoked elsewhere ({@link #ELSEWHERE}).
 */
@QuarkusTest
@TestProfile(OperatorProfile.class)
class OpenApiStatusesTest {

    private static RequestSpecification operator() {
        return json().header("X-Authgate-Operator-Key", OperatorProfile.OPERATOR_KEY);
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
        List<Case> cases = new ArrayList<>(List.of(
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
                new Case("delete", record, 200, () -> as(admin).delete("/api:staff/user/" + id))));
        cases.addAll(secondFactorCases(admin));
        cases.addAll(passkeyCases());
        cases.addAll(refreshCases(email));

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

    /** {@code auth/mfa/*} and the administrators' reset of a record's factors. */
    private static List<Case> secondFactorCases(String admin) {
        String verify = "/api:{group}/auth/mfa/verify";
        String enrol = "/api:{group}/auth/mfa/totp";
        String activate = "/api:{group}/auth/mfa/totp/{id}/activate";
        String list = "/api:{group}/auth/mfa";
        String remove = "/api:{group}/auth/mfa/totp/{id}";
        String codes = "/api:{group}/auth/mfa/recovery-codes";
        String reset = "/api:{group}/{table}/{id}/mfa";
        String none = "00000000-0000-0000-0000-000000000000";
        Mfa.Enrolled a = Mfa.enrolled();
        String aal1 = Jwe.rewritten(a.token(), Map.of("aal", 1, "amr", List.of("pwd")));
        String fresh = Api.signup(Api.uniqueEmail());
        String enrolling = Api.signup(Api.uniqueEmail());
        Map<String, Object> enrolment = as(enrolling).body("{}").post("/api:main/auth/mfa/totp").then().statusCode(200)
                .extract().jsonPath().getMap("$");
        byte[] secret = new org.apache.commons.codec.binary.Base32().decode((String) enrolment.get("secret"));
        String right = Totp.code(secret, Totp.step(java.time.Instant.now().getEpochSecond()), Totp.DIGITS);
        String wrong = right.equals("000000") ? "111111" : "000000";
        Mfa.Enrolled b = Mfa.enrolled();
        Mfa.Enrolled c = Mfa.enrolled();
        long cId = c.id();
        return List.of(
                new Case("post", verify, 200, () -> Mfa.verify(Mfa.mfaToken(a.email()), a.code(1))),
                new Case("post", verify, 400, () -> Mfa.verify(Mfa.mfaToken(a.email()), "12345")),
                new Case("post", verify, 401, () -> Mfa.verify("not-a-waiting-login", "123456")),
                new Case("post", verify, 404, () -> json().body("{}").post("/api:nope/auth/mfa/verify")),
                new Case("post", verify, 413, () -> json().body(BIG).post("/api:main/auth/mfa/verify")),
                new Case("post", enrol, 200, () -> as(fresh).body("{}").post("/api:main/auth/mfa/totp")),
                new Case("post", enrol, 400, () -> as(fresh).body(Map.of("name", "x".repeat(101)))
                        .post("/api:main/auth/mfa/totp")),
                new Case("post", enrol, 401, () -> json().body("{}").post("/api:main/auth/mfa/totp")),
                new Case("post", enrol, 403, () -> as(aal1).body("{}").post("/api:main/auth/mfa/totp")),
                new Case("post", enrol, 404, () -> as(fresh).body("{}").post("/api:nope/auth/mfa/totp")),
                new Case("post", activate, 400, () -> as(enrolling).body(Map.of("code", wrong))
                        .post("/api:main/auth/mfa/totp/" + enrolment.get("id") + "/activate")),
                new Case("post", activate, 200, () -> as(enrolling).body(Map.of("code", right))
                        .post("/api:main/auth/mfa/totp/" + enrolment.get("id") + "/activate")),
                new Case("post", activate, 401, () -> json().body(Map.of("code", right))
                        .post("/api:main/auth/mfa/totp/" + none + "/activate")),
                new Case("post", activate, 404, () -> as(fresh).body(Map.of("code", right))
                        .post("/api:main/auth/mfa/totp/" + none + "/activate")),
                new Case("get", list, 200, () -> as(a.token()).get("/api:main/auth/mfa")),
                new Case("get", list, 401, () -> given().get("/api:main/auth/mfa")),
                new Case("get", list, 404, () -> as(a.token()).get("/api:nope/auth/mfa")),
                new Case("delete", remove, 401, () -> given().delete("/api:main/auth/mfa/totp/" + b.factorId())),
                new Case("delete", remove, 403, () -> as(Jwe.rewritten(b.token(), Map.of("aal", 1)))
                        .delete("/api:main/auth/mfa/totp/" + b.factorId())),
                new Case("delete", remove, 404, () -> as(b.token()).delete("/api:main/auth/mfa/totp/" + none)),
                new Case("delete", remove, 200, () -> as(b.token()).delete("/api:main/auth/mfa/totp/" + b.factorId())),
                new Case("post", codes, 200, () -> as(a.token()).body("{}").post("/api:main/auth/mfa/recovery-codes")),
                new Case("post", codes, 401, () -> json().body("{}").post("/api:main/auth/mfa/recovery-codes")),
                new Case("post", codes, 403, () -> as(aal1).body("{}").post("/api:main/auth/mfa/recovery-codes")),
                new Case("post", codes, 404, () -> as(a.token()).body("{}").post("/api:nope/auth/mfa/recovery-codes")),
                new Case("delete", reset, 401, () -> given().delete("/api:staff/user/" + cId + "/mfa")),
                new Case("delete", reset, 403, () -> as(staffWithoutRole(admin)).delete("/api:staff/user/" + cId + "/mfa")),
                new Case("delete", reset, 404, () -> as(admin).delete("/api:staff/user/0/mfa")),
                new Case("delete", reset, 200, () -> as(admin).delete("/api:staff/user/" + cId + "/mfa")));
    }

    /** {@code auth/passkeys*}, with webauthn4j's emulated authenticator as the browser. */
    private static List<Case> passkeyCases() {
        String registerOptions = "/api:{group}/auth/passkeys/register/options";
        String register = "/api:{group}/auth/passkeys/register";
        String loginOptions = "/api:{group}/auth/passkeys/login/options";
        String login = "/api:{group}/auth/passkeys/login";
        String list = "/api:{group}/auth/passkeys";
        String one = "/api:{group}/auth/passkeys/{id}";
        String none = "00000000-0000-0000-0000-000000000000";
        String email = Api.uniqueEmail();
        String fresh = Api.signup(email);
        long freshId = dev.authgate.support.TestDatabase.scalar("select id from \"user\" where email = ?", email);
        Mfa.Enrolled withFactor = Mfa.enrolled();
        String aal1 = Jwe.rewritten(withFactor.token(), Map.of("aal", 1, "amr", List.of("pwd")));
        String full = Api.signup(Api.uniqueEmail());
        Authenticator device = new Authenticator();
        // the 200 registration's options, made now; the others are made by their cases
        Response options = as(fresh).body("{}").post("/api:main/auth/passkeys/register/options");
        String[] passkeyId = new String[1];
        String[] mfaToken = new String[1];
        return List.of(
                new Case("post", registerOptions, 200, () -> options),
                new Case("post", registerOptions, 400, () -> {
                    tenPasskeys(((Number) Jwe.decrypt(full).claims().get("id")).longValue());
                    return as(Jwe.rewritten(full, Map.of("aal", 2))).body("{}")
                            .post("/api:main/auth/passkeys/register/options");
                }),
                new Case("post", registerOptions, 401, () -> json().body("{}").post("/api:main/auth/passkeys/register/options")),
                new Case("post", registerOptions, 403, () -> as(aal1).body("{}").post("/api:main/auth/passkeys/register/options")),
                new Case("post", registerOptions, 404, () -> as(fresh).body("{}").post("/api:nope/auth/passkeys/register/options")),
                new Case("post", register, 200, () -> {
                    Response r = as(fresh).body(Map.of("challenge_id", challengeId(options), "credential",
                            device.create(publicKey(options)), "name", "Key")).post("/api:main/auth/passkeys/register");
                    passkeyId[0] = r.path("id");
                    return r;
                }),
                new Case("post", register, 400, () -> as(fresh).body(Map.of("challenge_id", none, "credential", Map.of()))
                        .post("/api:main/auth/passkeys/register")),
                new Case("post", register, 401, () -> json().body("{}").post("/api:main/auth/passkeys/register")),
                new Case("post", register, 404, () -> as(fresh).body("{}").post("/api:nope/auth/passkeys/register")),
                new Case("post", register, 413, () -> as(fresh).body(BIG).post("/api:main/auth/passkeys/register")),
                new Case("post", loginOptions, 200, () -> json().body("{}").post("/api:main/auth/passkeys/login/options")),
                new Case("post", loginOptions, 400, () -> json().body(Map.of("mfa_token", "x".repeat(200)))
                        .post("/api:main/auth/passkeys/login/options")),
                new Case("post", loginOptions, 401, () -> json().body(Map.of("mfa_token", "not-a-waiting-login"))
                        .post("/api:main/auth/passkeys/login/options")),
                new Case("post", loginOptions, 404, () -> json().body("{}").post("/api:nope/auth/passkeys/login/options")),
                new Case("post", loginOptions, 413, () -> json().body(BIG).post("/api:main/auth/passkeys/login/options")),
                new Case("post", login, 200, () -> {
                    Response o = json().body("{}").post("/api:main/auth/passkeys/login/options");
                    return json().body(Map.of("challenge_id", challengeId(o), "credential",
                            device.get(publicKey(o)))).post("/api:main/auth/passkeys/login");
                }),
                new Case("post", login, 400, () -> json().body(Map.of("challenge_id", none, "credential", Map.of()))
                        .post("/api:main/auth/passkeys/login")),
                new Case("post", login, 401, () -> {
                    // the second step's challenge, its login then used up elsewhere: the passkey finds no login
                    mfaToken[0] = json().body(Map.of("email", email, "password", Api.PASSWORD))
                            .post("/api:main/auth/login").path("mfa_token");
                    Response o = json().body(Map.of("mfa_token", mfaToken[0])).post("/api:main/auth/passkeys/login/options");
                    dev.authgate.support.TestDatabase.update("update auth_mfa_token set used_at = now() "
                            + "where dbtable = 'user' and account_id = ?", freshId);
                    return json().body(Map.of("challenge_id", challengeId(o), "credential",
                            device.get(publicKey(o)), "mfa_token", mfaToken[0])).post("/api:main/auth/passkeys/login");
                }),
                new Case("post", login, 404, () -> json().body("{}").post("/api:nope/auth/passkeys/login")),
                new Case("post", login, 413, () -> json().body(BIG).post("/api:main/auth/passkeys/login")),
                new Case("get", list, 200, () -> as(fresh).get("/api:main/auth/passkeys")),
                new Case("get", list, 401, () -> given().get("/api:main/auth/passkeys")),
                new Case("get", list, 404, () -> as(fresh).get("/api:nope/auth/passkeys")),
                new Case("patch", one, 400, () -> as(Jwe.rewritten(fresh, Map.of("aal", 2))).body(Map.of("name", " "))
                        .patch("/api:main/auth/passkeys/" + passkeyId[0])),
                new Case("patch", one, 401, () -> json().body(Map.of("name", "K")).patch("/api:main/auth/passkeys/" + none)),
                new Case("patch", one, 403, () -> as(fresh).body(Map.of("name", "K"))
                        .patch("/api:main/auth/passkeys/" + passkeyId[0])),
                new Case("patch", one, 404, () -> as(Jwe.rewritten(fresh, Map.of("aal", 2))).body(Map.of("name", "K"))
                        .patch("/api:main/auth/passkeys/" + none)),
                new Case("patch", one, 200, () -> as(Jwe.rewritten(fresh, Map.of("aal", 2))).body(Map.of("name", "K"))
                        .patch("/api:main/auth/passkeys/" + passkeyId[0])),
                new Case("delete", one, 401, () -> given().delete("/api:main/auth/passkeys/" + none)),
                new Case("delete", one, 403, () -> as(fresh).delete("/api:main/auth/passkeys/" + passkeyId[0])),
                new Case("delete", one, 404, () -> as(Jwe.rewritten(fresh, Map.of("aal", 2)))
                        .delete("/api:main/auth/passkeys/" + none)),
                new Case("delete", one, 200, () -> as(Jwe.rewritten(fresh, Map.of("aal", 2)))
                        .delete("/api:main/auth/passkeys/" + passkeyId[0])));
    }

    private static Map<String, Object> publicKey(Response options) {
        return options.path("publicKey");
    }

    private static String challengeId(Response options) {
        return options.path("challenge_id");
    }

    /** Ten passkey rows for an account (placeholders: only their number matters to the registration's limit). */
    private static void tenPasskeys(long accountId) {
        dev.authgate.support.TestDatabase.update("insert into auth_passkey (id, dbtable, account_id, credential_id, "
                + "attested_data, sign_count, uv_initialized, backup_eligible, backup_state, name) select gen_random_uuid(), "
                + "'user', ?, decode(md5(random()::text || g), 'hex'), '\\x00'::bytea, 0, true, false, false, 'p' || g "
                + "from generate_series(1, 10) g", accountId);
    }

    /** {@code auth/refresh}: on for user in this profile, off for staff. */
    private static List<Case> refreshCases(String email) {
        String refresh = "/api:{group}/auth/refresh";
        // a sign-in when the case runs: the password case before it ends the account's other sessions
        return List.of(
                new Case("post", refresh, 200, () -> json().body(Map.of("refreshToken", json()
                        .body(Map.of("email", email, "password", Api.PASSWORD)).post("/api:main/auth/login")
                        .then().statusCode(200).extract().path("refreshToken"))).post("/api:main/auth/refresh")),
                new Case("post", refresh, 400, () -> json().body("{}").post("/api:main/auth/refresh")),
                new Case("post", refresh, 401, () -> json().body(Map.of("refreshToken", "not one"))
                        .post("/api:main/auth/refresh")),
                new Case("post", refresh, 404, () -> json().body("{}").post("/api:staff/auth/refresh")),
                new Case("post", refresh, 413, () -> json().body(BIG).post("/api:main/auth/refresh")));
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
