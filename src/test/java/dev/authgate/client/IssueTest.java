package dev.authgate.client;

import static dev.authgate.client.Clients.basic;
import static dev.authgate.client.Clients.from;
import static dev.authgate.client.Clients.freshAddress;
import static dev.authgate.client.Clients.introspect;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import dev.authgate.support.Api;
import dev.authgate.support.Jwe;
import dev.authgate.support.TestDatabase;

/** {@code POST /api:G/auth/issue}: tokens minted by trusted services are sessions like any other. */
@QuarkusTest
@TestProfile(ClientsProfile.class)
class IssueTest {

    private static ValidatableResponse issue(String client, String group, Object body) {
        return basic(client).contentType(ContentType.JSON).body(body).post("/api:" + group + "/auth/issue").then();
    }

    private static long newUser() {
        String email = Api.uniqueEmail();
        Api.signup(email);
        return TestDatabase.scalar("select id from \"user\" where email = ?", email);
    }

    @Test
    void aTokenWithTheChosenExtrasAndExpirationIsASession() {
        long id = newUser();
        String token = issue(ClientsProfile.MINTER, "main", Map.of("id", id, "extras", Map.of("tenant", 7, "via", "sms"),
                "expiration", 3600)).statusCode(200).header("Cache-Control", "no-store").extract().path("authToken");

        Map<String, Object> claims = Jwe.decrypt(token).claims();
        assertEquals(id, ((Number) claims.get("id")).longValue());
        assertEquals("user", claims.get("dbtable"));
        assertEquals(Map.of("tenant", 7L, "via", "sms"), claims.get("extras"));
        long iat = ((Number) claims.get("iat")).longValue();
        assertEquals(iat + 3600, ((Number) claims.get("exp")).longValue());
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_session where jti = ?::uuid and account_id = ?",
                claims.get("jti"), id));

        Api.bearer(token).get("/api:main/auth/me").then().statusCode(200).body("id", equalTo((int) id));
        introspect(ClientsProfile.MINTER, token).statusCode(200).body("active", equalTo(true))
                .body("authgate.extras.tenant", equalTo(7));
        Api.bearer(token).post("/api:main/auth/logout").then().statusCode(200);
        Api.bearer(token).get("/api:main/auth/me").then().statusCode(401);
    }

    @Test
    void expirationZeroMeansNoExpAndTheDefaultIsTheTables() {
        long id = newUser();
        String never = issue(ClientsProfile.VERIFIED_MINTER, "main", Map.of("id", id, "expiration", 0)).statusCode(200)
                .extract().path("authToken");
        Map<String, Object> claims = Jwe.decrypt(never).claims();
        assertFalse(claims.containsKey("exp"), claims.toString());
        assertEquals(Map.of(), claims.get("extras"));
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_session where jti = ?::uuid and expires_at is null",
                claims.get("jti")));
        introspect(ClientsProfile.VERIFIED_MINTER, never).statusCode(200).body("active", equalTo(true))
                .body("$", not(hasKey("exp")));

        String usual = issue(ClientsProfile.MINTER, "main:v1", Map.of("id", id)).statusCode(200).extract().path("authToken");
        Map<String, Object> c = Jwe.decrypt(usual).claims();
        assertEquals(((Number) c.get("iat")).longValue() + 86400, ((Number) c.get("exp")).longValue());
    }

    @Test
    void aRoleNeedsScopeIssueRole() {
        long id = newUser();
        Map<String, Object> body = Map.of("id", id, "extras", Map.of("role", "editor"));
        issue(ClientsProfile.MINTER, "main", body).statusCode(403).body("code", equalTo("ERROR_CODE_ACCESS_DENIED"));
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_session where account_id = ? and dbtable = 'user'", id),
                "only the signup's session");
        String token = issue(ClientsProfile.ROLE_MINTER, "main", body).statusCode(200).extract().path("authToken");
        assertEquals(Map.of("role", "editor"), Jwe.decrypt(token).claims().get("extras"));
        issue(ClientsProfile.ROLE_MINTER, "main", Map.of("id", id, "extras", Map.of("role", 5))).statusCode(400)
                .body("payload.param", equalTo("extras"));
    }

    /** Issue 23 #6: extras.verified is the mail flows' flag, which @PermissionsAllowed("verified") and the gate trust. */
    @Test
    void verifiedAndRoleAreTheFlowsExtrasAndNeedTheirScopes() {
        long id = newUser();
        Map<String, Object> body = Map.of("id", id, "extras", Map.of("verified", true, "tenant", 7));
        issue(ClientsProfile.MINTER, "main", body).statusCode(403).body("code", equalTo("ERROR_CODE_ACCESS_DENIED"))
                .body("message", equalTo("Setting extras.verified needs the scope issue:verified."));
        issue(ClientsProfile.ROLE_MINTER, "main", body).statusCode(403);
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_session where account_id = ? and dbtable = 'user'", id),
                "only the signup's session");
        String token = issue(ClientsProfile.VERIFIED_MINTER, "main", body).statusCode(200).extract().path("authToken");
        assertEquals(Map.of("verified", true, "tenant", 7L), Jwe.decrypt(token).claims().get("extras"));
        Api.bearer(token).get("/probe/verified").then().statusCode(200);
        issue(ClientsProfile.VERIFIED_MINTER, "main", Map.of("id", id, "extras", Map.of("verified", "yes")))
                .statusCode(400).body("payload.param", equalTo("extras"));
        issue(ClientsProfile.VERIFIED_MINTER, "main", Map.of("id", id, "extras", Map.of("role", "editor")))
                .statusCode(403);
    }

    /** Issue 23 #6: a client's tokens live at most its max-expiration (30 days by default); never only when it is 0. */
    @Test
    void expirationIsCappedPerClientAndNeverNeedsMaxExpirationZero() {
        long id = newUser();
        long thirtyDays = 30L * 24 * 3600;
        issue(ClientsProfile.MINTER, "main", Map.of("id", id, "expiration", 0)).statusCode(400)
                .body("code", equalTo("ERROR_CODE_INPUT_ERROR")).body("payload.param", equalTo("expiration"));
        issue(ClientsProfile.MINTER, "main", Map.of("id", id, "expiration", thirtyDays + 1)).statusCode(400)
                .body("payload.param", equalTo("expiration"));
        String month = issue(ClientsProfile.MINTER, "main", Map.of("id", id, "expiration", thirtyDays)).statusCode(200)
                .extract().path("authToken");
        Map<String, Object> claims = Jwe.decrypt(month).claims();
        assertEquals(((Number) claims.get("iat")).longValue() + thirtyDays, ((Number) claims.get("exp")).longValue());

        issue(ClientsProfile.HOUR_MINTER, "main", Map.of("id", id, "expiration", 3601)).statusCode(400)
                .body("payload.param", equalTo("expiration"));
        String usual = issue(ClientsProfile.HOUR_MINTER, "main", Map.of("id", id)).statusCode(200).extract().path("authToken");
        Map<String, Object> capped = Jwe.decrypt(usual).claims();
        assertEquals(((Number) capped.get("iat")).longValue() + 3600, ((Number) capped.get("exp")).longValue(),
                "the table's 86400 capped to the client's hour");
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_session where jti = ?::uuid"
                + " and expires_at <= issued_at + interval '3601 seconds'", capped.get("jti")));
    }

    /** Issue 23 #11: docs/api.md promises client_id in the introspection answer: the client that issued the token. */
    @Test
    void introspectionNamesTheClientThatIssuedTheToken() {
        long id = newUser();
        String issued = issue(ClientsProfile.MINTER, "main", Map.of("id", id)).statusCode(200).extract().path("authToken");
        assertEquals(ClientsProfile.MINTER, Jwe.decrypt(issued).claims().get("client_id"));
        introspect(ClientsProfile.READER, issued).statusCode(200).body("active", equalTo(true))
                .body("client_id", equalTo(ClientsProfile.MINTER));

        String signedUp = Api.signup(Api.uniqueEmail());
        assertFalse(Jwe.decrypt(signedUp).claims().containsKey("client_id"));
        introspect(ClientsProfile.READER, signedUp).statusCode(200).body("active", equalTo(true))
                .body("$", not(hasKey("client_id")));
    }

    @Test
    void badInputIs400AndAnUnknownIdIs404() {
        long id = newUser();
        issue(ClientsProfile.MINTER, "main", Map.of("id", id, "extras", Map.of("blob", "x".repeat(5000)))).statusCode(400)
                .body("code", equalTo("ERROR_CODE_INPUT_ERROR")).body("payload.param", equalTo("extras"));
        issue(ClientsProfile.MINTER, "main", Map.of("id", id, "extras", "not an object")).statusCode(400)
                .body("payload.param", equalTo("extras"));
        issue(ClientsProfile.MINTER, "main", Map.of("id", id, "expiration", -1)).statusCode(400)
                .body("payload.param", equalTo("expiration"));
        issue(ClientsProfile.MINTER, "main", Map.of("id", id, "expiration", 100_000_000_000L)).statusCode(400)
                .body("payload.param", equalTo("expiration"));
        issue(ClientsProfile.MINTER, "main", Map.of("extras", Map.of())).statusCode(400).body("payload.param", equalTo("id"));
        issue(ClientsProfile.MINTER, "main", Map.of("id", 999_999_999)).statusCode(404)
                .body("code", equalTo("ERROR_CODE_NOT_FOUND"));
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_session where account_id = ? and dbtable = 'user'", id));
    }

    @Test
    void theClientNeedsScopeIssueAndTheGroupAndItsSecret() {
        long id = newUser();
        issue(ClientsProfile.READER, "main", Map.of("id", id)).statusCode(403).body("code", equalTo("ERROR_CODE_ACCESS_DENIED"));
        issue(ClientsProfile.MINTER, "staff", Map.of("id", 1)).statusCode(403).body("code", equalTo("ERROR_CODE_ACCESS_DENIED"));
        basic(ClientsProfile.WRONGED, "wrong secret, long enough to look like one").contentType(ContentType.JSON)
                .body(Map.of("id", id)).post("/api:main/auth/issue").then().statusCode(401)
                .header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Basic"));
        from(freshAddress()).contentType(ContentType.JSON).body(Map.of("id", id)).post("/api:main/auth/issue").then()
                .statusCode(401);
        // client_secret_post in the JSON body
        from(freshAddress()).contentType(ContentType.JSON).body(Map.of("id", id, "client_id", ClientsProfile.MINTER,
                "client_secret", ClientsProfile.secret(ClientsProfile.MINTER))).post("/api:main/auth/issue").then()
                .statusCode(200);
        assertEquals(2, TestDatabase.scalar("select count(*) from auth_session where account_id = ? and dbtable = 'user'", id));
    }

    @Test
    void issuingIsLoggedWithClientTableAndIdButNeverTheToken() {
        long id = newUser();
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(TokenIssuer.class.getName());
        logger.addHandler(capture);
        try {
            String token = issue(ClientsProfile.MINTER, "main", Map.of("id", id)).statusCode(200).extract().path("authToken");
            assertEquals(1, lines.size(), lines.toString());
            String line = lines.get(0);
            assertTrue(line.contains("client " + ClientsProfile.MINTER) && line.contains("table=user")
                    && line.contains("id=" + id), line);
            assertFalse(line.contains(token) || line.contains(token.substring(0, 20)), line);
        } finally {
            logger.removeHandler(capture);
        }
    }
}
