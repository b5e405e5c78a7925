package dev.authgate.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import dev.authgate.support.Management;

/** /q/openapi (on the management port) describes the auth endpoints as clients call them, both token headers and the error shape. */
@QuarkusTest
class OpenApiTest {

    private static JsonPath doc() {
        return given().queryParam("format", "json").get(Management.url("/openapi")).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void authEndpointsAreDescribedAtTheirClientPaths() {
        Map<String, Map<String, Object>> paths = doc().getMap("paths");
        assertTrue(paths.keySet().containsAll(List.of("/api:{group}/auth/signup", "/api:{group}/auth/login",
                "/api:{group}/auth/me")), paths.keySet().toString());
        assertTrue(paths.keySet().stream().noneMatch(p -> p.startsWith("/{api}")), paths.keySet().toString());

        Map<String, Object> login = op(paths, "/api:{group}/auth/login", "post");
        assertTrue(json(login).contains("#/components/schemas/Login"), "login body: " + login);
        Map<String, Object> responses = cast(login.get("responses"));
        for (String status : List.of("400", "401", "403", "404", "413", "429")) {
            assertTrue(json(responses.get(status)).contains("#/components/responses/"), status + ": " + responses);
        }
    }

    @Test
    void bothTokenHeadersAreSecuritySchemes() {
        JsonPath doc = doc();
        assertEquals("http", doc.getString("components.securitySchemes.bearer.type"));
        assertEquals("bearer", doc.getString("components.securitySchemes.bearer.scheme"));
        assertEquals("apiKey", doc.getString("components.securitySchemes.alternativeHeader.type"));
        assertEquals("header", doc.getString("components.securitySchemes.alternativeHeader.in"));
        assertEquals("X-Xano-Authorization", doc.getString("components.securitySchemes.alternativeHeader.name"));

        Map<String, Object> me = op(doc.getMap("paths"), "/api:{group}/auth/me", "get");
        List<Map<String, Object>> security = cast(me.get("security"));
        assertEquals(List.of("bearer", "alternativeHeader"),
                security.stream().flatMap(r -> r.keySet().stream()).toList(), "either header authenticates /me");
    }

    @Test
    void theErrorShapeIsASchemaThatErrorResponsesUse() {
        JsonPath doc = doc();
        assertEquals(List.of("code", "message", "payload"), doc.getList("components.schemas.ApiError.required"));
        assertEquals("#/components/schemas/ApiError",
                doc.getString("components.responses.Unauthorized.content.'application/json'.schema.'$ref'"));
        assertEquals("ERROR_CODE_UNAUTHORIZED",
                doc.getString("components.responses.Unauthorized.content.'application/json'.example.code"));
    }

    /** In dev and test; production switches it on with QUARKUS_SWAGGER_UI_ENABLED=true (OpenApiIT). */
    @Test
    void swaggerUiIsServed() {
        given().get(Management.url("/swagger-ui/")).then().statusCode(200).body(containsString("swagger-ui"));
    }

    private static Map<String, Object> op(Map<String, Map<String, Object>> paths, String path, String method) {
        return cast(paths.get(path).get(method));
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }

    private static String json(Object o) {
        return String.valueOf(o);
    }
}
