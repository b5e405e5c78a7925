package dev.authgate.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.authgate.support.Jwe;

/** Other spellings of a token's bytes are not the token: base64url must be canonical. */
class TokenCodecTest {

    private final KeyRing keys = KeyRing.parse(Optional.of(Jwe.jwks("k", Jwe.randomKey())), false);
    private final TokenCodec codec = new TokenCodec(keys, "t");
    private final String token = codec.encrypt(new Auth(7, "user", Map.of(), 1000, 0, UUID.randomUUID()));

    @Test
    void aTokenOfAnotherIssuerIsRefusedEvenUnderOurKey() {
        String foreign = new TokenCodec(keys, "staging").encrypt(new Auth(7, "user", Map.of(), 1000, 0, UUID.randomUUID()));
        var e = assertThrows(InvalidTokenException.class, () -> codec.decrypt(foreign, 2000));
        assertEquals(InvalidTokenException.Reason.OTHER_ISSUER, e.reason());
    }

    @Test
    void theIssuedSpellingIsRead() throws InvalidTokenException {
        assertTrue(TokenCodec.canonical(token));
        assertEquals(7, codec.decrypt(token, 2000).id());
    }

    @Test
    void standardBase64CharactersAndPaddingAreRefused() {
        String[] parts = token.split("\\.");
        int i = parts[2].indexOf('-') >= 0 ? 2 : 3; // the IV or the ciphertext holds a '-' or '_' to swap
        String swapped = parts[i].replace('-', '+').replace('_', '/');
        parts[i] = swapped.equals(parts[i]) ? parts[i] + "=" : swapped;
        String respelled = String.join(".", parts);
        assertFalse(TokenCodec.canonical(respelled));
        var e = assertThrows(InvalidTokenException.class, () -> codec.decrypt(respelled, 2000));
        assertEquals(InvalidTokenException.Reason.MALFORMED, e.reason());
    }

    @Test
    void unusedTrailingBitsMustBeZero() {
        // a 16-byte IV is 22 characters whose last one carries 4 unused bits
        String[] parts = token.split("\\.");
        char last = parts[2].charAt(parts[2].length() - 1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char sibling = alphabet.charAt(alphabet.indexOf(last) | 1);
        parts[2] = parts[2].substring(0, parts[2].length() - 1) + sibling;
        assertFalse(TokenCodec.canonical(String.join(".", parts)));
    }
}
