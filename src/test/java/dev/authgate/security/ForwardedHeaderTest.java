package dev.authgate.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.authgate.support.Api;
import dev.authgate.support.TestDatabase;

/**
 * Without trusted proxies (the default), X-Forwarded-For from a loopback peer is not believed, and counted: the
 * operator sees a proxy whose clients all share its address.
 */
@QuarkusTest
class ForwardedHeaderTest {

    @Inject
    MeterRegistry registry;

    @Test
    void forwardedFromAnUntrustedLoopbackPeerIsCountedAndNotBelieved() {
        double before = registry.get("authgate.forwarded.untrusted").counter().count();
        String email = Api.uniqueEmail();
        given().header("X-Forwarded-For", "198.51.100.77").contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", "wrong password")).post("/api:main/auth/login")
                .then().statusCode(403);
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", "wrong password"))
                .post("/api:main/auth/login").then().statusCode(403);
        assertEquals(1, registry.get("authgate.forwarded.untrusted").counter().count() - before);
        assertEquals(0, TestDatabase.scalar("select count(*) from auth_attempt where key like ?", "%198.51.100.77%"));
    }
}
