package dev.authgate.session;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.authgate.config.AuthgateConfig;
import dev.authgate.events.Audit;
import dev.authgate.events.AuditEvent;
import dev.authgate.failure.Failure;
import dev.authgate.token.Assurance;
import dev.authgate.token.DerivedKeys;

/**
 * Refresh tokens (RFC 9700 §4.14.2): opaque, rotated at every use, in families. A family is one sign-in and
 * belongs to its session (migration V18), so it ends with it. A rotated token presented again ends the family and
 * its session (the stolen copy and the legitimate one can no longer be told apart), unless it comes within the
 * grace: that is a client's identical retry, and it gets the very pair the rotation answered.
 *
 * <p>A token is {@code <id>.<secret>} (22 + 43 base64url characters): the id finds the row, the secret is compared
 * with its stored HMAC in constant time. Uses of one token are serialised by a row lock: of many simultaneous
 * uses one rotates, the others wait and get its answer.
 */
@Singleton
public class RefreshTokens {

    static final String HASH_PURPOSE = "refresh token v1";
    static final String SEAL_PURPOSE = "refresh successor v1";
    private static final int SECRET_BYTES = 32;
    private static final int IV_BYTES = 12;

    /** Who presents a token: an API group of {@code dbtable} (clientId null), or an OpenID client. */
    public record Holder(String dbtable, String clientId) {
    }

    /** What a family's next tokens are minted from: its session, and how its sign-in was proved. */
    public record Grant(UUID session, String dbtable, long accountId, Assurance assurance, String clientId,
            String scope, Instant authTime, Instant expiresAt) {
    }

    /**
     * A rotation's answer: the tokens the minter made (by the names the holder answers with) and the new refresh
     * token. An identical retry within the grace gets an equal one.
     */
    public record Rotated(Map<String, String> tokens, String refreshToken) {

        @Override
        public String toString() {
            return "Rotated" + tokens.keySet(); // never a token
        }
    }

    private record Parsed(UUID id, byte[] secret) {
    }

    /** What a use came to inside its transaction; failures are raised once it has committed. */
    private sealed interface Outcome {
    }

    private record Answered(Rotated rotated) implements Outcome {
    }

    private record Refused() implements Outcome {
    }

    private final EntityManager em;
    private final DerivedKeys keys;
    private final SecureRandom random;
    private final Revocation revocation;
    private final Audit audit;
    private final ObjectMapper json;
    private final Duration grace;

    public RefreshTokens(EntityManager em, DerivedKeys keys, SecureRandom random, Revocation revocation, Audit audit,
            ObjectMapper json, AuthgateConfig config) {
        this.em = em;
        this.keys = keys;
        this.random = random;
        this.revocation = revocation;
        this.audit = audit;
        this.json = json;
        this.grace = config.sessions().refreshGrace();
    }

    /**
     * Opens the family of a session issued in the caller's transaction and answers its first token. The session
     * row lives at least as long as the family ({@code expiresAt}).
     *
     * @param clientId the OpenID client granted {@code offline_access}, or null for an API group
     */
    @Transactional(TxType.MANDATORY)
    public String open(UUID session, Assurance assurance, String clientId, String scope, Instant expiresAt) {
        AuthSession row = em.find(AuthSession.class, session);
        if (row == null) {
            throw new IllegalStateException("no session " + session + " to open a refresh family for");
        }
        if (row.expiresAt != null && row.expiresAt.isBefore(expiresAt)) {
            row.expiresAt = expiresAt;
        }
        RefreshFamily family = new RefreshFamily();
        family.session = session;
        family.clientId = clientId;
        family.scope = scope;
        family.aal = assurance.aal();
        family.amr = String.join(" ", assurance.amr());
        family.authTime = row.issuedAt;
        family.expiresAt = expiresAt;
        family.persistAndFlush(); // before its first token: the foreign key is not mapped, Hibernate cannot order them
        return newToken(session, Instant.now());
    }

    /**
     * Rotates {@code presented}: {@code mint} makes the new tokens of the family's session (it runs in the
     * rotation's transaction; a {@link Failure} it raises undoes the rotation). An unknown, expired, foreign or
     * reused token is {@link Failure#invalidToken()}; a reuse past the grace has ended the family first.
     */
    public Rotated rotate(String presented, Holder holder, Function<Grant, Map<String, String>> mint) {
        Parsed parsed = parse(presented);
        if (parsed == null) {
            throw Failure.invalidToken();
        }
        Outcome outcome = QuarkusTransaction.requiringNew().call(() -> use(parsed, holder, mint));
        if (outcome instanceof Answered answered) {
            return answered.rotated();
        }
        throw Failure.invalidToken();
    }

    private Outcome use(Parsed parsed, Holder holder, Function<Grant, Map<String, String>> mint) {
        RefreshToken token = em.find(RefreshToken.class, parsed.id(), LockModeType.PESSIMISTIC_WRITE);
        byte[] expected = token == null ? null : keys.byKid(token.kid, HASH_PURPOSE)
                .map(k -> hmac(k.key().getEncoded(), parsed.secret())).orElse(null);
        if (expected == null || !MessageDigest.isEqual(expected, token.hash)) {
            return new Refused(); // a guessed id does not end anyone's family
        }
        RefreshFamily family = em.find(RefreshFamily.class, token.family);
        AuthSession session = em.find(AuthSession.class, token.family);
        Instant now = Instant.now();
        if (family == null || session == null || !session.dbtable.equals(holder.dbtable())
                || !Objects.equals(family.clientId, holder.clientId()) || !now.isBefore(family.expiresAt)) {
            return new Refused();
        }
        if (token.rotatedAt != null) {
            if (!now.isAfter(token.rotatedAt.plus(grace))) {
                Rotated same = unseal(token, parsed.secret());
                return same == null ? new Refused() : new Answered(same);
            }
            // RFC 9700 §4.14.2: one of two holders is not legitimate, and which one cannot be told
            long ended = revocation.revoke(session.jti);
            audit.failed(AuditEvent.REFRESH_REUSED, session.dbtable, session.accountId,
                    Map.of("session", session.jti.toString(), "sessions", ended));
            return new Refused();
        }
        Grant grant = new Grant(session.jti, session.dbtable, session.accountId,
                new Assurance(family.aal, family.amr.isEmpty() ? List.of() : List.of(family.amr.split(" "))),
                family.clientId, family.scope, family.authTime, family.expiresAt);
        Rotated rotated = new Rotated(Map.copyOf(mint.apply(grant)), newToken(family.session, now));
        token.rotatedAt = now;
        token.successor = seal(token.kid, parsed.secret(), rotated);
        audit.ok(AuditEvent.TOKEN_REFRESHED, session.dbtable, session.accountId,
                Map.of("session", session.jti.toString()));
        return new Answered(rotated);
    }

    private String newToken(UUID family, Instant now) {
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        DerivedKeys.Derived key = keys.current(HASH_PURPOSE);
        RefreshToken token = new RefreshToken();
        token.id = UUID.randomUUID();
        token.family = family;
        token.hash = hmac(key.key().getEncoded(), secret);
        token.kid = key.kid();
        token.issuedAt = now;
        token.persist();
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        ByteBuffer id = ByteBuffer.allocate(16).putLong(token.id.getMostSignificantBits())
                .putLong(token.id.getLeastSignificantBits());
        return b64.encodeToString(id.array()) + "." + b64.encodeToString(secret);
    }

    /** The id and secret of a token of the right shape, else null: nothing else reaches the database. */
    private static Parsed parse(String presented) {
        if (presented == null || presented.length() != 22 + 1 + 43 || presented.charAt(22) != '.') {
            return null;
        }
        try {
            Base64.Decoder b64 = Base64.getUrlDecoder();
            ByteBuffer id = ByteBuffer.wrap(b64.decode(presented.substring(0, 22)));
            byte[] secret = b64.decode(presented.substring(23));
            if (id.remaining() != 16 || secret.length != SECRET_BYTES) {
                return null;
            }
            return new Parsed(new UUID(id.getLong(), id.getLong()), secret);
        } catch (IllegalArgumentException notBase64url) {
            return null;
        }
    }

    private byte[] seal(String kid, byte[] secret, Rotated rotated) {
        try {
            Map<String, String> all = new LinkedHashMap<>(rotated.tokens());
            byte[] plain = json.writeValueAsBytes(Map.of("tokens", all, "refreshToken", rotated.refreshToken()));
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, sealKey(kid, secret), new GCMParameterSpec(128, iv));
            byte[] sealed = aes.doFinal(plain);
            byte[] out = Arrays.copyOf(iv, IV_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException | JsonProcessingException e) {
            throw new IllegalStateException("cannot seal a rotation's answer", e);
        }
    }

    /** The sealed answer, or null when it cannot be opened (its token key left the ring). */
    @SuppressWarnings("unchecked")
    private Rotated unseal(RefreshToken token, byte[] secret) {
        if (token.successor == null || keys.byKid(token.kid, SEAL_PURPOSE).isEmpty()) {
            return null;
        }
        try {
            Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
            aes.init(Cipher.DECRYPT_MODE, sealKey(token.kid, secret),
                    new GCMParameterSpec(128, token.successor, 0, IV_BYTES));
            byte[] plain = aes.doFinal(token.successor, IV_BYTES, token.successor.length - IV_BYTES);
            Map<String, Object> read = json.readValue(plain, Map.class);
            return new Rotated(Map.copyOf((Map<String, String>) read.get("tokens")), (String) read.get("refreshToken"));
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot open a rotation's answer", e);
        }
    }

    /** Neither the database (no secret) nor the token alone (no token key) opens a sealed answer. */
    private SecretKeySpec sealKey(String kid, byte[] secret) {
        byte[] base = keys.byKid(kid, SEAL_PURPOSE).orElseThrow().key().getEncoded();
        return new SecretKeySpec(hmac(base, secret), "AES");
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
