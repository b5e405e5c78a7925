package dev.authgate.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/** The signing keys setting: what it accepts and refuses, which key signs, what jwks publishes, what verifies. */
class SigningKeysTest {

    private static String set(Object... keys) {
        StringBuilder json = new StringBuilder("{\"keys\":[");
        for (int i = 0; i < keys.length; i++) {
            json.append(i == 0 ? "" : ",").append(keys[i] instanceof com.nimbusds.jose.jwk.JWK k ? k.toJSONString()
                    : keys[i]);
        }
        return json.append("]}").toString();
    }

    private static ECKey ec(String kid) throws Exception {
        return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    }

    private static RSAKey rsa(String kid, int bits) throws Exception {
        return new RSAKeyGenerator(bits, true).keyID(kid).generate();
    }

    private static String refusal(Optional<String> jwks, boolean allowDev, boolean needed) {
        return assertThrows(IllegalStateException.class, () -> SigningKeys.parse(jwks, allowDev, needed)).getMessage();
    }

    private static JWTClaimsSet claims() {
        long now = System.currentTimeMillis();
        return new JWTClaimsSet.Builder().issuer("https://a.example/oidc/main").subject("7").jwtID(
                UUID.randomUUID().toString()).claim("client_id", "web").issueTime(new Date(now))
                .expirationTime(new Date(now + 60_000)).build();
    }

    @Test
    void theFirstKeySignsEs256AndEveryKeyIsPublishedWithoutItsPrivatePart() throws Exception {
        ECKey first = ec("k1");
        RSAKey second = rsa("k2", 2048);
        SigningKeys keys = new SigningKeys(SigningKeys.parse(Optional.of(set(first, second)), false, true));
        assertTrue(keys.on());
        assertEquals(JWSAlgorithm.ES256, keys.algorithm());
        assertEquals(List.of("ES256", "RS256"), keys.algorithms());

        SignedJWT jwt = SignedJWT.parse(keys.sign(claims(), SigningKeys.ACCESS_TOKEN));
        assertEquals("k1", jwt.getHeader().getKeyID());
        assertEquals("at+jwt", jwt.getHeader().getType().getType());
        assertTrue(jwt.verify(new ECDSAVerifier(first.toPublicJWK())));

        JWKSet published = JWKSet.parse(keys.published());
        assertEquals(2, published.getKeys().size());
        published.getKeys().forEach(k -> assertFalse(k.isPrivate(), k.getKeyID()));
        assertEquals("ES256", published.getKeyByKeyId("k1").getAlgorithm().getName());
        assertEquals("RS256", published.getKeyByKeyId("k2").getAlgorithm().getName());
        assertEquals("sig", published.getKeyByKeyId("k2").getKeyUse().getValue());
        assertFalse(published.toString().contains("\"d\""));
    }

    @Test
    void anRsaKeyFirstSignsRs256() throws Exception {
        RSAKey first = rsa("r1", 2048);
        SigningKeys keys = new SigningKeys(SigningKeys.parse(Optional.of(set(first, ec("e2"))), false, true));
        assertEquals(JWSAlgorithm.RS256, keys.algorithm());
        SignedJWT jwt = SignedJWT.parse(keys.sign(claims(), SigningKeys.ID_TOKEN));
        assertEquals(JWSAlgorithm.RS256, jwt.getHeader().getAlgorithm());
        assertTrue(jwt.verify(new RSASSAVerifier(first.toPublicJWK())));
    }

    @Test
    void accessTokensVerifyUnderEveryPublishedKeyAndOnlyAsAtJwt() throws Exception {
        ECKey old = ec("old");
        SigningKeys before = new SigningKeys(SigningKeys.parse(Optional.of(set(old)), false, true));
        String signedByOld = before.sign(claims(), SigningKeys.ACCESS_TOKEN);
        // rotated: a new key signs, the old one still verifies what it signed
        SigningKeys after = new SigningKeys(SigningKeys.parse(Optional.of(set(ec("new"), old)), false, true));
        assertEquals("7", after.verifyAccessToken(signedByOld).getSubject());
        assertEquals("7", after.verifyAccessToken(after.sign(claims(), SigningKeys.ACCESS_TOKEN)).getSubject());

        // an id_token is not an access token; a stranger's key, an expired token, garbage: invalid_token
        String idToken = after.sign(claims(), SigningKeys.ID_TOKEN);
        SigningKeys stranger = new SigningKeys(SigningKeys.parse(Optional.of(set(ec("old"))), false, true));
        long past = System.currentTimeMillis() - 3_600_000;
        String expired = after.sign(new JWTClaimsSet.Builder(claims()).issueTime(new Date(past - 60_000))
                .expirationTime(new Date(past)).build(), SigningKeys.ACCESS_TOKEN);
        for (String bad : List.of(idToken, stranger.sign(claims(), SigningKeys.ACCESS_TOKEN), expired, "x.y.z", "")) {
            OidcFailure f = assertThrows(OidcFailure.class, () -> after.verifyAccessToken(bad));
            assertEquals("invalid_token", f.error().code());
        }
    }

    @Test
    void devOnlyKeysAreRefusedInProductionOnly() throws Exception {
        String dev = set(ec("dev-only-oidc-9"));
        assertEquals(1, SigningKeys.parse(Optional.of(dev), true, true).size());
        assertTrue(refusal(Optional.of(dev), false, true).contains("dev-only key"));
    }

    @Test
    void noKeysTurnTheProviderOffUnlessClientsNeedIt() {
        assertTrue(SigningKeys.parse(Optional.empty(), false, false).isEmpty());
        assertTrue(SigningKeys.parse(Optional.of("  "), false, false).isEmpty());
        assertFalse(new SigningKeys(List.of()).on());
        assertTrue(refusal(Optional.empty(), false, true).contains("authgate.oidc.clients are configured but no"));
    }

    @Test
    void whatIsNotASigningKeyIsRefusedWithTheReason() throws Exception {
        ECKey noKid = new ECKeyGenerator(Curve.P_256).generate();
        ECKey p384 = new ECKeyGenerator(Curve.P_384).keyID("p384").generate();
        OctetSequenceKey hmac = new OctetSequenceKeyGenerator(256).keyID("hs").generate();
        Map<String, String> cases = Map.of(
                "not json", "is not a valid JWK Set",
                "{\"keys\":[]}", "holds no key",
                set(noKid), "needs a \"kid\"",
                set(ec("pub").toPublicJWK()), "has no private part",
                set(p384), "neither EC P-256 nor RSA",
                set(hmac), "neither EC P-256 nor RSA",
                set(rsa("small", 1024)), "neither EC P-256 nor RSA",
                set(ec("same"), ec("same")), "two keys with the same kid",
                set(new ECKey.Builder(ec("wrong-alg")).algorithm(JWSAlgorithm.ES384).build()), "says alg ES384");
        cases.forEach((json, reason) -> assertTrue(refusal(Optional.of(json), true, true).contains(reason),
                json + " → " + reason));
    }
}
