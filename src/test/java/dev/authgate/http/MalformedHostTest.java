package dev.authgate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.authgate.support.RawHttp;

/** Issue 23 #10: a Host header Vert.x cannot parse is a 400 in the error shape, not vertx-web's bare 500. */
@QuarkusTest
class MalformedHostTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL url;

    @Test
    void aMalformedHostIs400InTheErrorShape() throws Exception {
        for (String host : new String[] { "[", "[::1", "a:b:c", "example.com:port", "example.com:99999", "exa mple.com",
                "[::1]x" }) {
            for (String path : new String[] { "/api:main/auth/me", "/gate/check", "/nothing" }) {
                try (RawHttp http = new RawHttp(url.getPort())) {
                    RawHttp.Response r = http.send(("GET " + path + " HTTP/1.1\r\nHost: " + host
                            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    String what = "Host: " + host + " " + path + " -> " + r.status() + " " + r.text();
                    assertEquals(400, r.status(), what);
                    assertTrue(String.valueOf(r.header("Content-Type")).startsWith("application/json"), what);
                    JsonNode body = JSON.readTree(r.body());
                    assertEquals("ERROR_CODE_BAD_REQUEST", body.path("code").asText(), what);
                    assertTrue(body.has("message") && body.has("payload"), what);
                }
            }
        }
    }
}
