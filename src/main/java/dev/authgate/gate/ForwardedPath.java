package dev.authgate.gate;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The forwarded URI's path segments: the query is dropped, each segment is percent-decoded once, and empty
 * segments (a doubled or a trailing slash) disappear. Spellings that upstreams read differently from one another,
 * or differently from the gate, are refused rather than guessed: a {@code .} or {@code ..} segment, raw or encoded
 * (the shipped proxies pass the raw URI on, and an upstream may resolve it or not), an encoded {@code /}
 * ({@code %2F}) or {@code \}, a double encoding ({@code %25}), a backslash, a {@code ;} (Tomcat and others cut path
 * parameters out of segments), control characters and bad escapes.
 */
final class ForwardedPath {

    /** A URI the gate will not guess about: the request is refused with 403, the reason goes to the log. */
    static final class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    private ForwardedPath() {
    }

    /** The decoded segments of the path (empty for {@code /}). */
    static List<String> segments(String uri) throws Refused {
        if (uri == null || uri.isEmpty()) {
            throw new Refused("no forwarded URI");
        }
        String path = withoutSchemeAndHost(uri);
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        if (!path.startsWith("/")) {
            throw new Refused("the forwarded URI is not a path");
        }
        List<String> segments = new ArrayList<>();
        for (String raw : path.substring(1).split("/", -1)) {
            String segment = decode(raw);
            if (!isPlainSegment(segment)) {
                throw new Refused("an ambiguous character in the path (encoded / or \\, %25, ;, # or a control character)");
            }
            if (segment.equals(".") || segment.equals("..")) {
                // resolved here and not upstream (or the other way round), the gate would judge another path
                throw new Refused("a dot segment in the path");
            }
            if (!segment.isEmpty()) {
                segments.add(segment);
            }
        }
        return segments;
    }

    static String display(List<String> segments) {
        return "/" + String.join("/", segments);
    }

    /** A decoded segment that every upstream reads the same way. */
    static boolean isPlainSegment(String segment) {
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '/' || c == '\\' || c == '%' || c == ';' || c == '?' || c == '#') {
                return false;
            }
        }
        return true;
    }

    /** An absolute-form request target ({@code GET http://host/path}) carries the path after the authority. */
    private static String withoutSchemeAndHost(String uri) {
        int scheme = uri.indexOf("://");
        if (scheme > 0 && uri.substring(0, scheme).matches("(?i)https?")) {
            int slash = uri.indexOf('/', scheme + 3);
            return slash < 0 ? "/" : uri.substring(slash);
        }
        return uri;
    }

    private static String decode(String raw) throws Refused {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
            int lo = hi < 0 ? -1 : Character.digit(raw.charAt(i + 2), 16);
            if (lo < 0) {
                throw new Refused("a malformed percent escape");
            }
            bytes.write(hi * 16 + lo);
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new Refused("percent escapes that are not UTF-8");
        }
    }
}
