package dev.authgate.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.authgate.support.Jwe;

class KeyRingTest {

    @Test
    void noKeysSaysWhatToSetAndHowToMakeOne() {
        var e = assertThrows(IllegalStateException.class, () -> KeyRing.parse(Optional.empty(), false));
        assertTrue(e.getMessage().contains("AUTHGATE_TOKEN_KEYS"), e.getMessage());
        assertTrue(e.getMessage().contains("/dev/urandom"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> KeyRing.parse(Optional.of("  "), false));
        assertThrows(IllegalStateException.class, () -> KeyRing.parse(Optional.of("{\"keys\":[]}"), false));
    }

    @Test
    void devKeysAreRefusedOutsideDevAndTest() {
        String dev = Jwe.jwks("dev-only-1", Jwe.randomKey());
        var e = assertThrows(IllegalStateException.class, () -> KeyRing.parse(Optional.of(dev), false));
        assertTrue(e.getMessage().contains("dev-only"), e.getMessage());
        assertEquals("dev-only-1", KeyRing.parse(Optional.of(dev), true).current().kid());
    }

    @Test
    void theDevKeyIsRefusedByItsMaterialUnderAnyId() {
        String renamed = Jwe.jwks("prod-2026", Jwe.randomKey(), "looks-real", Jwe.DEV_KEY);
        var e = assertThrows(IllegalStateException.class, () -> KeyRing.parse(Optional.of(renamed), false));
        assertTrue(e.getMessage().contains("\"looks-real\" is a dev-only key"), e.getMessage());
        assertEquals(2, KeyRing.parse(Optional.of(renamed), true).all().size());
    }

    @Test
    void keysMustBe256BitOctWithUniqueIds() {
        assertThrows(IllegalStateException.class,
                () -> KeyRing.parse(Optional.of(Jwe.jwks("short", new byte[16])), false));
        assertThrows(IllegalStateException.class,
                () -> KeyRing.parse(Optional.of(Jwe.jwks("a", Jwe.randomKey(), "a", Jwe.randomKey())), false));
        assertThrows(IllegalStateException.class, () -> KeyRing.parse(
                Optional.of("{\"keys\":[{\"kty\":\"oct\",\"k\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}]}"), false));
        assertThrows(IllegalStateException.class, () -> KeyRing.parse(Optional.of("not json"), false));
    }

    @Test
    void theFirstKeyEncryptsAndEveryKeyIsFoundById() {
        var ring = KeyRing.parse(Optional.of(Jwe.jwks("new", Jwe.randomKey(), "old", Jwe.randomKey())), false);
        assertEquals("new", ring.current().kid());
        assertTrue(ring.byKid("old").isPresent());
        assertTrue(ring.byKid("other").isEmpty());
        assertEquals(2, ring.all().size());
    }
}
