package dev.authgate.token;

import java.security.Key;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.OctetSequenceJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * The token keys: a JWK Set of 256-bit {@code oct} keys with ids. The first encrypts; all decrypt, so a new
 * key can be prepended and the old one dropped after the longest expiration without logging anyone out.
 */
public final class KeyRing {

    /** Key ids with this prefix ship in the repository for dev and test; production refuses them (and their material). */
    public static final String DEV_KEY_PREFIX = "dev-only";

    /**
     * SHA-256 of the dev key's material in application.properties: refused under any kid, so renaming the public key
     * does not get it into production.
     */
    private static final byte[] DEV_KEY_SHA256 =
            HexFormat.of().parseHex("a5bd284dbd0df3525f6fa861a9da20fd6de9b19f0ddb019864bc4bdc75f140d3");

    static final String HOW_TO_MAKE_ONE = """
            Set AUTHGATE_TOKEN_KEYS (or authgate.token.keys) to a JWK Set of 256-bit oct keys, e.g.
              printf '{"keys":[{"kty":"oct","kid":"%s","k":"%s"}]}\\n' "$(date +%Y%m%d)" \
            "$(head -c 32 /dev/urandom | basenc --base64url | tr -d '=')"
            The first key encrypts, every key decrypts: to rotate, prepend a new key and drop the old one
            after the longest token expiration.""";

    public record NamedKey(String kid, Key key) {
    }

    private final List<NamedKey> keys;
    private final Map<String, NamedKey> byKid;

    /** Unchecked: for tests that need a ring {@link #parse} would refuse. */
    static KeyRing unchecked(List<NamedKey> keys) {
        return new KeyRing(keys);
    }

    private KeyRing(List<NamedKey> keys) {
        this.keys = List.copyOf(keys);
        Map<String, NamedKey> map = new LinkedHashMap<>();
        keys.forEach(k -> map.put(k.kid(), k));
        this.byKid = Map.copyOf(map);
    }

    /**
     * Parses and checks a JWK Set.
     *
     * @param allowDevKeys false in production, where keys marked {@value #DEV_KEY_PREFIX} are refused
     * @throws IllegalStateException with a message that says what to set
     */
    public static KeyRing parse(Optional<String> jwks, boolean allowDevKeys) {
        String json = jwks.map(String::strip).filter(s -> !s.isEmpty())
                .orElseThrow(() -> new IllegalStateException("No token keys are configured. " + HOW_TO_MAKE_ONE));
        List<JsonWebKey> jwkList;
        try {
            jwkList = new JsonWebKeySet(json).getJsonWebKeys();
        } catch (JoseException | RuntimeException e) {
            throw new IllegalStateException("authgate.token.keys is not a valid JWK Set. " + HOW_TO_MAKE_ONE);
        }
        if (jwkList.isEmpty()) {
            throw new IllegalStateException("authgate.token.keys holds no key. " + HOW_TO_MAKE_ONE);
        }
        List<NamedKey> keys = jwkList.stream().map(jwk -> check(jwk, allowDevKeys)).toList();
        if (keys.stream().map(NamedKey::kid).distinct().count() != keys.size()) {
            throw new IllegalStateException("authgate.token.keys has two keys with the same kid.");
        }
        return new KeyRing(keys);
    }

    private static NamedKey check(JsonWebKey jwk, boolean allowDevKeys) {
        String kid = jwk.getKeyId();
        if (kid == null || kid.isBlank()) {
            throw new IllegalStateException("Every key in authgate.token.keys needs a \"kid\". " + HOW_TO_MAKE_ONE);
        }
        if (!(jwk instanceof OctetSequenceJsonWebKey oct) || oct.getOctetSequence().length != 32) {
            throw new IllegalStateException("Key \"" + kid + "\" in authgate.token.keys is not a 256-bit oct key. "
                    + HOW_TO_MAKE_ONE);
        }
        if (!allowDevKeys && (kid.startsWith(DEV_KEY_PREFIX) || isDevKeyMaterial(oct.getOctetSequence()))) {
            throw new IllegalStateException("Key \"" + kid + "\" is a dev-only key and is refused outside dev and test. "
                    + HOW_TO_MAKE_ONE);
        }
        return new NamedKey(kid, oct.getKey());
    }

    private static boolean isDevKeyMaterial(byte[] key) {
        try {
            return MessageDigest.isEqual(DEV_KEY_SHA256, MessageDigest.getInstance("SHA-256").digest(key));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public NamedKey current() {
        return keys.get(0);
    }

    public Optional<NamedKey> byKid(String kid) {
        return Optional.ofNullable(byKid.get(kid));
    }

    /** In configured order: the encrypting key first. */
    public List<NamedKey> all() {
        return keys;
    }
}
