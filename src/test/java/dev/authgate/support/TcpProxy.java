package dev.authgate.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP relay on 127.0.0.1 in front of a server, to cut it off: {@link #off()} closes the listener and every open
 * connection (what a client sees when the server's host goes away: resets, then refusals); {@link #on()} listens
 * again on the same port.
 */
public final class TcpProxy implements AutoCloseable {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final int target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tcp-proxy");
        t.setDaemon(true);
        return t;
    });
    private ServerSocket listener;
    private int port;

    public TcpProxy(int targetPort) throws IOException {
        this.target = targetPort;
        on();
    }

    public int port() {
        return port;
    }

    public synchronized void on() throws IOException {
        if (listener != null) {
            return;
        }
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true); // the same port again, while the old connections sit in TIME_WAIT
        s.bind(new InetSocketAddress(LOOPBACK, port));
        port = s.getLocalPort();
        listener = s;
        threads.execute(() -> accept(s));
    }

    public synchronized void off() {
        if (listener != null) {
            quietly(listener);
            listener = null;
        }
        open.forEach(TcpProxy::quietly);
        open.clear();
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                Socket upstream = new Socket();
                open.add(client);
                open.add(upstream);
                try {
                    if (s.isClosed()) {
                        throw new IOException("switched off meanwhile");
                    }
                    upstream.connect(new InetSocketAddress(LOOPBACK, target), 2_000);
                } catch (IOException e) {
                    quietly(client);
                    quietly(upstream);
                    continue;
                }
                threads.execute(() -> pump(client, upstream));
                threads.execute(() -> pump(upstream, client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
            }
        } catch (IOException ended) {
            // either side closed, or off() cut it
        } finally {
            quietly(from);
            quietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void quietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        off();
        threads.shutdownNow();
    }
}
