package dev.authgate.mfa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** RFC 6238's algorithm against its Appendix B test vectors (SHA-1), the drift window and the codes' shapes. */
class TotpTest {

    /** Appendix B's SHA-1 seed: the ASCII string "12345678901234567890". */
    private static final byte[] SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @CsvSource({ "59, 94287082", "1111111109, 07081804", "1111111111, 14050471", "1234567890, 89005924",
            "2000000000, 69279037", "20000000000, 65353130" })
    void appendixBVectorsWithEightDigitsAndTheSixInUse(long time, String expected) {
        long step = Totp.step(time);
        assertEquals(expected, Totp.code(SEED, step, 8), "8 digits, as in the RFC");
        // 6 digits: the same truncated number modulo 10^6, zero-padded
        assertEquals(expected.substring(2), Totp.code(SEED, step, 6));
        assertEquals(expected.substring(2), Totp.code(SEED, step, Totp.DIGITS));
    }

    @Test
    void aCodeIsAcceptedOneStepEachWayAndNoFurther() {
        long now = Totp.step(1111111111L);
        assertEquals(now, Totp.matchingStep(SEED, Totp.code(SEED, now, 6), now));
        assertEquals(now - 1, Totp.matchingStep(SEED, Totp.code(SEED, now - 1, 6), now));
        assertEquals(now + 1, Totp.matchingStep(SEED, Totp.code(SEED, now + 1, 6), now));
        assertEquals(-1, Totp.matchingStep(SEED, Totp.code(SEED, now - 2, 6), now));
        assertEquals(-1, Totp.matchingStep(SEED, Totp.code(SEED, now + 2, 6), now));
    }

    @Test
    void codesHaveTheirShapes() {
        assertTrue(Totp.wellFormed("012345"));
        assertFalse(Totp.wellFormed("12345"));
        assertFalse(Totp.wellFormed("1234567"));
        assertFalse(Totp.wellFormed("12345a"));
        assertFalse(Totp.wellFormed("١٢٣٤٥٦")); // Arabic-Indic digits are not ASCII digits
        assertEquals("ABCDEFGHIJKLMNOP", RecoveryCodes.normalized("abcd-efgh-ijkl-mnop"));
        assertEquals("ABCDEFGHIJKLMN23", RecoveryCodes.normalized("ABCD EFGH IJKL MN23"));
        assertNull(RecoveryCodes.normalized("ABCD-EFGH-IJKL-MNO1")); // 1 is not base32
        assertNull(RecoveryCodes.normalized("ABCD-EFGH-IJKL"));
        assertNull(RecoveryCodes.normalized("123456"));
    }
}
