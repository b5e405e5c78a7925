package dev.authgate.security;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.nimbusds.jose.CompressionAlgorithm;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.AESEncrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;

import dev.authgate.support.Jwe;

/**
 * Bad tokens derived from two real ones: token {@code i} depends only on the seed and {@code i}, so a failure
 * reproduces with the same seed whatever the thread scheduling. None of them may be accepted.
 */
final class TokenMutations {

    record Bad(String kind, byte[] token) {
    }

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final String[] PART = { "header", "encrypted-key", "iv", "ciphertext", "tag" };
    private static final String[] OTHER_ALGS = { "RSA-OAEP", "RSA-OAEP-256", "RSA1_5", "ECDH-ES", "ECDH-ES+A256KW",
            "A128KW", "A192KW", "A256GCMKW", "PBES2-HS512+A256KW", "dir", "none", "", "A256KW ", "a256kw" };
    private static final String[] OTHER_ENCS = { "A256CBC-HS512", "A128GCM", "A256GCM", "A128CBC-HS256", "x" };

    private final long seed;
    private final String token;
    private final String other;
    private final Map<String, Object> claims;

    /** {@code token} and {@code other}: two real tokens; {@code claims}: the first one's claims. */
    TokenMutations(long seed, String token, String other, Map<String, Object> claims) {
        this.seed = seed;
        this.token = token;
        this.other = other;
        this.claims = claims;
    }

    Bad make(int i) {
        Random r = new Random(mix(seed * 1_000_003L + i)); // mixed: Random's first draws of close seeds are alike
        return switch (i % 20) {
            case 0, 1, 2, 3, 4, 5, 6, 7 -> flip(r);
            case 8 -> substituteChar(r);
            case 9 -> cut(r);
            case 10 -> dots(r);
            case 11 -> splice(r);
            case 12 -> bad("random-base64url", randomB64(r, 1 + r.nextInt(600), r.nextInt(7)));
            case 13 -> r.nextInt(4) == 0
                    ? new Bad("ctl-bytes", randomBytes(r, 1 + r.nextInt(300), true))
                    : new Bad("random-bytes", randomBytes(r, 1 + r.nextInt(300), false));
            case 14 -> otherAlgWithJunk(r);
            case 15 -> otherKey(r);
            case 16 -> bad("unknown-kid", encrypt(Jwe.header(randomKid(r)).build(), new Payload(claims), Jwe.TEST_KEY));
            case 17 -> wrongClaimType(r);
            case 18 -> refusedAlgorithmWithTheRightKey(r);
            default -> bad("huge", randomB64(r, 5_000 + r.nextInt(2_500), 4));
        };
    }

    /** SplitMix64's finalizer. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A few single cases that are costly to make or not worth repeating. */
    List<Bad> extras() {
        List<Bad> all = new ArrayList<>();
        // compressed garbage and a 3 MB decompression bomb, both encrypted with the right key
        all.add(bad("zip-garbage", encrypt(Jwe.header(Jwe.TEST_KID).compressionAlgorithm(CompressionAlgorithm.DEF).build(),
                new Payload("not json at all"), Jwe.TEST_KEY)));
        all.add(bad("zip-bomb", encrypt(Jwe.header(Jwe.TEST_KID).compressionAlgorithm(CompressionAlgorithm.DEF).build(),
                new Payload("0".repeat(3 << 20)), Jwe.TEST_KEY)));
        // payloads that are not a claims object, and deep nesting for the JSON parser
        for (String payload : new String[] { "", "null", "[]", "[1,2]", "123", "\"text\"", "true", "{", "{}",
                "{\"id\":}", "[".repeat(3_000) + "]".repeat(3_000), "{\"a\":".repeat(1_500) + "1" + "}".repeat(1_500),
                "{\"id\":1e999999}", "{\"id\":123456789012345678901234567890}" }) {
            all.add(bad("payload " + abbreviate(payload), encrypt(Jwe.header(Jwe.TEST_KID).build(), new Payload(payload),
                    Jwe.TEST_KEY)));
        }
        // the real token behind stray whitespace, quotes or another scheme's words is not the token
        all.add(bad("quoted", "\"" + token + "\""));
        all.add(bad("token,token", token + "," + token));
        all.add(bad("two-words", token + " " + token));
        return all;
    }

    private Bad flip(Random r) {
        String[] parts = token.split("\\.", -1);
        int p = r.nextInt(5);
        byte[] bytes = UNB64.decode(parts[p]);
        int at = r.nextInt(bytes.length);
        String how;
        if (r.nextBoolean()) {
            bytes[at] ^= (byte) (1 << r.nextInt(8));
            how = "bit";
        } else {
            bytes[at] = (byte) (bytes[at] + 1 + r.nextInt(255)); // any other value
            how = "byte";
        }
        parts[p] = B64.encodeToString(bytes);
        return bad("flip-" + how + " " + PART[p], String.join(".", parts));
    }

    /** Another base64url character anywhere but a part's last one, whose low bits may be unused padding. */
    private Bad substituteChar(Random r) {
        String[] parts = token.split("\\.", -1);
        int p = r.nextInt(5);
        char[] chars = parts[p].toCharArray();
        int at = r.nextInt(chars.length - 1);
        char c;
        do {
            c = r.nextInt(10) == 0 ? "+/=!~ %\u00e9".charAt(r.nextInt(8)) : ALPHABET.charAt(r.nextInt(64));
        } while (c == chars[at]);
        chars[at] = c;
        parts[p] = new String(chars);
        return bad("char " + PART[p], String.join(".", parts));
    }

    private Bad cut(Random r) {
        String[] parts = token.split("\\.", -1);
        int p = r.nextInt(5);
        switch (r.nextInt(3)) {
            case 0 -> {
                parts[p] = parts[p].substring(0, r.nextInt(parts[p].length()));
                return bad("cut " + PART[p], String.join(".", parts));
            }
            case 1 -> {
                List<String> kept = new ArrayList<>(Arrays.asList(parts));
                kept.remove(p);
                return bad("drop " + PART[p], String.join(".", kept));
            }
            default -> {
                return bad("truncated", token.substring(0, 1 + r.nextInt(token.length() - 1)));
            }
        }
    }

    private Bad dots(Random r) {
        StringBuilder t = new StringBuilder(token);
        switch (r.nextInt(5)) {
            case 0 -> t.insert(1 + r.nextInt(t.length() - 1), '.');
            case 1 -> t.deleteCharAt(nthDot(r.nextInt(4)));
            case 2 -> t.insert(nthDot(r.nextInt(4)), '.');
            case 3 -> t.insert(0, '.');
            default -> t.append('.').append(r.nextBoolean() ? randomB64(r, 1 + r.nextInt(40), 0) : "");
        }
        return bad("dots", t.toString());
    }

    private int nthDot(int n) {
        int at = -1;
        for (int k = 0; k <= n; k++) {
            at = token.indexOf('.', at + 1);
        }
        return at;
    }

    /** Parts of the two real tokens mixed: each half is genuine, the whole is not. */
    private Bad splice(Random r) {
        String[] a = token.split("\\.", -1);
        String[] b = other.split("\\.", -1);
        String[] mixed = a.clone();
        int from = 1 + r.nextInt(4); // the headers are the same: at least one of parts 1-4 must stay the first token's
        System.arraycopy(b, from, mixed, from, 1 + r.nextInt(from == 1 ? 3 : 5 - from));
        if (r.nextBoolean()) { // or two parts of one token swapped
            mixed = a.clone();
            int x = r.nextInt(5);
            int y = (x + 1 + r.nextInt(4)) % 5;
            String s = mixed[x];
            mixed[x] = mixed[y];
            mixed[y] = s;
        }
        return bad("splice", String.join(".", mixed));
    }

    private Bad otherAlgWithJunk(Random r) {
        String alg = OTHER_ALGS[r.nextInt(OTHER_ALGS.length)];
        String enc = OTHER_ENCS[r.nextInt(OTHER_ENCS.length)];
        String header = "{\"alg\":\"" + alg + "\",\"enc\":\"" + enc + "\",\"kid\":\"" + Jwe.TEST_KID + "\""
                + (alg.startsWith("PBES2") ? ",\"p2s\":\"c2FsdHNhbHQ\",\"p2c\":2147483647" : "")
                + (alg.startsWith("ECDH") ? ",\"epk\":{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AAAA\",\"y\":\"AAAA\"}" : "")
                + "}";
        String junk = B64.encodeToString(randomBytes(r, 40, true)) + "." + B64.encodeToString(randomBytes(r, 16, true)) + "."
                + B64.encodeToString(randomBytes(r, 64 + r.nextInt(200), true)) + "." + B64.encodeToString(randomBytes(r, 32, true));
        return bad("alg " + alg + "/" + enc, B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "." + junk);
    }

    /** Well-formed A256KW tokens under keys the service does not have. */
    private Bad otherKey(Random r) {
        byte[] key = new byte[32];
        r.nextBytes(key);
        String kid = switch (r.nextInt(3)) {
            case 0 -> Jwe.TEST_KID;
            case 1 -> null; // kid-less: the service tries each of its keys
            default -> randomKid(r);
        };
        return bad("other-key", encrypt(Jwe.header(kid).build(), new Payload(claims), key));
    }

    private Bad wrongClaimType(Random r) {
        String[] names = { "id", "dbtable", "extras", "jti", "iat", "exp" };
        Object[] values = { "1", 1.5, 1e300, null, true, List.of(), List.of(1), Map.of(), "", "not-a-uuid", 42,
                Map.of("id", 1) };
        String name = names[r.nextInt(names.length)];
        Object value = values[r.nextInt(values.length)];
        if (isRightType(name, value)) {
            value = java.util.Collections.singletonList(value); // still wrong
        }
        Map<String, Object> c = new HashMap<>(claims);
        if (r.nextInt(8) == 0 && !name.equals("extras") && !name.equals("exp")) {
            c.remove(name);
            return bad("claim " + name + " missing", encrypt(Jwe.header(Jwe.TEST_KID).build(), new Payload(c), Jwe.TEST_KEY));
        }
        c.put(name, value);
        return bad("claim " + name + "=" + value, encrypt(Jwe.header(Jwe.TEST_KID).build(), new Payload(c), Jwe.TEST_KEY));
    }

    /** Values that are a valid instance of the claim (so the mutation would not be wrong). */
    private static boolean isRightType(String name, Object v) {
        return switch (name) {
            case "id" -> v instanceof Integer || v instanceof Long;
            case "dbtable" -> "user".equals(v);
            case "extras" -> v == null || v instanceof Map; // null: as if absent, i.e. {}
            case "iat" -> v instanceof Number;
            // null: as if absent, i.e. a token that never expires
            case "exp" -> v == null || v instanceof Number && ((Number) v).doubleValue() > System.currentTimeMillis() / 1000.0;
            default -> false;
        };
    }

    /** The right key, the right claims, but algorithms the service does not allow. */
    private Bad refusedAlgorithmWithTheRightKey(Random r) {
        Payload payload = new Payload(claims);
        return switch (r.nextInt(6)) {
            case 0 -> bad("dir A256GCM", encrypt(new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM)
                    .keyID(Jwe.TEST_KID).build(), payload, Jwe.TEST_KEY));
            case 1 -> bad("dir A256CBC-HS512", encrypt(new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256CBC_HS512)
                    .keyID(Jwe.TEST_KID).build(), payload, concat(Jwe.TEST_KEY, Jwe.TEST_KEY)));
            case 2 -> bad("A256KW A128GCM", encrypt(new JWEHeader.Builder(JWEAlgorithm.A256KW, EncryptionMethod.A128GCM)
                    .keyID(Jwe.TEST_KID).build(), payload, Jwe.TEST_KEY));
            case 3 -> bad("A256KW A256GCM", encrypt(new JWEHeader.Builder(JWEAlgorithm.A256KW, EncryptionMethod.A256GCM)
                    .keyID(Jwe.TEST_KID).build(), payload, Jwe.TEST_KEY));
            case 4 -> bad("A256KW A128CBC-HS256", encrypt(new JWEHeader.Builder(JWEAlgorithm.A256KW,
                    EncryptionMethod.A128CBC_HS256).keyID(Jwe.TEST_KID).build(), payload, Jwe.TEST_KEY));
            default -> {
                String none = "{\"alg\":\"none\",\"enc\":\"A256CBC-HS512\",\"kid\":\"" + Jwe.TEST_KID + "\"}";
                String body = B64.encodeToString(payload.toBytes());
                yield r.nextBoolean()
                        ? bad("alg none (JWS)", B64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
                                + "." + body + ".")
                        : bad("alg none (JWE)", B64.encodeToString(none.getBytes(StandardCharsets.UTF_8)) + ".."
                                + B64.encodeToString(new byte[16]) + "." + body + ".");
            }
        };
    }

    static String encrypt(JWEHeader header, Payload payload, byte[] key) {
        try {
            JWEObject jwe = new JWEObject(header, payload);
            jwe.encrypt(header.getAlgorithm().equals(JWEAlgorithm.DIR) ? new DirectEncrypter(key) : new AESEncrypter(key));
            return jwe.serialize();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String randomKid(Random r) {
        String[] kids = { "", "unknown", "../../etc/passwd", "dev-only-1", "kid\u00e9", Jwe.TEST_KID + " ",
                "k".repeat(2_000), "' or 1=1 --" };
        return kids[r.nextInt(kids.length)];
    }

    private static String randomB64(Random r, int length, int dots) {
        StringBuilder sb = new StringBuilder(length);
        for (int k = 0; k < length; k++) {
            sb.append(ALPHABET.charAt(r.nextInt(64)));
        }
        for (int k = 0; k < dots && sb.length() > 2; k++) {
            sb.setCharAt(1 + r.nextInt(sb.length() - 2), '.');
        }
        return sb.toString();
    }

    /**
     * Bytes a header value may hold (visible ASCII, space, tab, 0x80-0xFF), or with {@code ctl} any byte but CR and
     * LF (which would end the header). They start and end visibly so that nothing is trimmed away.
     */
    static byte[] randomBytes(Random r, int length, boolean ctl) {
        byte[] b = new byte[length];
        for (int k = 0; k < length; k++) {
            do {
                b[k] = (byte) r.nextInt(256);
            } while (b[k] == '\r' || b[k] == '\n' || !ctl && isCtl(b[k]));
        }
        b[0] = (byte) ('!' + r.nextInt(94));
        b[length - 1] = (byte) ('!' + r.nextInt(94));
        return b;
    }

    /** RFC 9110 forbids these in a field value (HTAB aside). */
    static boolean isCtl(byte b) {
        return b >= 0 && b < 0x20 && b != '\t' || b == 0x7f;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static String abbreviate(String s) {
        return s.length() > 20 ? s.substring(0, 20) + "...(" + s.length() + ")" : s;
    }

    private static Bad bad(String kind, String token) {
        return new Bad(kind, token.getBytes(StandardCharsets.UTF_8));
    }
}
