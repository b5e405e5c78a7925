package dev.authgate.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.authgate.support.Api;
import dev.authgate.support.Jwe;
import dev.authgate.support.PostgresResource;
import dev.authgate.support.TestDatabase;

@QuarkusTest
class SignupLoginTest {

    @Test
    void signupStoresOneRowAndAnswersATokenForIt() {
        String email = Api.uniqueEmail();
        long before = System.currentTimeMillis();
        String token = given().contentType(ContentType.JSON)
                .body(Map.of("name", " Ada ", "email", "  " + email.toUpperCase() + " ", "password", Api.PASSWORD))
                .post("/api:main/auth/signup")
                .then().statusCode(200).body("authToken", notNullValue())
                .extract().path("authToken");

        assertEquals(1, TestDatabase.scalar("select count(*) from \"user\" where email = ?", email));
        long id = TestDatabase.scalar("select id from \"user\" where email = ?", email);
        String hash = TestDatabase.text("select password_hash from \"user\" where id = ?", id);
        assertTrue(hash.startsWith("$2a$10$"), "bcrypt at cost 10: " + hash.substring(0, 7));
        assertEquals(((Number) Jwe.decrypt(token).claims().get("id")).longValue(), id);
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_session where dbtable = 'user' and account_id = ?", id));

        Api.bearer(token).get("/api:main/auth/me").then().statusCode(200)
                .body("id", equalTo((int) id))
                .body("email", equalTo(email))
                .body("name", equalTo("Ada"))
                .body("role", nullValue())
                .body("extras", equalTo(Map.of()))
                .body("$", not(hasKey("password")))
                .body("$", not(hasKey("password_hash")))
                .body("$", not(hasKey("passwordHash")))
                .body("created_at", org.hamcrest.Matchers.greaterThanOrEqualTo(before - 5_000));
    }

    @Test
    void formEncodedBodiesWorkLikeJson() {
        String email = Api.uniqueEmail();
        given().contentType(ContentType.URLENC)
                .formParam("name", "Form").formParam("email", email).formParam("password", Api.PASSWORD)
                .post("/api:main/auth/signup").then().statusCode(200).body("authToken", notNullValue());
        given().contentType(ContentType.URLENC).formParam("email", email).formParam("password", Api.PASSWORD)
                .post("/api:main/auth/login").then().statusCode(200).body("authToken", notNullValue());
    }

    @Test
    void loginWorksOnTheGroupAndItsBranchWithAnyCaseOfEmail() {
        String email = Api.uniqueEmail();
        Api.signup(email);
        String token = Api.login("main:v1", "  " + email.toUpperCase(), Api.PASSWORD);
        Api.bearer(token).get("/api:main:v1/auth/me").then().statusCode(200).body("email", equalTo(email));
        Api.bearer(token).get("/api:main/auth/me").then().statusCode(200).body("email", equalTo(email));
        assertEquals(2, TestDatabase.scalar(
                "select count(*) from auth_session s join \"user\" u on u.id = s.account_id where u.email = ?", email));
    }

    @Test
    void anEmailIsTakenWhateverItsCaseOrSpaces() {
        String email = Api.uniqueEmail();
        Api.signup(email);
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "Again", "email", " " + email.toUpperCase(), "password", "another password"))
                .post("/api:main/auth/signup")
                .then().statusCode(403)
                .body("code", equalTo("ERROR_CODE_ACCESS_DENIED"))
                .body("message", equalTo("This account is already in use."));
        assertEquals(1, TestDatabase.scalar("select count(*) from \"user\" where email = ?", email));
    }

    @Test
    void wrongPasswordAndUnknownEmailGetTheSameAnswer() {
        String email = Api.uniqueEmail();
        Api.signup(email);
        var wrong = given().contentType(ContentType.JSON).body(Map.of("email", email, "password", "wrong password"))
                .post("/api:main/auth/login").then().statusCode(403).extract().asString();
        var unknown = given().contentType(ContentType.JSON)
                .body(Map.of("email", Api.uniqueEmail(), "password", "wrong password"))
                .post("/api:main/auth/login").then().statusCode(403).extract().asString();
        assertEquals(wrong, unknown);
        assertEquals("{\"code\":\"ERROR_CODE_ACCESS_DENIED\",\"message\":\"Invalid Credentials.\",\"payload\":null}", wrong);
    }

    @Test
    void aPasswordLongerThanBcryptReadsIsRefusedNotTruncated() {
        String email = Api.uniqueEmail();
        String seventyTwo = "p".repeat(72);
        given().contentType(ContentType.JSON).body(Map.of("name", "Long", "email", email, "password", seventyTwo + "x"))
                .post("/api:main/auth/signup").then().statusCode(400)
                .body("code", equalTo("ERROR_CODE_INPUT_ERROR")).body("payload.param", equalTo("password"));
        assertEquals(0, TestDatabase.scalar("select count(*) from \"user\" where email = ?", email));
        // multi-byte: 25 three-byte characters are 75 bytes
        given().contentType(ContentType.JSON).body(Map.of("name", "Long", "email", email, "password", "€".repeat(25)))
                .post("/api:main/auth/signup").then().statusCode(400).body("payload.param", equalTo("password"));

        Api.signup("main", email, seventyTwo);
        Api.login("main", email, seventyTwo);
        // the same 72 bytes and more must not log in
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", seventyTwo + "extra"))
                .post("/api:main/auth/login").then().statusCode(403).body("message", equalTo("Invalid Credentials."));
    }

    @Test
    void staffCannotSignUpThemselves() {
        String email = Api.uniqueEmail();
        given().contentType(ContentType.JSON).body(Map.of("name", "S", "email", email, "password", Api.PASSWORD))
                .post("/api:staff/auth/signup").then().statusCode(403).body("code", equalTo("ERROR_CODE_ACCESS_DENIED"))
                .body("message", equalTo("Sign-up is not allowed for this table."));
        assertEquals(0, TestDatabase.scalar("select count(*) from staff where email = ?", email));
    }

    /** docs/decisions.md: input is checked before the table's sign-up rule, as on every endpoint. */
    @Test
    void inputErrorsComeBeforeTheClosedSignup() {
        given().contentType(ContentType.JSON).body(Map.of("name", "S", "password", Api.PASSWORD))
                .post("/api:staff/auth/signup").then().statusCode(400)
                .body("code", equalTo("ERROR_CODE_INPUT_ERROR")).body("payload.param", equalTo("email"));
    }

    @Test
    void tablesHaveTheirOwnAccountsAndTokensStayInTheirTable() {
        // the bootstrap administrator (configured by PostgresResource) lives in staff
        String staffToken = Api.login("staff", PostgresResource.ADMIN_EMAIL, PostgresResource.ADMIN_PASSWORD);
        Api.bearer(staffToken).get("/api:staff/auth/me").then().statusCode(200)
                .body("email", equalTo(PostgresResource.ADMIN_EMAIL)).body("role", equalTo("administrator"));
        assertEquals("staff", Jwe.decrypt(staffToken).claims().get("dbtable"));
        Map<?, ?> extras = (Map<?, ?>) Jwe.decrypt(staffToken).claims().get("extras");
        assertEquals("administrator", extras.get("role"));

        // a staff token is refused by the user table's group, and the reverse
        Api.bearer(staffToken).get("/api:main/auth/me").then().statusCode(401).body("code", equalTo("ERROR_CODE_UNAUTHORIZED"));
        String userToken = Api.signup(Api.uniqueEmail());
        Api.bearer(userToken).get("/api:staff/auth/me").then().statusCode(401);
        // the same email in another table is another account
        given().contentType(ContentType.JSON).body(Map.of("email", PostgresResource.ADMIN_EMAIL, "password", "admin-password-for-tests"))
                .post("/api:main/auth/login").then().statusCode(403);
    }

    @Test
    void bootstrapAdministratorIsMadeOnce() {
        assertEquals(1, TestDatabase.scalar("select count(*) from staff where email = ?", PostgresResource.ADMIN_EMAIL));
        assertEquals("administrator", TestDatabase.text("select role from staff where email = ?", PostgresResource.ADMIN_EMAIL));
    }
}
