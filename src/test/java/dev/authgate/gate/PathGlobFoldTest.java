package dev.authgate.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The fold a lax upstream applies to a segment: the ASCII fast path and the Unicode path agree. */
class PathGlobFoldTest {

    @Test
    void asciiIsLowerCasedAndLosesTrailingDotsAndSpace() {
        assertEquals("admin", PathGlob.fold("Admin"));
        assertEquals("admin", PathGlob.fold("ADMIN.. \t"));
        assertEquals("ad.min", PathGlob.fold("ad.min."));
        assertEquals("", PathGlob.fold("..."));
        assertEquals("", PathGlob.fold(""));
    }

    @Test
    void unicodeIsNormalizedUnaccentedAndLookAlikesAreLatin() {
        assertEquals("admin", PathGlob.fold("ＡＤＭＩＮ")); // full width (NFKC)
        assertEquals("admin", PathGlob.fold("ádmìn")); // accents (NFD, marks dropped)
        assertEquals("admin", PathGlob.fold("\u0430dm\u0456n")); // Cyrillic а and і
        assertEquals("admin", PathGlob.fold("Admin\uff0e")); // full-width full stop: NFKC makes it a dot
        assertEquals("admin", PathGlob.fold("admin\u00a0")); // no-break space: NFKC makes it a space
    }
}
