package dev.authgate.events;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** A real HTTP receiver on loopback that records every request and answers what the test says. */
final class Receiver implements AutoCloseable {

    /** One request as received, and the status it was answered with. */
    record Request(String path, Map<String, List<String>> headers, String body, int status) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> e.getValue().get(0)).orElse(null);
        }
    }

    /** What to answer: a status and a body, after an optional delay. */
    record Reply(int status, String body, Duration delay) {
        static Reply ok() {
            return new Reply(200, "", Duration.ZERO);
        }
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    volatile Function<Request, Reply> answer = r -> Reply.ok();
    /** Requests received and not yet answered. */
    final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final HttpServer server;

    Receiver(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", this::handle);
        server.start();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        String body;
        try (InputStream in = ex.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        inFlight.incrementAndGet();
        Request seen = new Request(ex.getRequestURI().getPath(), Map.copyOf(ex.getRequestHeaders()), body, 0);
        Reply reply = answer.apply(seen);
        if (!reply.delay().isZero()) {
            try {
                Thread.sleep(reply.delay().toMillis()); // the receiver is slow on purpose
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        requests.add(new Request(seen.path(), seen.headers(), body, reply.status()));
        byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("content-type", "application/json");
        ex.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
            ex.getResponseBody().write(out);
        }
        ex.close();
        inFlight.decrementAndGet();
    }


    @Override
    public void close() {
        server.stop(0);
    }
}
