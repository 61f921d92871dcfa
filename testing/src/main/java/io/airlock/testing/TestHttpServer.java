package io.airlock.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP server on 127.0.0.1 (a free port) serving the files under a directory, for tests of
 * downloads: it counts requests, and answers chosen paths with faults (errors, dropped connections,
 * slow, truncated or wrong bodies, redirects) for their next requests or for every request.
 */
public final class TestHttpServer implements AutoCloseable {

    /** How a request is answered instead of with the file. */
    public enum Fault {
        /** HTTP 500. */
        ERROR_500,
        /** The connection is closed without an answer. */
        DROP,
        /** Half the body, then nothing for {@link #SLOW_MILLIS} ms, then the rest. */
        SLOW,
        /** The headers announce the whole length; half the body is sent and the connection closed. */
        TRUNCATE,
        /** A body of the right length whose first byte is changed. */
        WRONG_BODY,
        /** HTTP 404. */
        NOT_FOUND,
        /** A 302 to the same path under {@code /moved/}, which serves the same files. */
        REDIRECT
    }

    /** How long a {@link Fault#SLOW} body stalls. */
    public static final long SLOW_MILLIS = 5_000;
    private static final String MOVED = "/moved/";

    private final Path root;
    private final HttpServer server;
    private final String scheme;
    private final ExecutorService threads;
    private final AtomicLong requests = new AtomicLong();
    private final Map<String, AtomicLong> requestsByPath = new ConcurrentHashMap<>();
    private final Map<String, Deque<Fault>> nextFaults = new ConcurrentHashMap<>();
    private final Map<String, Fault> alwaysFaults = new ConcurrentHashMap<>();
    private volatile String credentials;

    private TestHttpServer(Path root, javax.net.ssl.SSLContext tls, boolean needClientCertificate) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        if (tls == null) {
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } else {
            com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls) {
                @Override
                public void configure(com.sun.net.httpserver.HttpsParameters parameters) {
                    javax.net.ssl.SSLParameters ssl = tls.getDefaultSSLParameters();
                    ssl.setNeedClientAuth(needClientCertificate);
                    parameters.setSSLParameters(ssl);
                }
            });
            this.server = https;
        }
        this.scheme = tls == null ? "http" : "https";
        this.threads = Executors.newFixedThreadPool(16, r -> {
            Thread thread = new Thread(r, "test-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Serves the files under {@code root} (regular files only; {@code ..} refused) until closed. */
    public static TestHttpServer serve(Path root) {
        try {
            return new TestHttpServer(root, null, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Serves the files under {@code root} over TLS with this context, requiring a client certificate when asked. */
    public static TestHttpServer serveTls(Path root, javax.net.ssl.SSLContext tls, boolean needClientCertificate) {
        try {
            return new TestHttpServer(root, tls, needClientCertificate);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:PORT/} (https for a TLS server). */
    public URI url() {
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** The URL of a path relative to the root. */
    public URI url(String path) {
        return url().resolve(path);
    }

    /** Answers the next requests of {@code path} (relative to the root) with these faults, in order. */
    public TestHttpServer faults(String path, Fault... faults) {
        nextFaults.computeIfAbsent("/" + path, p -> new ArrayDeque<>()).addAll(java.util.List.of(faults));
        return this;
    }

    /** Answers every request of {@code path} with this fault. */
    public TestHttpServer always(String path, Fault fault) {
        alwaysFaults.put("/" + path, fault);
        return this;
    }

    /** Requires HTTP basic authentication with these credentials (401 otherwise). */
    public TestHttpServer requireCredentials(String username, String password) {
        credentials = "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Requests received so far. */
    public long requests() {
        return requests.get();
    }

    /** Requests received so far for one path (relative to the root). */
    public long requests(String path) {
        AtomicLong count = requestsByPath.get("/" + path);
        return count == null ? 0 : count.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            String path = exchange.getRequestURI().getPath();
            requestsByPath.computeIfAbsent(path, p -> new AtomicLong()).incrementAndGet();
            if (credentials != null && !credentials.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            Fault fault = alwaysFaults.get(path);
            if (fault == null) {
                Deque<Fault> queue = nextFaults.get(path);
                synchronized (this) {
                    fault = queue == null ? null : queue.poll();
                }
            }
            if (fault == Fault.REDIRECT) {
                exchange.getResponseHeaders().add("Location", MOVED + path.substring(1));
                exchange.sendResponseHeaders(302, -1);
                return;
            }
            String relative = path.startsWith(MOVED) ? path.substring(MOVED.length()) : path.substring(1);
            Path file = root.resolve(relative).normalize();
            if (fault == Fault.ERROR_500) {
                exchange.sendResponseHeaders(500, -1);
                return;
            }
            if (fault == Fault.DROP) {
                throw new IOException("dropped on purpose"); // the server closes the connection unanswered
            }
            if (fault == Fault.NOT_FOUND || !file.startsWith(root) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = Files.readAllBytes(file);
            if (fault == Fault.WRONG_BODY && body.length > 0) {
                body[0] ^= 0x55;
            }
            exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            OutputStream out = exchange.getResponseBody();
            if (fault == Fault.TRUNCATE || fault == Fault.SLOW) {
                out.write(body, 0, body.length / 2);
                out.flush();
                if (fault == Fault.TRUNCATE) {
                    throw new IOException("truncated on purpose");
                }
                try {
                    Thread.sleep(SLOW_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("stopped");
                }
                out.write(body, body.length / 2, body.length - body.length / 2);
            } else {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
