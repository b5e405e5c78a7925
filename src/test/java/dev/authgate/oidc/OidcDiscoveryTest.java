package dev.authgate.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;

/** Each group's discovery document and jwks. */
@QuarkusTest
@TestProfile(OidcProfile.class)
class OidcDiscoveryTest {

    static String issuer(String group) {
        return "http://localhost:" + RestAssured.port + "/oidc/" + group;
    }

    @Test
    void discoveryNamesTheGroupsIssuerAndItsEndpoints() {
        for (String group : new String[] { "main", "staff" }) {
            String iss = issuer(group);
            given().get("/oidc/" + group + "/.well-known/openid-configuration").then().statusCode(200)
                    .body("issuer", equalTo(iss))
                    .body("authorization_endpoint", equalTo(iss + "/authorize"))
                    .body("token_endpoint", equalTo(iss + "/token"))
                    .body("userinfo_endpoint", equalTo(iss + "/userinfo"))
                    .body("jwks_uri", equalTo(iss + "/jwks"))
                    .body("end_session_endpoint", equalTo(iss + "/end-session"))
                    .body("revocation_endpoint", equalTo(iss + "/revoke"))
                    .body("introspection_endpoint", equalTo(iss + "/introspect"))
                    .body("response_types_supported", contains("code"))
                    .body("grant_types_supported", hasItems("authorization_code"))
                    .body("code_challenge_methods_supported", contains("S256"))
                    .body("id_token_signing_alg_values_supported", contains("ES256"))
                    .body("token_endpoint_auth_methods_supported",
                            hasItems("client_secret_basic", "client_secret_post", "none"))
                    .body("scopes_supported", hasItems("openid", "email", "profile", "offline_access"))
                    .body("authorization_response_iss_parameter_supported", equalTo(true))
                    .body("subject_types_supported", contains("public"));
        }
    }

    @Test
    void jwksPublishesThePublicSigningKeyOnly() throws Exception {
        String body = given().get("/oidc/main/jwks").then().statusCode(200)
                .body("keys[0].kid", equalTo("dev-only-oidc-1"))
                .body("keys[0].kty", equalTo("EC"))
                .body("keys[0].alg", equalTo("ES256"))
                .body("keys[0].use", equalTo("sig"))
                .body("keys[0]", not(hasKey("d")))
                .extract().asString();
        JWKSet set = JWKSet.parse(body);
        assertEquals(1, set.getKeys().size());
        assertFalse(((ECKey) set.getKeys().get(0)).isPrivate());
    }

    @Test
    void anUnknownGroupOrABranchLabelIsAnUnknownRoute() {
        for (String path : new String[] { "/oidc/nope/.well-known/openid-configuration", "/oidc/nope/jwks",
                "/oidc/main:v1/.well-known/openid-configuration", "/oidc/nope/authorize?client_id=web" }) {
            given().get(path).then().statusCode(404).body("code", equalTo("ERROR_CODE_NOT_FOUND"));
        }
    }
}
