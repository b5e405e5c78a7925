package dev.authgate.token;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.CompressionAlgorithm;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import dev.authgate.support.Api;
import dev.authgate.support.Jwe;
import dev.authgate.support.TestDatabase;

/** Tokens read by an independent JOSE library (Nimbus), and every way a bad token is refused with 401. */
@QuarkusTest
class TokenTest {

    @Test
    void headerAndClaimsAreAsSpecified() {
        String email = Api.uniqueEmail();
        long before = System.currentTimeMillis() / 1000;
        String token = Api.signup(email);
        var jwe = Jwe.decrypt(token);

        assertEquals(JWEAlgorithm.A256KW, jwe.header().getAlgorithm());
        assertEquals(EncryptionMethod.A256CBC_HS512, jwe.header().getEncryptionMethod());
        assertEquals(Jwe.TEST_KID, jwe.header().getKeyID());
        assertNull(jwe.header().getCompressionAlgorithm(), "issued without compression");

        long id = TestDatabase.scalar("select id from \"user\" where email = ?", email);
        Map<String, Object> c = jwe.claims();
        assertEquals(id, ((Number) c.get("id")).longValue());
        assertEquals("user", c.get("dbtable"));
        assertEquals(Map.of(), c.get("extras"));
        assertEquals(Long.toString(id), c.get("sub"));
        assertEquals("authgate", c.get("iss"));
        long iat = ((Number) c.get("iat")).longValue();
        assertTrue(iat >= before && iat <= before + 60, "iat " + iat);
        assertEquals(iat + 86400, ((Number) c.get("exp")).longValue());
        UUID jti = UUID.fromString((String) c.get("jti"));
        assertEquals(1, TestDatabase.scalar("select count(*) from auth_session where jti = ?", jti));
    }

    @Test
    void tamperedGarbageAndUnsignedTokensGet401Everywhere() {
        String token = Api.signup(Api.uniqueEmail());
        String[] parts = token.split("\\.");
        char first = parts[3].charAt(0);
        parts[3] = (first == 'A' ? 'B' : 'A') + parts[3].substring(1);
        String tamperedCiphertext = String.join(".", parts);
        String tamperedTag = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");

        String b64 = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        String body = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"id\":1,\"dbtable\":\"user\",\"extras\":{}}".getBytes(StandardCharsets.UTF_8));
        String algNone = b64 + "." + body + ".";
        String dirAlg = Jwe.encrypt(new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM).keyID(Jwe.TEST_KID).build(),
                claimsOf(token), Jwe.TEST_KEY);

        for (String bad : new String[] { tamperedCiphertext, tamperedTag, "garbage", "a.b.c.d.e", algNone, dirAlg,
                token + "x", "x".repeat(20_000) }) {
            Api.bearer(bad).get("/api:main/auth/me").then().statusCode(401)
                    .body("code", equalTo("ERROR_CODE_UNAUTHORIZED"));
            Api.bearer(bad).contentType(ContentType.JSON).body(Map.of("email", "x@y.zz", "password", "whatever1"))
                    .post("/api:main/auth/login").then().statusCode(401);
        }
    }

    @Test
    void aTokenWithAnUnknownKeyIdOrAnotherKeyIsRefused() {
        String token = Api.signup(Api.uniqueEmail());
        Map<String, Object> claims = claimsOf(token);
        Api.bearer(Jwe.encrypt(Jwe.header("unknown-kid").build(), claims, Jwe.TEST_KEY)).get("/api:main/auth/me")
                .then().statusCode(401);
        Api.bearer(Jwe.encrypt(Jwe.header(Jwe.TEST_KID).build(), claims, Jwe.randomKey())).get("/api:main/auth/me")
                .then().statusCode(401);
        // the same claims under the right key and kid are accepted: the refusals above are about the key
        Api.bearer(Jwe.encrypt(Jwe.header(Jwe.TEST_KID).build(), claims, Jwe.TEST_KEY)).get("/api:main/auth/me")
                .then().statusCode(200);
    }

    @Test
    void compressedAndKidlessTokensAsXanoMakesThemAreRead() {
        String email = Api.uniqueEmail();
        Map<String, Object> claims = claimsOf(Api.signup(email));
        String zipped = Jwe.encrypt(Jwe.header(Jwe.TEST_KID).compressionAlgorithm(CompressionAlgorithm.DEF).build(),
                claims, Jwe.TEST_KEY);
        Api.bearer(zipped).get("/api:main/auth/me").then().statusCode(200).body("email", equalTo(email));
        String kidless = Jwe.encrypt(new JWEHeader.Builder(JWEAlgorithm.A256KW, EncryptionMethod.A256CBC_HS512)
                .compressionAlgorithm(CompressionAlgorithm.DEF).build(), claims, Jwe.TEST_KEY);
        Api.bearer(kidless).get("/api:main/auth/me").then().statusCode(200).body("email", equalTo(email));
    }

    @Test
    void expiredOrSessionlessOrOddlyTypedClaimsAreRefused() {
        Map<String, Object> claims = claimsOf(Api.signup(Api.uniqueEmail()));

        Map<String, Object> expired = new HashMap<>(claims);
        expired.put("exp", System.currentTimeMillis() / 1000 - 1);
        Api.bearer(Jwe.encrypt(Jwe.header(Jwe.TEST_KID).build(), expired, Jwe.TEST_KEY)).get("/api:main/auth/me")
                .then().statusCode(401);

        Map<String, Object> noSession = new HashMap<>(claims);
        noSession.put("jti", UUID.randomUUID().toString());
        Api.bearer(Jwe.encrypt(Jwe.header(Jwe.TEST_KID).build(), noSession, Jwe.TEST_KEY)).get("/api:main/auth/me")
                .then().statusCode(401);

        Map<String, Object> otherAccount = new HashMap<>(claims);
        otherAccount.put("id", ((Number) claims.get("id")).longValue() + 1_000_000);
        Api.bearer(Jwe.encrypt(Jwe.header(Jwe.TEST_KID).build(), otherAccount, Jwe.TEST_KEY)).get("/api:main/auth/me")
                .then().statusCode(401);

        Map<String, Object> stringId = new HashMap<>(claims);
        stringId.put("id", "1");
        Api.bearer(Jwe.encrypt(Jwe.header(Jwe.TEST_KID).build(), stringId, Jwe.TEST_KEY)).get("/api:main/auth/me")
                .then().statusCode(401);

        Map<String, Object> unknownTable = new HashMap<>(claims);
        unknownTable.put("dbtable", "nope");
        Api.bearer(Jwe.encrypt(Jwe.header(Jwe.TEST_KID).build(), unknownTable, Jwe.TEST_KEY)).get("/api:main/auth/me")
                .then().statusCode(401);
    }

    @Test
    void noTokenOnAnAuthenticatedEndpointIs401InTheErrorShape() {
        given().get("/api:main/auth/me").then().statusCode(401)
                .body("code", equalTo("ERROR_CODE_UNAUTHORIZED")).body("message", equalTo("Invalid token."));
        assertFalse(given().get("/api:main/auth/me").asString().contains("Exception"));
    }

    private static Map<String, Object> claimsOf(String token) {
        return new HashMap<>(Jwe.decrypt(token).claims());
    }
}
