package dev.authgate.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.authgate.account.AuthTable;
import dev.authgate.account.AuthTables;
import dev.authgate.support.Api;
import dev.authgate.support.PostgresResource;
import dev.authgate.support.TestDatabase;

/** Remembered consents (migration V20): granting adds scopes, GET/DELETE auth/consents for their owner only. */
@QuarkusTest
class ConsentsTest {

    @Inject
    Consents consents;

    @Inject
    AuthTables tables;

    private AuthTable user() {
        return tables.byName("user").orElseThrow();
    }

    private static long idOf(String email) {
        return TestDatabase.scalar("select id from \"user\" where email = ?", email);
    }

    @Test
    void aConsentCoversWhatWasGrantedAndLaterGrantsAddScopes() {
        String email = Api.uniqueEmail();
        Api.signup(email);
        long id = idOf(email);
        assertFalse(consents.covers(user(), id, "grafana", Set.of("openid")), "nothing granted yet");

        consents.grant(user(), id, "grafana", List.of("openid", "email"));
        assertTrue(consents.covers(user(), id, "grafana", Set.of("openid", "email")));
        assertTrue(consents.covers(user(), id, "grafana", Set.of("openid")));
        assertFalse(consents.covers(user(), id, "grafana", Set.of("openid", "profile")), "profile was never granted");
        assertFalse(consents.covers(user(), id, "other-app", Set.of("openid")), "a consent is per client");

        consents.grant(user(), id, "grafana", List.of("openid", "profile"));
        assertTrue(consents.covers(user(), id, "grafana", Set.of("openid", "email", "profile")));
        assertEquals("email openid profile", TestDatabase.text("select scopes from auth_oidc_consent "
                + "where dbtable = 'user' and account_id = ? and client_id = 'grafana'", id));
        assertEquals(2, TestDatabase.scalar("select count(*) from auth_audit where event = 'oidc.consent_granted' "
                + "and dbtable = 'user' and account_id = ?", id));
    }

    @Test
    void simultaneousGrantsAddUp() throws Exception {
        String email = Api.uniqueEmail();
        Api.signup(email);
        long id = idOf(email);
        List<String> scopes = List.of("openid", "email", "profile", "offline_access", "a", "b", "c", "d");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Object>> done = pool.invokeAll(scopes.stream().map(s -> (Callable<Object>) () -> {
                consents.grant(user(), id, "racy", List.of(s));
                return null;
            }).toList());
            for (Future<Object> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(consents.covers(user(), id, "racy", scopes), TestDatabase.text("select scopes from auth_oidc_consent "
                + "where dbtable = 'user' and account_id = ? and client_id = 'racy'", id));
    }

    @Test
    void theOwnerListsAndRevokesTheirConsents() {
        String email = Api.uniqueEmail();
        String token = Api.signup(email);
        long id = idOf(email);
        consents.grant(user(), id, "grafana", List.of("openid", "email"));
        consents.grant(user(), id, "wiki", List.of("openid"));

        Api.bearer(token).get("/api:main/auth/consents").then().statusCode(200)
                .body("", hasSize(2))
                .body("find { it.clientId == 'grafana' }.scopes", equalTo(List.of("email", "openid")))
                .body("find { it.clientId == 'wiki' }.scopes", equalTo(List.of("openid")));

        // another account sees none of them and cannot revoke them
        String other = Api.signup(Api.uniqueEmail());
        Api.bearer(other).get("/api:main/auth/consents").then().statusCode(200).body("", hasSize(0));
        Api.bearer(other).delete("/api:main/auth/consents/grafana").then().statusCode(404)
                .body("code", equalTo("ERROR_CODE_NOT_FOUND")).body("message", equalTo("Consent not found."));
        assertTrue(consents.covers(user(), id, "grafana", Set.of("openid")));

        Api.bearer(token).delete("/api:main/auth/consents/grafana").then().statusCode(200).body("revoked", equalTo(1));
        assertFalse(consents.covers(user(), id, "grafana", Set.of("openid")), "the next sign-in asks again");
        Api.bearer(token).get("/api:main/auth/consents").then().statusCode(200).body("", hasSize(1))
                .body("[0].clientId", equalTo("wiki"));
        Api.bearer(token).delete("/api:main/auth/consents/grafana").then().statusCode(404);
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_audit where event = 'oidc.consent_revoked' "
                + "and dbtable = 'user' and account_id = ?", id));
    }

    @Test
    void consentsNeedATokenAndAKnownGroup() {
        given().get("/api:main/auth/consents").then().statusCode(401).body("code", equalTo("ERROR_CODE_UNAUTHORIZED"));
        given().delete("/api:main/auth/consents/grafana").then().statusCode(401);
        Api.bearer(Api.signup(Api.uniqueEmail())).get("/api:nope/auth/consents").then().statusCode(404);
    }

    @Test
    void aDeletedRecordTakesItsConsentsWithIt() {
        String email = Api.uniqueEmail();
        Api.signup(email);
        long id = idOf(email);
        consents.grant(user(), id, "grafana", List.of("openid"));
        String admin = Api.login("staff", PostgresResource.ADMIN_EMAIL, PostgresResource.ADMIN_PASSWORD);
        Api.bearer(admin).contentType(ContentType.JSON).delete("/api:staff/user/" + id).then().statusCode(200);
        assertEquals(0, TestDatabase.scalar("select count(*) from auth_oidc_consent where dbtable = 'user' "
                + "and account_id = ?", id));
    }
}
