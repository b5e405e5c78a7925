package dev.authgate.client;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.net.URL;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;

import dev.authgate.support.Api;
import dev.authgate.support.ExampleApp;
import dev.authgate.support.PostgresResource;
import dev.authgate.support.RealServer;
import dev.authgate.support.TestDatabase;

/**
 * A consumer no one here wrote the security of: examples/quarkus-consumer, a Quarkus service protected by
 * quarkus-oidc configured with nothing but Authgate's introspection endpoint and a client secret. Built once for
 * this class (support/ExampleApp; output in target/quarkus-consumer-build.log) and run against the packaged Authgate.
 */
@QuarkusIntegrationTest
@TestProfile(ClientsProfile.class)
@RealServer
class QuarkusConsumerIT {

    private static ExampleApp consumer;
    private static int port;

    @TestHTTPResource("/")
    URL authgate;

    @BeforeEach
    void consumerRuns() throws Exception {
        if (consumer == null) {
            ExampleApp.build("quarkus-consumer");
            // the address Authgate listens on, whatever "localhost" resolves to first
            consumer = ExampleApp.start("quarkus-consumer", Map.of("QUARKUS_HTTP_HOST", "127.0.0.1",
                    "QUARKUS_HTTP_PORT", "0", "AUTHGATE_URL", "http://127.0.0.1:" + authgate.getPort(),
                    "AUTHGATE_CLIENT_ID", ClientsProfile.CONSUMER,
                    "AUTHGATE_CLIENT_SECRET", ClientsProfile.secret(ClientsProfile.CONSUMER)));
            port = consumer.port();
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (consumer != null) {
            consumer.close();
        }
    }

    private static RequestSpecification bearer(String token) {
        return given().baseUri("http://127.0.0.1").port(port).header("Authorization", "Bearer " + token);
    }

    @Test
    void aLiveTokenPassesWithTheCallersId() {
        String email = Api.uniqueEmail();
        String token = Api.signup(email);
        long id = TestDatabase.scalar("select id from \"user\" where email = ?", email);
        bearer(token).get("/whoami").then().statusCode(200).body(equalTo(Long.toString(id)));
    }

    @Test
    void aLoggedOutOrRevokedTokenIsRefused() {
        String token = Api.signup(Api.uniqueEmail());
        bearer(token).get("/whoami").then().statusCode(200);
        Api.bearer(token).post("/api:main/auth/logout").then().statusCode(200);
        bearer(token).get("/whoami").then().statusCode(401);

        String other = Api.signup(Api.uniqueEmail());
        bearer(other).get("/whoami").then().statusCode(200);
        Clients.revoke(ClientsProfile.READER, other).statusCode(200);
        bearer(other).get("/whoami").then().statusCode(401);
    }

    @Test
    void theRoleDecides() {
        String email = Api.uniqueEmail();
        String plain = Api.signup(email);
        bearer(plain).get("/editor").then().statusCode(403);
        long id = TestDatabase.scalar("select id from \"user\" where email = ?", email);
        String editor = Clients.basic(ClientsProfile.ROLE_MINTER).contentType("application/json")
                .body(Map.of("id", id, "extras", Map.of("role", "editor"))).post("/api:main/auth/issue").then()
                .statusCode(200).extract().path("authToken");
        bearer(editor).get("/editor").then().statusCode(200).body(equalTo("editor " + id));
        String viewer = Clients.basic(ClientsProfile.ROLE_MINTER).contentType("application/json")
                .body(Map.of("id", id, "extras", Map.of("role", "viewer"))).post("/api:main/auth/issue").then()
                .statusCode(200).extract().path("authToken");
        bearer(viewer).get("/editor").then().statusCode(403);
    }

    @Test
    void tokensOfAGroupTheConsumerMayNotSeeAndGarbageAreRefused() {
        String staff = Api.login("staff", PostgresResource.ADMIN_EMAIL, PostgresResource.ADMIN_PASSWORD);
        bearer(staff).get("/whoami").then().statusCode(401);
        bearer("garbage").get("/whoami").then().statusCode(401);
        given().baseUri("http://127.0.0.1").port(port).get("/whoami").then().statusCode(401);
    }
}
