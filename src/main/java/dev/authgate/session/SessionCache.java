package dev.authgate.session;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;

import jakarta.inject.Singleton;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import org.jboss.logging.Logger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import dev.authgate.account.AccountView;
import dev.authgate.account.AuthTable;
import dev.authgate.token.Auth;

/**
 * Live sessions and the records they read, in memory, kept exact by {@link SessionListener}: PostgreSQL notifies
 * every change that ends a session or alters its record, in the change's own transaction, and the listener drops
 * what it names. The cache is trusted only while the listening connection is up and has answered within
 * {@code trust-window}; otherwise every request reads PostgreSQL, as without a cache.
 *
 * <p>Each account has a change counter (striped), bumped by every notification about it and by every change this
 * replica commits. Entries carry the counter's value from before their PostgreSQL read, and answer only while it
 * is unchanged: so one bump retires every session of the account at once (also those a bump cannot name, such as
 * the ones a global logout ended), and a load that raced a change can never answer with what it read.
 */
@Singleton
public class SessionCache {

    private static final Logger LOG = Logger.getLogger(SessionCache.class);
    private static final int STRIPES = 4096;

    record AccountKey(String dbtable, long id) {
    }

    /** A live session: whose it is, its token's exp (epoch seconds, 0 = never), the account's counter when read. */
    private record Live(AccountKey account, long exp, long stamp) {
    }

    /** The record a session reads, with the account's counter when read. */
    private record Record(AccountView view, long stamp) {
    }

    private final TransactionSynchronizationRegistry transactions;
    private final boolean enabled;
    private final long trustNanos;
    private final Cache<UUID, Live> sessions;
    private final Cache<AccountKey, Record> records;
    private final AtomicLongArray changes = new AtomicLongArray(STRIPES);
    private final AtomicLong generation = new AtomicLong();
    private volatile boolean listening;
    private volatile long lastHeard;

    public SessionCache(TransactionSynchronizationRegistry transactions, SessionCacheConfig config) {
        this.transactions = transactions;
        this.enabled = config.enabled();
        this.trustNanos = config.trustWindow().toNanos();
        long maxAge = config.maxAge().toNanos();
        this.sessions = Caffeine.newBuilder().maximumSize(config.maximumSize()).expireAfter(new Expiry<UUID, Live>() {
            @Override
            public long expireAfterCreate(UUID key, Live value, long currentTime) {
                if (value.exp() == 0) {
                    return maxAge;
                }
                long left = Duration.ofSeconds(value.exp()).toNanos() - System.currentTimeMillis() * 1_000_000L;
                return Math.max(0, Math.min(maxAge, left));
            }

            @Override
            public long expireAfterUpdate(UUID key, Live value, long currentTime, long currentDuration) {
                return expireAfterCreate(key, value, currentTime);
            }

            @Override
            public long expireAfterRead(UUID key, Live value, long currentTime, long currentDuration) {
                return currentDuration;
            }
        }).build();
        this.records = Caffeine.newBuilder().maximumSize(config.maximumSize()).expireAfterWrite(config.maxAge()).build();
    }

    /** The record behind a live session from memory alone, or null: then call {@link #load}. */
    AccountView cached(AuthTable table, Auth auth) {
        if (!trusted()) {
            return null;
        }
        Live live = sessions.getIfPresent(auth.jti());
        if (live == null || live.account().id() != auth.id() || !live.account().dbtable().equals(table.name())) {
            return null;
        }
        long now = changes.get(stripe(live.account()));
        Record record = live.stamp() == now ? records.getIfPresent(live.account()) : null;
        return record != null && record.stamp() == now ? record.view() : null;
    }

    /**
     * Reads the session and its record from PostgreSQL with {@code read} (empty: revoked or deleted) and keeps them
     * if it may.
     */
    Optional<AccountView> load(AuthTable table, Auth auth, Supplier<Optional<AccountView>> read) {
        if (!enabled) {
            return read.get();
        }
        AccountKey key = new AccountKey(table.name(), auth.id());
        int stripe = stripe(key);
        long changed = changes.get(stripe);
        long gen = generation.get();
        boolean trusted = trusted();
        Optional<AccountView> found = read.get();
        if (found.isPresent() && trusted) {
            Live live = new Live(key, auth.exp(), changed);
            Record record = new Record(found.get(), changed);
            sessions.put(auth.jti(), live);
            records.put(key, record);
            // a flush meanwhile (the listener lost) retires nothing by stamp: take them back out
            if (changes.get(stripe) != changed || generation.get() != gen) {
                sessions.asMap().remove(auth.jti(), live);
                records.asMap().remove(key, record);
            }
        }
        return found;
    }

    /**
     * The writer's own replica must not wait for the notification: once the current transaction commits (before
     * the answer leaves), the account's sessions are read from PostgreSQL again here. Called in the transaction of
     * every change that ends a session or alters a record.
     */
    public void changedInThisTransaction(String dbtable, long accountId) {
        if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
            recordChanged(dbtable, accountId);
            return;
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
                // nothing to do before the outcome is known
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    recordChanged(dbtable, accountId);
                }
            }
        });
    }

    /** A session ended (notified): it must not be served from memory again. */
    void sessionEnded(String dbtable, long accountId, UUID jti) {
        changes.incrementAndGet(stripe(new AccountKey(dbtable, accountId)));
        sessions.invalidate(jti);
    }

    /** A record changed or went (notified): every session of it reads PostgreSQL again. */
    void recordChanged(String dbtable, long accountId) {
        AccountKey key = new AccountKey(dbtable, accountId);
        changes.incrementAndGet(stripe(key));
        records.invalidate(key);
    }

    /** Drop everything; loads under way keep nothing. */
    void flush() {
        generation.incrementAndGet();
        sessions.invalidateAll();
        records.invalidateAll();
    }

    /** LISTEN is in force: from now on every committed change is heard. */
    void listening(long heardAt) {
        lastHeard = heardAt;
        listening = true;
        LOG.info("session cache: listening for revocations; the cache is in use");
    }

    /** The listening connection answered a round trip that started at {@code sentAt} (System.nanoTime). */
    void heard(long sentAt) {
        lastHeard = sentAt;
    }

    /** The listening connection is gone: notifications may be missed, so nothing in memory is believed. */
    void lost(boolean warn) {
        boolean was = listening;
        listening = false;
        flush();
        if (was && warn) {
            LOG.warn("session cache: lost the listening connection; flushed, every request reads PostgreSQL");
        }
    }

    /** Whether memory may answer: the listener is connected and was heard from recently. */
    public boolean trusted() {
        return enabled && listening && System.nanoTime() - lastHeard < trustNanos;
    }

    /** Entries held, for tests and metrics (approximate). */
    public long size() {
        return sessions.estimatedSize();
    }

    private static int stripe(AccountKey key) {
        int h = key.hashCode();
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }
}
