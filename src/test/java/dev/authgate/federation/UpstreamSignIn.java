package dev.authgate.federation;

import static dev.authgate.federation.CookieJar.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/**
 * The browser's part of a sign-in through the upstream providers that {@link FakeUpstreams} serves (gh, GitHub;
 * trusted and untrusted, OpenID with trust-mfa on and off), and the app's code exchange.
 */
final class UpstreamSignIn {

    private UpstreamSignIn() {
    }

    static String authgate() {
        return "http://127.0.0.1:" + RestAssured.port;
    }

    static String startUrl(String provider) {
        return authgate() + "/api:main/auth/oauth/" + provider + "/start?redirect_uri=" + enc(FakeUpstreams.APP_REDIRECT);
    }

    /** Where the provider sends the browser back after {@code as} signed in there: the callback URL. */
    static String atProvider(CookieJar jar, String startUrl, String as) throws Exception {
        HttpResponse<String> start = jar.get(startUrl);
        assertEquals(302, start.statusCode(), start.body());
        String toProvider = start.headers().firstValue("location").orElseThrow();
        HttpResponse<String> approved = jar.get(toProvider + "&as=" + enc(as));
        assertEquals(302, approved.statusCode(), approved.body());
        return approved.headers().firstValue("location").orElseThrow();
    }

    /** The whole browser part: start, the provider, the callback; where the app's page is reached. */
    static String landing(String startUrl, String as) throws Exception {
        CookieJar jar = new CookieJar();
        HttpResponse<String> landed = jar.get(atProvider(jar, startUrl, as));
        assertEquals(302, landed.statusCode(), landed.body());
        return landed.headers().firstValue("location").orElseThrow();
    }

    static String codeOf(String landing) {
        Map<String, String> q = CookieJar.query(landing);
        assertEquals(List.of("code"), List.copyOf(q.keySet()), landing);
        return q.get("code");
    }

    static io.restassured.response.Response exchange(String code) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("code", code);
        return RestAssured.given().contentType(ContentType.JSON).body(body).post("/api:main/auth/oauth/token");
    }
}
