package dev.authgate.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.authgate.support.Management;

/**
 * RFC 8414 metadata names the endpoints and how clients authenticate (without a public URL, from the request); the
 * OpenAPI document describes the service clients' endpoints.
 */
@QuarkusTest
class ServerMetadataTest {

    @TestHTTPResource("/")
    java.net.URL url;

    @Test
    void metadataNamesIntrospectionAndRevocation() {
        String base = "http://" + url.getHost() + ":" + url.getPort();
        List<String> methods = List.of("client_secret_basic", "client_secret_post");
        given().get("/.well-known/oauth-authorization-server").then().statusCode(200)
                .body("issuer", equalTo(base))
                .body("introspection_endpoint", equalTo(base + "/oauth2/introspect"))
                .body("revocation_endpoint", equalTo(base + "/oauth2/revoke"))
                .body("introspection_endpoint_auth_methods_supported", equalTo(methods))
                .body("revocation_endpoint_auth_methods_supported", equalTo(methods))
                .body("response_types_supported", equalTo(List.of()));
        given().header("Host", "auth.example.test:8443").get("/.well-known/oauth-authorization-server").then()
                .statusCode(200).body("issuer", equalTo("http://auth.example.test:8443"));
    }

    @Test
    void aPublicUrlMustBeAnAbsoluteHttpUrl() {
        assertEquals("https://auth.example.com/base", ServerMetadataResource.checked("https://auth.example.com/base/"));
        for (String bad : new String[] { "auth.example.com", "ftp://auth.example.com", "https://a.example?x=1",
                "https://a.example#f", "::" }) {
            assertThrows(IllegalStateException.class, () -> ServerMetadataResource.checked(bad), bad);
        }
    }

    @Test
    void theEndpointsAreInTheOpenApiDocument() {
        var doc = given().queryParam("format", "json").get(Management.url("/openapi")).then().statusCode(200).extract().jsonPath();
        assertEquals("basic", doc.getString("components.securitySchemes.clientBasic.scheme"));
        for (String path : List.of("'/oauth2/introspect'.post", "'/oauth2/revoke'.post", "'/api:{group}/auth/issue'.post")) {
            assertEquals(List.of("clientBasic"), doc.getList("paths." + path + ".security.collect { it.keySet() }.flatten()"),
                    path);
            for (String status : List.of("200", "401", "403", "429")) {
                assertEquals(true, doc.getMap("paths." + path + ".responses").containsKey(status), path + " " + status);
            }
        }
        assertEquals(true, doc.getMap("paths.'/oauth2/introspect'.post.responses").containsKey("413"));
        assertEquals(true, doc.getMap("paths.'/api:{group}/auth/issue'.post.responses").containsKey("404"));
        assertEquals(true, doc.getMap("paths").containsKey("/.well-known/oauth-authorization-server"));
    }
}
