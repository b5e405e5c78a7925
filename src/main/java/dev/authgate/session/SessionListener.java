package dev.authgate.session;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.security.AgroalSecurityProvider;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * One daemon thread per replica, on its own connection (not from the pool, so it cannot be starved or recycled):
 * {@code LISTEN authgate_sessions}, hands what each notification names to {@link SessionCache}, and proves the
 * connection alive every {@code heartbeat}. Any failure flushes the cache and makes it bypassed until LISTEN is in
 * force again. Payloads are written by the triggers of migration V4.
 */
@Singleton
public class SessionListener {

    public static final String CHANNEL = "authgate_sessions";
    /**
     * The listening connection's {@code application_name} in {@code pg_stat_activity} starts with this; see
     * {@link #applicationName()}.
     */
    public static final String APPLICATION_NAME = "authgate-session-listener";

    private static final Logger LOG = Logger.getLogger(SessionListener.class);

    private final SessionCache cache;
    private final AgroalDataSource dataSource;
    private final SessionCacheConfig config;
    private volatile boolean running;
    private volatile Connection current;
    private Thread thread;

    public SessionListener(SessionCache cache, AgroalDataSource dataSource, SessionCacheConfig config) {
        this.cache = cache;
        this.dataSource = dataSource;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        running = true;
        thread = new Thread(this::run, APPLICATION_NAME);
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (thread == null) {
            return;
        }
        thread.interrupt();
        closeQuietly(current); // wakes a read blocked on the socket
        thread.join(5_000);
    }

    private void run() {
        int heartbeat = (int) Math.max(1, config.heartbeat().toMillis());
        boolean warned = false;
        while (running) {
            try (Connection c = connect(); Statement st = c.createStatement()) {
                current = c;
                st.execute("LISTEN " + CHANNEL);
                PGConnection pg = c.unwrap(PGConnection.class);
                cache.listening(System.nanoTime());
                warned = false;
                long nextPing = System.nanoTime();
                while (running) {
                    handle(pg.getNotifications(heartbeat));
                    if (System.nanoTime() - nextPing >= 0) {
                        long sent = System.nanoTime();
                        st.execute("select 1");
                        handle(pg.getNotifications());
                        cache.heard(sent);
                        nextPing = sent + config.heartbeat().toNanos();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running && !warned) {
                    LOG.warnf("session listener: %s", e.getMessage());
                    warned = true;
                }
            } finally {
                current = null;
                cache.lost(running);
            }
            sleep(config.reconnectDelay().toMillis());
        }
    }

    private void handle(PGNotification[] notes) {
        if (notes == null) {
            return;
        }
        for (PGNotification n : notes) {
            if (CHANNEL.equals(n.getName())) {
                apply(n.getParameter());
            }
        }
    }

    /** See V4__session_notifications.sql for the payloads; anything unreadable flushes. */
    void apply(String payload) {
        try {
            if (payload.startsWith("s ")) {
                for (String entry : payload.substring(2).split(";")) {
                    String[] f = entry.split(" ");
                    cache.sessionEnded(f[0], Long.parseLong(f[1]), UUID.fromString(f[2]));
                }
                return;
            }
            if (payload.startsWith("a ")) {
                String[] f = payload.split(" ");
                cache.recordChanged(f[1], Long.parseLong(f[2]));
                return;
            }
        } catch (RuntimeException unreadable) {
            // fall through
        }
        cache.flush();
    }

    private Connection connect() throws SQLException {
        var factory = dataSource.getConfiguration().connectionPoolConfiguration().connectionFactoryConfiguration();
        Properties props = new Properties();
        props.putAll(factory.jdbcProperties());
        for (AgroalSecurityProvider provider : factory.securityProviders()) {
            addAll(props, provider.getSecurityProperties(factory.principal()));
            for (Object credential : factory.credentials()) {
                addAll(props, provider.getSecurityProperties(credential));
            }
        }
        props.setProperty("ApplicationName", applicationName());
        props.setProperty("connectTimeout", "2");
        // a round trip that takes longer than the trust window has already made the cache bypassed
        props.setProperty("socketTimeout", Long.toString(config.trustWindow().toSeconds() + 1));
        props.setProperty("tcpKeepAlive", "true");
        Connection c = new org.postgresql.Driver().connect(factory.jdbcUrl(), props);
        if (c == null) {
            throw new SQLException("not a PostgreSQL URL: the session cache stays off");
        }
        c.setAutoCommit(true); // notifications arrive only outside a transaction
        return c;
    }

    /**
     * {@code authgate-session-listener:<pid>@<host>}: one replica's listener, also in Kubernetes where every pod's
     * pid is 1 (the host is the pod's name). PostgreSQL keeps 63 bytes of it.
     */
    public static String applicationName() {
        String host = System.getenv("HOSTNAME");
        String name = APPLICATION_NAME + ":" + ProcessHandle.current().pid() + (host == null ? "" : "@" + host);
        return name.length() > 63 ? name.substring(0, 63) : name;
    }

    private static void addAll(Properties to, Properties from) {
        if (from != null) {
            to.putAll(from);
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException ignored) {
            // going away anyway
        }
    }
}
