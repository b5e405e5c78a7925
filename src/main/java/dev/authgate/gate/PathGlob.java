package dev.authgate.gate;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;

/**
 * A rule's path: segments that are literals, {@code *} (exactly one segment) or {@code **} (any number, also
 * none). Literals are compared with the path's decoded segments ignoring case, unless the rule says otherwise: many
 * upstreams route without regard to case, and a rule that {@code /api/Admin} dodged would protect nothing there.
 */
final class PathGlob {

    private static final String STAR = "*";
    private static final String ANY = "**";
    /**
     * Lower-case Cyrillic and Greek letters drawn like Latin ones: {@code аdmin} with a Cyrillic а is another
     * path to every upstream, but one an operator reading logs or a browser's address bar takes for {@code admin}.
     */
    private static final Map<Character, Character> LOOK_ALIKES = Map.ofEntries(Map.entry('а', 'a'),
            Map.entry('е', 'e'), Map.entry('о', 'o'), Map.entry('р', 'p'), Map.entry('с', 'c'), Map.entry('у', 'y'),
            Map.entry('х', 'x'), Map.entry('і', 'i'), Map.entry('ј', 'j'), Map.entry('ѕ', 's'), Map.entry('ԁ', 'd'),
            Map.entry('һ', 'h'), Map.entry('ӏ', 'l'), Map.entry('ԛ', 'q'), Map.entry('ԝ', 'w'), Map.entry('ı', 'i'),
            Map.entry('α', 'a'), Map.entry('ο', 'o'), Map.entry('ρ', 'p'), Map.entry('ι', 'i'), Map.entry('κ', 'k'),
            Map.entry('ν', 'v'), Map.entry('τ', 't'), Map.entry('υ', 'u'), Map.entry('χ', 'x'));

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");

    private final String text;
    private final String[] segments;
    private final boolean caseSensitive;

    private PathGlob(String text, String[] segments, boolean caseSensitive) {
        this.text = text;
        this.segments = segments;
        this.caseSensitive = caseSensitive;
    }

    static PathGlob parse(String glob) {
        return parse(glob, false);
    }

    /** @throws IllegalArgumentException saying what is wrong, for a start-up error */
    static PathGlob parse(String glob, boolean caseSensitive) {
        if (!glob.startsWith("/")) {
            throw new IllegalArgumentException("'" + glob + "' must start with /");
        }
        if (glob.equals("/")) {
            return new PathGlob(glob, new String[0], caseSensitive);
        }
        String[] parts = glob.substring(1).split("/", -1);
        for (String part : parts) {
            if (part.isEmpty()) {
                throw new IllegalArgumentException("'" + glob + "' has an empty segment (// or a trailing /): "
                        + "paths are matched without them");
            }
            if (part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("'" + glob + "' has a . or .. segment: paths are matched after "
                        + "those are resolved");
            }
            if (part.contains("*") && !part.equals(STAR) && !part.equals(ANY)) {
                throw new IllegalArgumentException("'" + glob + "': * and ** stand for whole segments only ('"
                        + part + "')");
            }
            if (!part.equals(STAR) && !part.equals(ANY) && !ForwardedPath.isPlainSegment(part)) {
                throw new IllegalArgumentException("'" + glob + "': segment '" + part + "' holds a character that "
                        + "requests never match (% ; \\ ? # or a control character)");
            }
        }
        return new PathGlob(glob, parts, caseSensitive);
    }

    boolean matches(List<String> path) {
        return matches(0, path, 0, this::same);
    }

    /**
     * Whether the path would match if its segments that no rule names (in {@code named}, lower case) were read as an
     * upstream may read them: in another case, full-width or accented ({@code ａdmin}, {@code ádmin}), with trailing
     * dots or spaces ({@code admin.}, which Windows drops), or spelled with Cyrillic or Greek look-alikes. Such a
     * path is refused rather than judged by a broader rule.
     */
    boolean resembles(List<String> path, Set<String> named) {
        return matches(0, path, 0, (literal, segment) -> same(literal, segment)
                || (!named.contains(segment.toLowerCase(Locale.ROOT)) && fold(literal).equals(fold(segment))));
    }

    private boolean same(String literal, String segment) {
        return caseSensitive ? literal.equals(segment) : literal.equalsIgnoreCase(segment);
    }

    private boolean matches(int i, List<String> path, int j, BiPredicate<String, String> literalMatches) {
        if (i == segments.length) {
            return j == path.size();
        }
        if (segments[i].equals(ANY)) {
            for (int k = j; k <= path.size(); k++) {
                if (matches(i + 1, path, k, literalMatches)) {
                    return true;
                }
            }
            return false;
        }
        return j < path.size() && (segments[i].equals(STAR) || literalMatches.test(segments[i], path.get(j)))
                && matches(i + 1, path, j + 1, literalMatches);
    }

    /** A segment as the laxest upstream reads it: compatibility-normalized, unaccented, lower case, look-alikes Latin. */
    static String fold(String segment) {
        // printable ASCII (nearly every request) is its own normal form, with no marks and no look-alikes
        String s = printableAscii(segment) ? segment.toLowerCase(Locale.ROOT)
                : MARKS.matcher(Normalizer.normalize(Normalizer.normalize(segment, Normalizer.Form.NFKC),
                        Normalizer.Form.NFD)).replaceAll("").toLowerCase(Locale.ROOT);
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            b.append(LOOK_ALIKES.getOrDefault(s.charAt(i), s.charAt(i)));
        }
        int end = b.length();
        while (end > 0 && ".\t\n\u000b\f\r ".indexOf(b.charAt(end - 1)) >= 0) {
            end--; // what a lax upstream drops at the end of a segment: dots and white space
        }
        return b.substring(0, end);
    }

    private static boolean printableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < 0x20 || s.charAt(i) > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** The literal segments, lower case. */
    List<String> literalSegments() {
        return Arrays.stream(segments).filter(s -> !s.equals(STAR) && !s.equals(ANY))
                .map(s -> s.toLowerCase(Locale.ROOT)).toList();
    }

    /** Whether one path can match both globs. */
    boolean overlaps(PathGlob other) {
        return overlaps(other, 0, 0, new Boolean[segments.length + 1][other.segments.length + 1]);
    }

    private boolean overlaps(PathGlob o, int i, int j, Boolean[][] memo) {
        if (memo[i][j] != null) {
            return memo[i][j];
        }
        String[] p = segments;
        String[] q = o.segments;
        boolean result;
        if (i == p.length && j == q.length) {
            result = true;
        } else if (i < p.length && p[i].equals(ANY)
                && (overlaps(o, i + 1, j, memo) || (j < q.length && overlaps(o, i, j + 1, memo)))) {
            result = true; // p's ** matches nothing more, or also the segment q's next part matches
        } else if (j < q.length && q[j].equals(ANY)
                && (overlaps(o, i, j + 1, memo) || (i < p.length && overlaps(o, i + 1, j, memo)))) {
            result = true;
        } else {
            result = i < p.length && j < q.length && !p[i].equals(ANY) && !q[j].equals(ANY)
                    && (p[i].equals(STAR) || q[j].equals(STAR) || p[i].equals(q[j])
                            // one path in a case both rules match
                            || ((!caseSensitive || !o.caseSensitive) && p[i].equalsIgnoreCase(q[j])))
                    && overlaps(o, i + 1, j + 1, memo);
        }
        memo[i][j] = result;
        return result;
    }

    int literals() {
        return (int) Arrays.stream(segments).filter(s -> !s.equals(STAR) && !s.equals(ANY)).count();
    }

    int stars() {
        return (int) Arrays.stream(segments).filter(STAR::equals).count();
    }

    int anys() {
        return (int) Arrays.stream(segments).filter(ANY::equals).count();
    }

    @Override
    public String toString() {
        return text;
    }
}
