import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prints a JWK Set for AUTHGATE_TOKEN_KEYS with one fresh 256-bit key. Needs only a JDK (17+), run from the
 * repository root:
 *
 * <pre>
 *   java bin/NewTokenKeys.java                                  # a new set
 *   java bin/NewTokenKeys.java --rotate "$AUTHGATE_TOKEN_KEYS"  # the set with a new key first
 *   ... | java bin/NewTokenKeys.java --rotate -                 # the same, the set read from stdin
 * </pre>
 *
 * The first key encrypts and every key decrypts (docs/operations.md, "Token keys and rotation").
 */
public class NewTokenKeys {

    /** Where the existing keys start: the opening bracket of the "keys" array. */
    private static final Pattern KEYS_ARRAY = Pattern.compile("\"keys\"\\s*:\\s*\\[");

    public static void main(String[] args) throws IOException {
        String key = newKey();
        if (args.length == 0) {
            System.out.println("{\"keys\":[" + key + "]}");
        } else if (args.length == 2 && args[0].equals("--rotate")) {
            String set = args[1].equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : args[1];
            System.out.println(prepend(key, set.strip()));
        } else {
            fail("usage: java bin/NewTokenKeys.java [--rotate JWKS|-]");
        }
    }

    /** A random kid (date first, so operators see a key's age) and 32 random bytes. */
    static String newKey() {
        SecureRandom random = new SecureRandom();
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        byte[] suffix = new byte[4];
        random.nextBytes(suffix);
        String kid = LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE) + "-"
                + HexFormat.of().formatHex(suffix);
        return "{\"kty\":\"oct\",\"kid\":\"" + kid + "\",\"k\":\""
                + Base64.getUrlEncoder().withoutPadding().encodeToString(secret) + "\"}";
    }

    /** Text surgery, not parsing (no JSON library in a bare JDK): the service checks the result when it starts. */
    static String prepend(String key, String set) {
        Matcher m = KEYS_ARRAY.matcher(set);
        if (!set.startsWith("{") || !set.endsWith("}") || !m.find()) {
            fail("--rotate wants the current JWK Set, e.g. {\"keys\":[{\"kty\":\"oct\",...}]}");
        }
        String rest = set.substring(m.end());
        String separator = rest.stripLeading().startsWith("]") ? "" : ",";
        return set.substring(0, m.end()) + key + separator + rest;
    }

    private static void fail(String message) {
        System.err.println(message);
        System.exit(2);
    }
}
