package dev.authgate.client;

import static io.restassured.RestAssured.given;

import java.util.concurrent.atomic.AtomicInteger;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/** Calls of service clients for the tests, each from an address of its own unless told otherwise. */
final class Clients {

    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    private Clients() {
    }

    /** A client address no other call uses (through X-Forwarded-For; 127.0.0.1 is a trusted proxy here). */
    static String freshAddress() {
        int n = ADDRESSES.incrementAndGet();
        return "10.13." + (n / 250) + "." + (n % 250 + 1);
    }

    static RequestSpecification from(String address) {
        return given().header("X-Forwarded-For", address);
    }

    /** client_secret_basic with the client's own secret. */
    static RequestSpecification basic(String client) {
        return basic(client, ClientsProfile.secret(client));
    }

    static RequestSpecification basic(String client, String secret) {
        return from(freshAddress()).auth().preemptive().basic(client, secret);
    }

    static ValidatableResponse introspect(RequestSpecification spec, String token) {
        return spec.contentType(ContentType.URLENC).formParam("token", token).post("/oauth2/introspect").then();
    }

    static ValidatableResponse introspect(String client, String token) {
        return introspect(basic(client), token);
    }

    static ValidatableResponse revoke(String client, String token) {
        return basic(client).contentType(ContentType.URLENC).formParam("token", token).post("/oauth2/revoke").then();
    }
}
