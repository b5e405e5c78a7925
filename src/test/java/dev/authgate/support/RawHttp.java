package dev.authgate.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A bare HTTP/1.1 client over one keep-alive socket, for requests ordinary clients refuse to send: raw bytes in
 * header values, headers over the server's limit, no Content-Type at all. One instance per thread.
 */
public final class RawHttp implements Closeable {

    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final int port;
    private final InetAddress local;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    public RawHttp(int port) {
        this(port, null);
    }

    /** From another loopback address than 127.0.0.1 (any of 127/8 works on Linux): a client a proxy test tells apart. */
    public RawHttp(int port, InetAddress local) {
        this.port = port;
        this.local = local;
    }

    /** Request bytes: the request line, then each header as given ({@code byte[]} values are sent as they are). */
    public static byte[] request(String method, String path, Map<String, Object> headers, byte[] body) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n").getBytes(StandardCharsets.ISO_8859_1));
        headers.forEach((name, value) -> {
            b.writeBytes((name + ": ").getBytes(StandardCharsets.ISO_8859_1));
            b.writeBytes(value instanceof byte[] raw ? raw : value.toString().getBytes(StandardCharsets.UTF_8));
            b.writeBytes(new byte[] { '\r', '\n' });
        });
        if (body != null && !headers.containsKey("Transfer-Encoding")) {
            b.writeBytes(("Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        b.writeBytes(new byte[] { '\r', '\n' });
        if (body != null) {
            b.writeBytes(body);
        }
        return b.toByteArray();
    }

    /** Sends and reads one exchange; a keep-alive socket the server closed meanwhile is reopened once. */
    public Response send(byte[] request) throws IOException {
        for (int attempt = 0;; attempt++) {
            boolean fresh = socket == null;
            if (fresh) {
                socket = new Socket();
                if (local != null) {
                    socket.bind(new InetSocketAddress(local, 0));
                }
                // generous ceilings: a bcrypt-bound burst on a busy 2-core machine (load 20+) answers in minutes
                socket.connect(new InetSocketAddress("127.0.0.1", port), 30_000);
                socket.setSoTimeout(180_000);
                in = new BufferedInputStream(socket.getInputStream());
                out = socket.getOutputStream();
            }
            try {
                try {
                    out.write(request);
                    out.flush();
                } catch (IOException writeFailed) {
                    // a server refusing an oversized request may answer and close before reading all of it
                    if (fresh) {
                        Response r = read();
                        close();
                        return r;
                    }
                    throw new StaleConnection(writeFailed.getMessage());
                }
                Response r = read();
                if ("close".equalsIgnoreCase(r.header("connection"))) {
                    close();
                }
                return r;
            } catch (StaleConnection e) {
                close();
                if (fresh || attempt > 0) {
                    throw e;
                }
            } catch (IOException e) {
                close();
                throw e;
            }
        }
    }

    /** The server closed the socket before a single byte of the answer. */
    private static final class StaleConnection extends IOException {
        StaleConnection(String message) {
            super(message);
        }
    }

    private Response read() throws IOException {
        String statusLine;
        try {
            statusLine = line();
        } catch (IOException e) {
            throw new StaleConnection("no answer: " + e.getMessage());
        }
        int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(); !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
        }
        byte[] body;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line().split(";")[0].strip(), 16); size > 0;
                    size = Integer.parseInt(line().split(";")[0].strip(), 16)) {
                b.writeBytes(in.readNBytes(size));
                line();
            }
            line();
            body = b.toByteArray();
        } else if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else {
            body = in.readAllBytes(); // delimited by the end of the connection
            headers.put("connection", "close");
        }
        return new Response(status, headers, body);
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }
}
