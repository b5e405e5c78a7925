package dev.authgate.gate;

import java.util.Arrays;
import java.util.List;

/**
 * A rule's path: segments that are literals, {@code *} (exactly one segment) or {@code **} (any number, also
 * none). Literals are compared with the normalized path's decoded segments, case-sensitively.
 */
final class PathGlob {

    private static final String STAR = "*";
    private static final String ANY = "**";

    private final String text;
    private final String[] segments;

    private PathGlob(String text, String[] segments) {
        this.text = text;
        this.segments = segments;
    }

    /** @throws IllegalArgumentException saying what is wrong, for a start-up error */
    static PathGlob parse(String glob) {
        if (!glob.startsWith("/")) {
            throw new IllegalArgumentException("'" + glob + "' must start with /");
        }
        if (glob.equals("/")) {
            return new PathGlob(glob, new String[0]);
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
        return new PathGlob(glob, parts);
    }

    boolean matches(List<String> path) {
        return matches(0, path, 0);
    }

    private boolean matches(int i, List<String> path, int j) {
        if (i == segments.length) {
            return j == path.size();
        }
        if (segments[i].equals(ANY)) {
            for (int k = j; k <= path.size(); k++) {
                if (matches(i + 1, path, k)) {
                    return true;
                }
            }
            return false;
        }
        return j < path.size() && (segments[i].equals(STAR) || segments[i].equals(path.get(j)))
                && matches(i + 1, path, j + 1);
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
                    && (p[i].equals(STAR) || q[j].equals(STAR) || p[i].equals(q[j]))
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
