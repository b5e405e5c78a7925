package dev.authgate.http;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The bodies {@link BodyFuzzTest} sends. Every email of a sign-up carries {@code marker}, so the test can count
 * the rows its requests made; {@code email} of a case is the address as the server decodes it (null when the
 * body does not carry one it could store).
 */
final class BodyCases {

    static final String SIGNUP = "/api:main/auth/signup";
    static final String LOGIN = "/api:main/auth/login";
    static final String LOGOUT = "/api:main/auth/logout";
    static final String PASSWORD = "/api:main/auth/password";
    static final List<String> ENDPOINTS = List.of(SIGNUP, LOGIN, LOGOUT, PASSWORD);
    static final String GOOD_PASSWORD = "correct horse battery";
    static final String JSON = "application/json";
    static final String FORM = "application/x-www-form-urlencoded";

    /** {@code param}: the field a 400 must name, when the case knows it. */
    record Case(String label, String path, String contentType, byte[] body, String email, String password, String param) {
        boolean needsToken() {
            return path.equals(LOGOUT) || path.equals(PASSWORD);
        }
    }

    private final String marker;
    private final List<Case> cases = new ArrayList<>();
    private int n;

    BodyCases(String marker) {
        this.marker = marker;
    }

    /** A fresh address of this run with {@code local} around the marker. */
    private String email(String before, String after, String domain) {
        return before + marker + "-" + (n++) + after + "@" + domain;
    }

    List<Case> all(long seed) {
        malformed();
        mutated(new Random(seed));
        wrongTypes();
        unicode();
        sizes();
        forms();
        contentTypes();
        return cases;
    }

    private void malformed() {
        String[] bodies = { "{", "}", "[1,2]", "\"text\"", "null", "true", "0", "   ", "{\"email\": }", "{\"email\":\"a\"",
                "{'email':'a@b.co'}", "{email:\"a@b.co\"}", "{\"a\":1,}", "/* c */ {}", "{\"a\":NaN}", "{\"a\":Infinity}",
                "{\"a\":01}", "{\"a\":\"\\x41\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\t\"}", "{}{}", "{} trailing", "\u0000",
                "[".repeat(60_000), "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000),
                "{\"name\":" + "[".repeat(100) + "]".repeat(100) + "}", "{\"scope\":{\"a\":{\"b\":{}}}}" };
        for (String path : ENDPOINTS) {
            for (String body : bodies) {
                add("malformed " + abbreviate(body), path, JSON, body.getBytes(StandardCharsets.UTF_8), null, null);
            }
            // bytes that are not UTF-8 inside a JSON string: a stray continuation, an overlong '/', a lone 0xFF
            for (byte[] bad : new byte[][] { { (byte) 0xC3, 0x28 }, { (byte) 0xC0, (byte) 0xAF }, { (byte) 0xFF } }) {
                add("invalid UTF-8", path, JSON, concat("{\"email\":\"a", bad, "@b.co\",\"password\":\"x\"}"), null, null);
            }
        }
        // a surrogate encoded as UTF-8 (CESU), which UTF-8 forbids, in a sign-up's email
        String cesu = email("", "", "example.com");
        add("CESU surrogate", SIGNUP, JSON, concat("{\"name\":\"N\",\"password\":\"" + GOOD_PASSWORD + "\",\"email\":\"x",
                new byte[] { (byte) 0xED, (byte) 0xA0, (byte) 0x80 }, cesu + "\"}"), null, GOOD_PASSWORD);
    }

    /** Valid bodies with one character deleted, inserted, or the end cut: most break the JSON, some do not. */
    private void mutated(Random r) {
        String punct = "{}[]\":,\\ \u0000\u00e9";
        for (int k = 0; k < 400; k++) {
            String path = ENDPOINTS.get(k % 4);
            String email = email("", "", "example.com");
            String body = switch (path) {
                case SIGNUP -> object("name", "Mutant", "email", email, "password", GOOD_PASSWORD);
                case LOGIN -> object("email", email, "password", GOOD_PASSWORD);
                case LOGOUT -> object("scope", "local");
                default -> object("current_password", "wrong password!", "new_password", GOOD_PASSWORD);
            };
            StringBuilder b = new StringBuilder(body);
            int at = r.nextInt(b.length());
            switch (r.nextInt(3)) {
                case 0 -> b.deleteCharAt(at);
                case 1 -> b.insert(at, punct.charAt(r.nextInt(punct.length())));
                default -> b.setLength(at);
            }
            // the email a mutated sign-up may still carry: unknown, so the row count and login checks use the marker
            add("mutated", path, JSON, b.toString().getBytes(StandardCharsets.UTF_8), null, null);
        }
    }

    private void wrongTypes() {
        Object[] values = { 42, -1, 4.2, "1e400", true, false, null, List.of(), List.of("x"), Map.of(), Map.of("a", "b") };
        Map<String, List<String>> fields = Map.of(SIGNUP, List.of("name", "email", "password"), LOGIN,
                List.of("email", "password"), LOGOUT, List.of("scope"), PASSWORD, List.of("current_password", "new_password"));
        fields.forEach((path, names) -> {
            for (String name : names) {
                for (Object v : values) {
                    Map<String, Object> body = new LinkedHashMap<>();
                    for (String f : names) {
                        body.put(f, f.equals("email") ? email("", "", "example.com") : f.equals("scope") ? "local"
                                : f.equals("name") ? "N" : GOOD_PASSWORD);
                    }
                    body.put(name, v);
                    String json = object(body).replace("\"1e400\"", "1e400"); // a number beyond double's range
                    // null is an absent field: required ones are missing (named), logout's scope defaults to local
                    String param = v == null && name.equals("scope") ? null : name;
                    cases.add(new Case("type " + name + "=" + v, path, JSON, json.getBytes(StandardCharsets.UTF_8), null,
                            null, param));
                }
            }
        });
    }

    /** Addresses, names and passwords at the edges of Unicode; sign-ups that succeed must log in with the same. */
    private void unicode() {
        String[][] decorations = { { "\ud800", "" }, { "", "\udfff" }, { "\udbff\udfff", "" }, { "\u0000", "" },
                { "\u202e", "" }, { "\ud83d\ude00", "" }, { "e\u0301", "" }, { "\u200b", "" }, { "\ufeff", "" },
                { "\u0130", "" }, { "STRASSE\u00df", "" }, { "\u2c2f", "" }, { "\ua7c0", "" }, { "\u1e9e", "" },
                { "\u0007", "" }, { "  ", "\t" }, { "\u00a0", "" }, { "\u3000", "" }, { "\ufffd", "" }, { "\u0085", "" } };
        for (String[] d : decorations) {
            String email = email(d[0], d[1], "example.com");
            add("email " + escape(d[0] + d[1]), SIGNUP, JSON, signup("N", email, GOOD_PASSWORD), email, GOOD_PASSWORD);
        }
        // the same address in NFC and NFD: two different strings, so two accounts or one 403, never a 5xx
        String nfc = Normalizer.normalize("jos\u00e9-" + marker + "-nf@example.com", Normalizer.Form.NFC);
        String nfd = Normalizer.normalize(nfc, Normalizer.Form.NFD);
        add("email NFC", SIGNUP, JSON, signup("N", nfc, GOOD_PASSWORD), nfc, GOOD_PASSWORD);
        add("email NFD", SIGNUP, JSON, signup("N", nfd, GOOD_PASSWORD), nfd, GOOD_PASSWORD);
        String idn = email("", "", "b\u00fccher.example");
        add("email IDN domain", SIGNUP, JSON, signup("N", idn, GOOD_PASSWORD), idn, GOOD_PASSWORD);
        add("email 10,000 chars", SIGNUP, JSON, signup("N", email("a".repeat(10_000), "", "example.com"), GOOD_PASSWORD),
                null, null);
        for (String name : new String[] { "\ud800", "\u0000", "\u202eevil", "\ud83d\ude00", "Zalgo" + "\u0301".repeat(150),
                "n".repeat(200), "n".repeat(201), "\ud83d\ude00".repeat(100), "\ud83d\ude00".repeat(101), "\n\t" }) {
            String email = email("", "", "example.com");
            add("name " + abbreviate(escape(name)), SIGNUP, JSON, signup(name, email, GOOD_PASSWORD), email, GOOD_PASSWORD);
        }
        for (String password : new String[] { "\ud800\ud800\ud800\ud800\ud800\ud800\ud800\ud800", "abcd\u0000efgh",
                "\ud83d\ude00".repeat(8), "\ud83d\ude00".repeat(18), "\ud83d\ude00".repeat(19), "e\u0301".repeat(8),
                "p".repeat(72), "p".repeat(73), "p".repeat(60_000), "\u202e".repeat(8) }) {
            String email = email("", "", "example.com");
            add("password " + abbreviate(escape(password)), SIGNUP, JSON, signup("N", email, password), email, password);
        }
    }

    private void sizes() {
        for (String path : ENDPOINTS) {
            for (String type : new String[] { null, JSON, FORM }) {
                add("empty " + type, path, type, new byte[0], null, null);
            }
            add("65,537 bytes", path, JSON, padded(65_537), null, null);
        }
        add("65,536 bytes", SIGNUP, JSON, padded(65_536), null, null);
    }

    private void forms() {
        String good = GOOD_PASSWORD.replace(' ', '+');
        String[] bodies = { "name=N&email=%s&password=" + good, "name=N&email=%s&password=" + good + "&email=x%%40y.co",
                "name=%%E9&email=%s&password=" + good, "name=%%00&email=%s&password=" + good,
                "name=N%%00&email=%s%%00&password=" + good, "name=N&email=%%zz&password=x", "name=N&email=%%&password=x",
                "name=N&email=%%E9%s&password=" + good, "email", "&&&", "=&=&=", "email=a=b=c", "name=N;email=%s;password=x",
                "name=N&email=a+b%%40x.co&password=" + good, "name=%%F0%%9F%%98%%80&email=%s&password=" + good };
        for (String b : bodies) {
            for (String path : List.of(SIGNUP, LOGIN)) {
                String email = email("", "", "example.com");
                String body = b.contains("%s") ? String.format(b, email.replace("@", "%40")) : b;
                add("form " + b, path, FORM, body.getBytes(StandardCharsets.UTF_8), null, null);
            }
        }
        String email = email("", "\u00e9", "example.com");
        add("form latin-1 bytes", SIGNUP, FORM + "; charset=ISO-8859-1",
                ("name=N&password=" + good + "&email=" + email.replace("@", "%40")).getBytes(StandardCharsets.ISO_8859_1),
                null, null);
    }

    private void contentTypes() {
        String[] types = { null, "text/plain", "application/xml", JSON + "; charset=utf-16", JSON + "; charset=latin1",
                FORM, "*/*", "garbage", JSON + ", text/plain", "multipart/form-data; boundary=xyz" };
        for (String type : types) {
            String email = email("", "", "example.com");
            add("content-type " + type, SIGNUP, type, signup("N", email, GOOD_PASSWORD), null, null);
        }
        String email = email("", "", "example.com");
        add("multipart body", SIGNUP, "multipart/form-data; boundary=xyz", ("--xyz\r\nContent-Disposition: form-data;"
                + " name=\"email\"\r\n\r\n" + email + "\r\n--xyz--\r\n").getBytes(StandardCharsets.UTF_8), null, null);
        for (Charset cs : new Charset[] { StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE, Charset.forName("UTF-32") }) {
            String e = email("", "", "example.com");
            add("JSON in " + cs, SIGNUP, JSON, object("name", "N", "email", e, "password", GOOD_PASSWORD).getBytes(cs), null,
                    null);
        }
        String e = email("", "", "example.com");
        add("JSON with BOM", SIGNUP, JSON, concat("", new byte[] { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF },
                object("name", "N", "email", e, "password", GOOD_PASSWORD)), null, null);
    }

    private void add(String label, String path, String type, byte[] body, String email, String password) {
        cases.add(new Case(label, path, type, body, email, password, null));
    }

    private byte[] padded(int size) {
        String head = "{\"name\":\"";
        String tail = "\",\"email\":\"" + email("", "", "example.com") + "\",\"password\":\"" + GOOD_PASSWORD + "\"}";
        return (head + "n".repeat(size - head.length() - tail.length()) + tail).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] signup(String name, String email, String password) {
        return object("name", name, "email", email, "password", password).getBytes(StandardCharsets.UTF_8);
    }

    static String object(Object... namesAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return object(m);
    }

    /** JSON in ASCII: every other character escaped, so lone surrogates and NUL travel exactly as meant. */
    static String object(Map<String, Object> m) {
        StringBuilder sb = new StringBuilder("{");
        m.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append(value(k)).append(':').append(value(v)));
        return sb.append('}').toString();
    }

    private static String value(Object v) {
        if (v instanceof String s) {
            return "\"" + escape(s) + "\"";
        }
        if (v instanceof List<?> l) {
            return l.stream().map(BodyCases::value).reduce((a, b) -> a + "," + b).map(s -> "[" + s + "]").orElse("[]");
        }
        if (v instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) map;
            return object(typed);
        }
        return String.valueOf(v);
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static byte[] concat(String before, byte[] middle, String after) {
        byte[] a = before.getBytes(StandardCharsets.UTF_8);
        byte[] c = after.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[a.length + middle.length + c.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(middle, 0, all, a.length, middle.length);
        System.arraycopy(c, 0, all, a.length + middle.length, c.length);
        return all;
    }

    static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "...(" + s.length() + ")" : s;
    }
}
