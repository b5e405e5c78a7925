package dev.authgate.oidc;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;

import io.restassured.response.Response;

import dev.authgate.oidc.OidcBrowser.Pkce;
import dev.authgate.support.Api;

/** A relying party of {@link OidcProfile} with one browser: signs its user in through the page and holds the tokens. */
final class RelyingParty {

    /** What a sign-in brought: the browser (signed in), and the token endpoint's answer. */
    record Tokens(OidcBrowser browser, String accessToken, String idToken) {
    }

    private RelyingParty() {
    }

    /** The whole flow for a user without a second factor; a public client (no secret) uses PKCE. */
    static Tokens signIn(String client, String secret, String redirectUri, String email) {
        return signIn(new OidcBrowser(), client, secret, redirectUri, email);
    }

    static Tokens signIn(OidcBrowser browser, String client, String secret, String redirectUri, String email) {
        Pkce pkce = Pkce.create();
        Map<String, String> request = OidcFlowTest.request(client, redirectUri, "openid email profile",
                "s-" + UUID.randomUUID(), "n-" + UUID.randomUUID());
        if (secret == null) {
            request.put("code_challenge", pkce.challenge());
            request.put("code_challenge_method", "S256");
        }
        Response back = browser.signIn(OidcBrowser.authorize("main", request), email, Api.PASSWORD);
        return exchange(browser, client, secret, redirectUri, back, secret == null ? pkce.verifier() : null);
    }

    /** The code of a redirect to the client, exchanged. */
    static Tokens exchange(OidcBrowser browser, String client, String secret, String redirectUri, Response back,
            String verifier) {
        if (back.statusCode() == 200 && back.asString().contains("id=\"consent-allow\"")) {
            back = browser.submit(back, Map.of("decision", "allow")); // a client that is not first-party
        }
        assertEquals(303, back.statusCode(), back.asString());
        String location = back.header("Location");
        assertTrue(location.startsWith(redirectUri + "?"), location);
        Response tokens = OidcFlowTest.exchange(client, secret, OidcBrowser.query(location).get("code"), redirectUri,
                verifier);
        tokens.then().statusCode(200);
        return new Tokens(browser, tokens.path("access_token"), tokens.path("id_token"));
    }

    static Response introspect(String client, String secret, String token) {
        return given().auth().preemptive().basic(client, secret).contentType("application/x-www-form-urlencoded")
                .formParam("token", token).post("/oidc/main/introspect");
    }

    static Response revoke(String client, String secret, String token) {
        var spec = given().contentType("application/x-www-form-urlencoded").formParam("token", token);
        spec = secret == null ? spec.formParam("client_id", client) : spec.auth().preemptive().basic(client, secret);
        return spec.post("/oidc/main/revoke");
    }
}
