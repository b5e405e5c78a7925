package dev.authgate.session;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;

/** An account's live sessions: listed for their owner or an administrator, and ended one by one. */
@Singleton
public class SessionDirectory {

    private final SessionCache cache;

    public SessionDirectory(SessionCache cache) {
        this.cache = cache;
    }

    /** Only the canonical spelling: {@link UUID#fromString} also reads "1-2-3-4-5". */
    private static final Pattern CANONICAL = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** Newest first; sessions whose tokens have expired are not live, even before the purge removes them. */
    @Transactional
    public List<SessionView> live(String dbtable, long accountId, UUID current) {
        List<AuthSession> rows = AuthSession.list(
                "dbtable = ?1 and accountId = ?2 and (expiresAt is null or expiresAt > ?3) order by issuedAt desc, jti",
                dbtable, accountId, Instant.now());
        return rows.stream().map(s -> SessionView.of(s, s.jti.equals(current))).toList();
    }

    /** Ends one session of this account; false when the id is malformed, unknown or another account's. */
    @Transactional
    public boolean end(String dbtable, long accountId, String id) {
        Optional<UUID> jti = parse(id);
        if (jti.isEmpty()) {
            return false;
        }
        cache.changedInThisTransaction(dbtable, accountId);
        return AuthSession.delete("jti = ?1 and dbtable = ?2 and accountId = ?3", jti.get(), dbtable, accountId) > 0;
    }

    static Optional<UUID> parse(String id) {
        return id != null && CANONICAL.matcher(id).matches() ? Optional.of(UUID.fromString(id)) : Optional.empty();
    }
}
