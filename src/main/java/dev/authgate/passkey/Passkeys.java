package dev.authgate.passkey;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.AttestedCredentialDataConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.security.UnauthorizedException;

import dev.authgate.events.Audit;
import dev.authgate.events.AuditEvent;
import dev.authgate.account.Account;
import dev.authgate.account.AuthTable;
import dev.authgate.config.AuthgateConfig;
import dev.authgate.failure.Failure;
import dev.authgate.metrics.AuthMetrics;
import dev.authgate.mfa.SecondFactors;
import dev.authgate.session.SessionIssuer;
import dev.authgate.token.Assurance;
import dev.authgate.token.Auth;
import dev.authgate.token.TokenService;

/**
 * Passkeys (WebAuthn Level 2, docs/mfa.md): registration by a signed-in account, usernameless sign-in (aal 2) and the
 * second step after a password. Every parse and check of the authenticator's data (CBOR, COSE, attestation {@code none},
 * type, origin, rpIdHash, UP, UV, signature, counter) is webauthn4j's non-strict {@link WebAuthnManager}; challenges
 * are single use, 5 minutes, in PostgreSQL, so a ceremony started on one replica finishes on another. Every failure of
 * a ceremony is 400 {@code {"param":"credential"}} with nothing stored.
 */
@Singleton
public class Passkeys {

    private static final Logger LOG = Logger.getLogger(Passkeys.class);

    static final Duration CHALLENGE_LIFETIME = Duration.ofMinutes(5);
    static final int MAX_PER_ACCOUNT = 10;
    static final int CHALLENGE_BYTES = 32;
    public static final String TYPE = "passkey";
    /** ES256, EdDSA and RS256, in the order offered. */
    static final List<COSEAlgorithmIdentifier> ALGORITHMS = List.of(COSEAlgorithmIdentifier.ES256,
            COSEAlgorithmIdentifier.EdDSA, COSEAlgorithmIdentifier.RS256);

    /** An options endpoint's answer: the challenge's id and the WebAuthn Level 3 JSON options (base64url). */
    public record Options(String challengeId, Map<String, Object> publicKey) {
    }

    /** A passkey as its account lists it; times in epoch milliseconds, last use null when never. */
    public record Passkey(String id, String name, long createdAt, Long lastUsedAt, boolean backupEligible,
            boolean backedUp) {
    }

    private record Challenge(UUID id, byte[] value, Long accountId, byte[] mfaHash) {
    }

    private record Stored(UUID id, String table, long accountId, byte[] attested, long signCount, boolean uvInitialized,
            boolean backupEligible, boolean backupState) {
    }

    private final EntityManager em;
    private final SecondFactors factors;
    private final SessionIssuer tokens;
    private final AuthMetrics metrics;
    private final AuthgateConfig config;
    private final SecureRandom random;
    private final Audit audit;
    private final WebAuthnManager webauthn = WebAuthnManager.createNonStrictWebAuthnManager();
    private final AttestedCredentialDataConverter attested = new AttestedCredentialDataConverter(new ObjectConverter());

    public Passkeys(EntityManager em, SecondFactors factors, SessionIssuer tokens, AuthMetrics metrics,
            AuthgateConfig config, SecureRandom random, Audit audit) {
        this.em = em;
        this.factors = factors;
        this.tokens = tokens;
        this.metrics = metrics;
        this.config = config;
        this.random = random;
        this.audit = audit;
    }

    // ---------------------------------------------------------------- registration

    /** Creation options for the caller: resident key and UV required, attestation none, their passkeys excluded. */
    public Options registrationOptions(AuthTable table, Auth caller) {
        requireOn(table);
        return inTransaction(() -> {
            if (factors.hasActiveFactor(table, caller.id()) && caller.aal() < 2) {
                throw Failure.denied(SecondFactors.NEEDS_AAL2);
            }
            Account account = em.find(table.entity(), caller.id());
            if (account == null) {
                throw new UnauthorizedException();
            }
            List<byte[]> existing = credentialIds(table, caller.id());
            if (existing.size() >= MAX_PER_ACCOUNT) {
                throw Failure.invalidInput("credential", "At most " + MAX_PER_ACCOUNT + " passkeys per account.");
            }
            byte[] challenge = newChallenge();
            UUID id = storeChallenge(challenge, "register", table, caller.id(), null);
            Map<String, Object> rp = new LinkedHashMap<>();
            rp.put("id", rpId());
            rp.put("name", config.webauthn().rpName());
            Map<String, Object> user = new LinkedHashMap<>();
            user.put("id", b64(userHandle(table, caller.id())));
            user.put("name", account.email);
            user.put("displayName", account.email);
            Map<String, Object> selection = new LinkedHashMap<>();
            selection.put("residentKey", "required");
            selection.put("requireResidentKey", true);
            selection.put("userVerification", "required");
            Map<String, Object> options = new LinkedHashMap<>();
            options.put("rp", rp);
            options.put("user", user);
            options.put("challenge", b64(challenge));
            options.put("pubKeyCredParams", ALGORITHMS.stream()
                    .map(a -> Map.<String, Object>of("type", "public-key", "alg", a.getValue())).toList());
            options.put("timeout", CHALLENGE_LIFETIME.toMillis());
            options.put("excludeCredentials", descriptors(existing));
            options.put("authenticatorSelection", selection);
            options.put("attestation", "none");
            return new Options(id.toString(), options);
        });
    }

    /**
     * Verifies a RegistrationResponseJSON against the caller's registration challenge (used whatever the outcome) and
     * stores the passkey: at most 10 per account, a credential id registered once.
     */
    public Passkey register(AuthTable table, Auth caller, String challengeId, String credentialJson, String name) {
        requireOn(table);
        Challenge challenge = claim(challengeId, "register", table);
        if (challenge.accountId() == null || challenge.accountId() != caller.id()) {
            throw badCredential("registration challenge of another account");
        }
        RegistrationData data;
        try {
            data = webauthn.verifyRegistrationResponseJSON(credentialJson, new RegistrationParameters(
                    server(challenge.value()), ALGORITHMS.stream()
                            .map(a -> new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, a)).toList(),
                    true, true));
        } catch (RuntimeException e) {
            throw badCredential(e.toString());
        }
        AuthenticatorData<?> auth = data.getAttestationObject() == null ? null
                : data.getAttestationObject().getAuthenticatorData();
        if (auth == null || auth.getAttestedCredentialData() == null) {
            throw badCredential("no attested credential data");
        }
        AttestedCredentialData credential = auth.getAttestedCredentialData();
        byte[] serialized = attested.convert(credential);
        return inTransaction(() -> {
            em.createNativeQuery("select pg_advisory_xact_lock(hashtext(?1))")
                    .setParameter(1, "passkeys:" + table.name() + ":" + caller.id()).getSingleResult();
            if (credentialIds(table, caller.id()).size() >= MAX_PER_ACCOUNT) {
                throw Failure.invalidInput("credential", "At most " + MAX_PER_ACCOUNT + " passkeys per account.");
            }
            UUID id = UUID.randomUUID();
            int stored = em.createNativeQuery("insert into auth_passkey (id, dbtable, account_id, credential_id, "
                    + "attested_data, sign_count, uv_initialized, backup_eligible, backup_state, name) values "
                    + "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) on conflict (credential_id) do nothing")
                    .setParameter(1, id).setParameter(2, table.name()).setParameter(3, caller.id())
                    .setParameter(4, credential.getCredentialId()).setParameter(5, serialized)
                    .setParameter(6, auth.getSignCount()).setParameter(7, auth.isFlagUV())
                    .setParameter(8, auth.isFlagBE()).setParameter(9, auth.isFlagBS()).setParameter(10, name)
                    .executeUpdate();
            if (stored != 1) {
                throw badCredential("credential registered already");
            }
            LOG.infof("passkey registered: table=%s id=%d passkey=%s", table.name(), caller.id(), id);
            audit.ok(AuditEvent.PASSKEY_ADDED, table.name(), caller.id(), Map.of("passkey", id.toString()));
            return one(table, caller.id(), id).orElseThrow();
        });
    }

    // ---------------------------------------------------------------- sign-in

    /**
     * Request options: usernameless (no mfa_token: empty allowCredentials, any of the table's passkeys), or the second
     * step of a login that waits for a factor (the mfa_token's account's passkeys). An invalid mfa_token: 401.
     */
    public Options loginOptions(AuthTable table, String mfaToken) {
        requireConfigured();
        return inTransaction(() -> {
            Long accountId = null;
            byte[] mfaHash = null;
            List<byte[]> allowed = List.of();
            if (mfaToken != null) {
                SecondFactors.Waiting waiting = factors.waiting(table, mfaToken).orElseThrow(UnauthorizedException::new);
                accountId = waiting.accountId();
                mfaHash = SecondFactors.sha256(mfaToken);
                allowed = credentialIds(table, accountId);
            }
            byte[] challenge = newChallenge();
            UUID id = storeChallenge(challenge, "login", table, accountId, mfaHash);
            Map<String, Object> options = new LinkedHashMap<>();
            options.put("challenge", b64(challenge));
            options.put("timeout", CHALLENGE_LIFETIME.toMillis());
            options.put("rpId", rpId());
            options.put("allowCredentials", descriptors(allowed));
            options.put("userVerification", "required");
            return new Options(id.toString(), options);
        });
    }

    /**
     * Verifies an AuthenticationResponseJSON against a login challenge (used whatever the outcome): a token of aal 2,
     * amr {@code hwk} (not backup eligible) or {@code swk} (backup eligible: a synced passkey) and {@code user}; after a
     * password, the first factor's methods first. A signature counter that does not grow once non-zero is refused.
     */
    public String login(AuthTable table, String challengeId, String credentialJson, String mfaToken) {
        requireConfigured();
        Challenge challenge = claim(challengeId, "login", table);
        byte[] presented = mfaToken == null ? null : SecondFactors.sha256(mfaToken);
        if (challenge.mfaHash() == null ? presented != null : !MessageDigest.isEqual(challenge.mfaHash(), presented)) {
            throw badCredential("mfa_token does not match the challenge");
        }
        AuthenticationData parsed;
        try {
            parsed = webauthn.parseAuthenticationResponseJSON(credentialJson);
        } catch (RuntimeException e) {
            throw badCredential(e.toString());
        }
        if (parsed.getCredentialId() == null) {
            throw badCredential("no credential id");
        }
        Stored stored = inTransaction(() -> byCredentialId(table, parsed.getCredentialId()))
                .orElseThrow(() -> badCredential("unknown credential"));
        if (challenge.accountId() != null && challenge.accountId() != stored.accountId()) {
            throw badCredential("a credential of another account");
        }
        AuthenticationData verified;
        try {
            CredentialRecordImpl record = new CredentialRecordImpl(new NoneAttestationStatement(),
                    stored.uvInitialized(), stored.backupEligible(), stored.backupState(), stored.signCount(),
                    attested.convert(stored.attested()), null, null, null, null);
            verified = webauthn.verify(parsed, new AuthenticationParameters(server(challenge.value()), record,
                    List.of(parsed.getCredentialId()), true, true));
        } catch (RuntimeException e) {
            if (e.getClass().getSimpleName().contains("Counter")) {
                LOG.warnf("passkey refused, its signature counter did not grow (a cloned authenticator?): table=%s "
                        + "id=%d passkey=%s", table.name(), stored.accountId(), stored.id());
            }
            throw badCredential(e.toString());
        }
        AuthenticatorData<?> auth = verified.getAuthenticatorData();
        long count = auth.getSignCount();
        String token = inTransaction(() -> {
            int used = em.createNativeQuery("update auth_passkey set sign_count = ?1, backup_state = ?2, "
                    + "last_used_at = now() where id = ?3 and (?1 > sign_count or (sign_count = 0 and ?1 = 0))")
                    .setParameter(1, count).setParameter(2, auth.isFlagBS()).setParameter(3, stored.id())
                    .executeUpdate();
            if (used != 1) {
                LOG.warnf("passkey refused, its signature counter did not grow (a cloned authenticator?): table=%s "
                        + "id=%d passkey=%s", table.name(), stored.accountId(), stored.id());
                throw badCredential("counter");
            }
            List<String> methods = List.of(stored.backupEligible() ? Assurance.SWK : Assurance.HWK, Assurance.USER);
            Assurance assurance;
            if (mfaToken != null) {
                SecondFactors.Waiting waiting = factors.consume(table, mfaToken);
                if (waiting.accountId() != stored.accountId()) {
                    throw badCredential("a credential of another account");
                }
                assurance = new Assurance(1, waiting.firstAmr()).withSecond(methods);
            } else {
                assurance = new Assurance(2, methods);
            }
            Account account = em.find(table.entity(), stored.accountId());
            if (account == null) {
                throw badCredential("no account");
            }
            audit.ok(AuditEvent.PASSKEY_LOGIN, table.name(), account.id, Map.of("passkey", stored.id().toString(), "second_factor", mfaToken != null));
            return tokens.issue(table, account.id, TokenService.extrasOf(account.role, account.extras, account.verified),
                    table.tokenExpiration(), assurance);
        });
        metrics.tokenIssued(table.name(), "passkey");
        return token;
    }

    // ---------------------------------------------------------------- management

    public List<Passkey> list(AuthTable table, long accountId) {
        return inTransaction(() -> rows(table, accountId, null));
    }

    public Passkey rename(AuthTable table, Auth caller, String id, String name) {
        UUID passkeyId = passkeyId(id);
        return inTransaction(() -> {
            int done = em.createNativeQuery("update auth_passkey set name = ?1 where id = ?2 and dbtable = ?3 "
                    + "and account_id = ?4").setParameter(1, name).setParameter(2, passkeyId)
                    .setParameter(3, table.name()).setParameter(4, caller.id()).executeUpdate();
            if (done != 1) {
                throw noPasskey();
            }
            return one(table, caller.id(), passkeyId).orElseThrow(Passkeys::noPasskey);
        });
    }

    /** Removes one of the caller's passkeys; without a factor left, the recovery codes go too. */
    public void delete(AuthTable table, Auth caller, String id) {
        UUID passkeyId = passkeyId(id);
        inTransaction(() -> {
            int gone = em.createNativeQuery("delete from auth_passkey where id = ?1 and dbtable = ?2 and account_id = ?3")
                    .setParameter(1, passkeyId).setParameter(2, table.name()).setParameter(3, caller.id())
                    .executeUpdate();
            if (gone != 1) {
                throw noPasskey();
            }
            factors.factorRemoved(table, caller.id());
            audit.ok(AuditEvent.PASSKEY_REMOVED, table.name(), caller.id(), Map.of("passkey", id));
            return null;
        });
    }

    /** Expired and used challenges: dropped. Every replica may run it. */
    @Scheduled(every = "${authgate.sessions.purge-every:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        inTransaction(() -> em.createNativeQuery("delete from auth_webauthn_challenge where expires_at < now()")
                .executeUpdate());
    }

    // ---------------------------------------------------------------- parts

    private void requireOn(AuthTable table) {
        requireConfigured();
        if (!config.tables().get(table.name()).mfa().passkeys()) {
            throw Failure.unknownRoute();
        }
    }

    private void requireConfigured() {
        if (config.webauthn().rpId().isEmpty() || config.webauthn().origins().map(List::isEmpty).orElse(true)) {
            throw Failure.unknownRoute();
        }
    }

    private String rpId() {
        return config.webauthn().rpId().orElseThrow();
    }

    private ServerProperty server(byte[] challenge) {
        Set<Origin> origins = config.webauthn().origins().orElseThrow().stream().map(Origin::new)
                .collect(Collectors.toSet());
        return new ServerProperty(origins, rpId(), new DefaultChallenge(challenge));
    }

    /** Takes the challenge (one conditional UPDATE: used once, whatever the ceremony's outcome). */
    private Challenge claim(String challengeId, String purpose, AuthTable table) {
        UUID id;
        try {
            id = UUID.fromString(challengeId == null ? "" : challengeId);
        } catch (IllegalArgumentException e) {
            throw badCredential("challenge_id is not a UUID");
        }
        return inTransaction(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("update auth_webauthn_challenge set used_at = now() "
                    + "where id = ?1 and purpose = ?2 and dbtable = ?3 and used_at is null and expires_at > now() "
                    + "returning challenge, account_id, mfa_hash")
                    .setParameter(1, id).setParameter(2, purpose).setParameter(3, table.name()).getResultList();
            return rows.stream().findFirst().map(r -> new Challenge(id, (byte[]) r[0],
                    r[1] == null ? null : ((Number) r[1]).longValue(),
                    ((byte[]) r[2]).length == 0 ? null : (byte[]) r[2]));
        }).orElseThrow(() -> badCredential("no such challenge, used or expired"));
    }

    /** A challenge row; a usernameless login's has no account and an empty mfa_hash. */
    private UUID storeChallenge(byte[] challenge, String purpose, AuthTable table, Long accountId, byte[] mfaHash) {
        UUID id = UUID.randomUUID();
        jakarta.persistence.Query insert = em.createNativeQuery("insert into auth_webauthn_challenge (id, challenge, "
                + "purpose, dbtable, mfa_hash, expires_at" + (accountId == null ? "" : ", account_id")
                + ") values (?1, ?2, ?3, ?4, ?5, ?6" + (accountId == null ? "" : ", ?7") + ")")
                .setParameter(1, id).setParameter(2, challenge).setParameter(3, purpose).setParameter(4, table.name())
                .setParameter(5, mfaHash == null ? new byte[0] : mfaHash)
                .setParameter(6, Instant.now().plus(CHALLENGE_LIFETIME));
        if (accountId != null) {
            insert.setParameter(7, accountId);
        }
        insert.executeUpdate();
        return id;
    }

    private List<byte[]> credentialIds(AuthTable table, long accountId) {
        @SuppressWarnings("unchecked")
        List<byte[]> ids = em.createNativeQuery("select credential_id from auth_passkey where dbtable = ?1 "
                + "and account_id = ?2 order by created_at, id").setParameter(1, table.name())
                .setParameter(2, accountId).getResultList();
        return ids;
    }

    private Optional<Stored> byCredentialId(AuthTable table, byte[] credentialId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select id, dbtable, account_id, attested_data, sign_count, "
                + "uv_initialized, backup_eligible, backup_state from auth_passkey where credential_id = ?1 "
                + "and dbtable = ?2").setParameter(1, credentialId).setParameter(2, table.name()).getResultList();
        return rows.stream().findFirst().map(r -> new Stored((UUID) r[0], (String) r[1], ((Number) r[2]).longValue(),
                (byte[]) r[3], ((Number) r[4]).longValue(), (Boolean) r[5], (Boolean) r[6], (Boolean) r[7]));
    }

    private Optional<Passkey> one(AuthTable table, long accountId, UUID id) {
        return rows(table, accountId, id).stream().findFirst();
    }

    private List<Passkey> rows(AuthTable table, long accountId, UUID only) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select id, name, created_at, last_used_at, backup_eligible, "
                + "backup_state from auth_passkey where dbtable = ?1 and account_id = ?2 "
                + "and (?3 or id = ?4) order by created_at, id")
                .setParameter(1, table.name()).setParameter(2, accountId).setParameter(3, only == null)
                .setParameter(4, only == null ? new UUID(0, 0) : only).getResultList();
        List<Passkey> list = new ArrayList<>();
        for (Object[] r : rows) {
            Instant last = SecondFactors.instant(r[3]);
            list.add(new Passkey(r[0].toString(), (String) r[1], SecondFactors.instant(r[2]).toEpochMilli(),
                    last == null ? null : last.toEpochMilli(), (Boolean) r[4], (Boolean) r[5]));
        }
        return list;
    }

    private static List<Map<String, Object>> descriptors(List<byte[]> ids) {
        return ids.stream().map(id -> Map.<String, Object>of("type", "public-key", "id", b64(id))).toList();
    }

    /** The WebAuthn user handle: opaque and stable, no personal data (a hash of the table and the account id). */
    static byte[] userHandle(AuthTable table, long accountId) {
        return SecondFactors.sha256(table.name() + ":" + accountId);
    }

    private byte[] newChallenge() {
        byte[] bytes = new byte[CHALLENGE_BYTES];
        random.nextBytes(bytes);
        return bytes;
    }

    private static UUID passkeyId(String id) {
        return SecondFactors.uuid(id).orElseThrow(Passkeys::noPasskey);
    }

    static Failure noPasskey() {
        return Failure.notFound("No such passkey.");
    }

    /** Every failed ceremony: 400 {@code {"param":"credential"}}; why, only in the log. */
    static Failure badCredential(String why) {
        LOG.debugf("passkey ceremony refused: %s", why);
        return Failure.invalidInput("credential", "The passkey could not be verified.");
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static <T> T inTransaction(Supplier<T> work) {
        return QuarkusTransaction.requiringNew().call(work::get);
    }
}
