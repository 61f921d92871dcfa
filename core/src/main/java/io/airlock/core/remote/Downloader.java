package io.airlock.core.remote;

import static java.util.Objects.requireNonNull;

import io.airlock.core.Airlock;
import io.airlock.core.store.Sha256;
import io.airlock.spi.AirlockException;
import io.airlock.spi.Cancellation;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ProgressListener;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads files over HTTP(S) with the JDK's {@link HttpClient}, each body written to a local file
 * and verified (size bound, expected size, checksum) before the caller gets it: a file that does not
 * match is removed and refused with {@code CHECKSUM_MISMATCH} naming the URL and both digests.
 *
 * <p>Connection errors, timeouts (no response headers, or a body that sends nothing, within the read
 * timeout), bodies cut short and 5xx, 408 and 429 answers are retried, waiting the backoff, then
 * twice as long before each next try, up to {@link RemoteOptions#attempts()} tries in all; then the
 * download fails with {@code REMOTE_FAILURE} naming the URL and the last problem. A 404 or 410 is
 * {@code NOT_FOUND} at once. Redirects are followed up to {@value #MAX_REDIRECTS} times, to the
 * same scheme or from http to https only; credentials go only to the host of the URL asked for.
 *
 * <p>{@link #submit} runs downloads on {@link RemoteOptions#connections()} threads. Interrupting
 * the thread waiting in {@link #fetch} (or {@link #close() closing} the downloader, which interrupts
 * the download threads) stops a download and removes its file. Progress is reported as phase
 * {@value #PHASE}: bytes received so far and the expected total ({@link #expectBytes}), or -1.
 */
public final class Downloader implements AutoCloseable {

    /** The progress phase of downloads: {@code done} and {@code total} are bytes. */
    public static final String PHASE = "download";
    /** Redirects followed for one download. */
    public static final int MAX_REDIRECTS = 5;
    /** Most bytes of an error answer's body read (and thrown away). */
    private static final long ERROR_BODY_BYTES = 64 << 10;
    private static final long POLL_MILLIS = 100;
    private static final long REPORT_NANOS = 100_000_000L;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(Downloader.class);

    /**
     * What a download must be: at most {@code maxBytes}, exactly {@code size} bytes when given, and
     * with this checksum when given ({@code algorithm} a {@link MessageDigest} name such as "SHA-256",
     * {@code checksum} lower- or upper-case hex).
     */
    public record Expected(Optional<String> algorithm, Optional<String> checksum, OptionalLong size, long maxBytes) {
        public Expected {
            requireNonNull(algorithm, "algorithm");
            requireNonNull(checksum, "checksum");
            requireNonNull(size, "size");
            if (algorithm.isPresent() != checksum.isPresent()) {
                throw new IllegalArgumentException("a checksum needs its algorithm");
            }
            if (maxBytes < 0 || size.orElse(0) < 0) {
                throw new IllegalArgumentException("negative size");
            }
            algorithm.ifPresent(Downloader::digest);
        }

        /** A body with this SHA-256 (and size, when known), at most {@code maxBytes}. */
        public static Expected sha256(String sha256, OptionalLong size, long maxBytes) {
            return new Expected(Optional.of("SHA-256"), Optional.of(sha256), size, maxBytes);
        }

        /** A body with this checksum of {@code algorithm} (and size, when known), at most {@code maxBytes}. */
        public static Expected checksum(String algorithm, String checksum, OptionalLong size, long maxBytes) {
            return new Expected(Optional.of(algorithm), Optional.of(checksum), size, maxBytes);
        }

        /** Any body of at most {@code maxBytes} (checked by the caller afterwards, e.g. against a signature). */
        public static Expected unverified(long maxBytes) {
            return new Expected(Optional.empty(), Optional.empty(), OptionalLong.empty(), maxBytes);
        }
    }

    /** A verified download: the URL asked for, the file holding its bytes, their SHA-256 and size. */
    public record Downloaded(URI url, Path file, String sha256, long size) {
        public Downloaded {
            requireNonNull(url, "url");
            requireNonNull(file, "file");
            requireNonNull(sha256, "sha256");
        }
    }

    private final RemoteOptions options;
    private final Optional<ClientFiles.Credentials> credentials;
    private final ExecutorService httpThreads;
    private final HttpClient client;
    private final ExecutorService workers;
    private final ProgressListener progress;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong files = new AtomicLong();
    private final AtomicLong lastReport = new AtomicLong();
    private volatile long expectedBytes = -1;

    private Downloader(RemoteOptions options, ProgressListener progress) {
        this.options = options;
        this.progress = progress;
        this.credentials = ClientFiles.credentials(options);
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(options.connectTimeout())
                .sslContext(ClientFiles.sslContext(options));
        options.proxy().ifPresent(proxy -> builder.proxy(ProxySelector.of(ClientFiles.proxy(proxy))));
        this.httpThreads = Executors.newCachedThreadPool(daemons("airlock-http-"));
        this.client = builder.executor(httpThreads).build();
        this.workers = Executors.newFixedThreadPool(options.connections(), daemons("airlock-download-"));
    }

    /**
     * A downloader with these options, reporting bytes to {@code progress} (from several threads,
     * one call at a time). Refuses unreadable TLS files, a credentials file others may read, a bad proxy URL.
     */
    public static Downloader open(RemoteOptions options, ProgressListener progress) {
        return new Downloader(requireNonNull(options, "options"), requireNonNull(progress, "progress"));
    }

    public RemoteOptions options() {
        return options;
    }

    /** Bytes of verified and unverified bodies received so far. */
    public long bytes() {
        return bytes.get();
    }

    /** HTTP requests sent so far (retries and redirects count). */
    public long requests() {
        return requests.get();
    }

    /** Downloads completed and verified so far. */
    public long files() {
        return files.get();
    }

    /** Sets the total that progress reports show (bytes), e.g. the sum of the sizes to download. */
    public void expectBytes(long total) {
        expectedBytes = total;
    }

    /** Checks that {@code url} can be downloaded: absolute, http or https, with a host. */
    public static URI check(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, "not an http:// or https:// URL: " + url);
        }
        if (url.getUserInfo() != null) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, "a URL may not carry credentials (" + url.getScheme() + "://"
                    + url.getHost() + "/…): give them in a credentials file");
        }
        return url;
    }

    /** {@code base} (made to end with {@code /}) resolved with a relative path. */
    public static URI resolve(URI base, String relativePath) {
        String text = base.toString();
        URI directory = text.endsWith("/") ? base : URI.create(text + "/");
        return directory.resolve(encodePath(relativePath));
    }

    /** Percent-encodes what a path segment may not hold as it is (spaces, %, #, ? and non-ASCII). */
    static String encodePath(String path) {
        StringBuilder out = new StringBuilder(path.length());
        for (byte b : path.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c > 0x20 && c < 0x7f && "%#?\"<>\\^`{|}[]".indexOf(c) < 0) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return out.toString();
    }

    /** Starts downloading {@code url} to {@code target} on one of the download threads; see {@link #fetch}. */
    public Future<Downloaded> submit(URI url, Expected expected, Path target) {
        requireNonNull(url, "url");
        requireNonNull(expected, "expected");
        requireNonNull(target, "target");
        return workers.submit(() -> fetch(url, expected, target));
    }

    /**
     * Like {@link #submit(URI, Expected, Path)}, then hands the verified download to {@code then} on
     * the download thread: e.g. {@link DownloadedFiles#keep}, so that each file is kept as soon as it
     * is complete, whatever happens to the others.
     */
    public <T> Future<T> submit(URI url, Expected expected, Path target, java.util.function.Function<Downloaded, T> then) {
        requireNonNull(url, "url");
        requireNonNull(expected, "expected");
        requireNonNull(target, "target");
        requireNonNull(then, "then");
        return workers.submit(() -> then.apply(fetch(url, expected, target)));
    }

    /**
     * Downloads {@code url} to {@code target} (created or replaced), retrying as the options say,
     * and returns it verified. On any failure {@code target} is removed.
     */
    public Downloaded fetch(URI url, Expected expected, Path target) {
        check(url);
        String what = "download of " + url;
        for (int attempt = 1; ; attempt++) {
            Cancellation.check(what);
            try {
                Downloaded downloaded = attempt(url, expected, target, what);
                files.incrementAndGet();
                return downloaded;
            } catch (Retry retry) {
                deleteQuietly(target);
                if (attempt >= options.attempts()) {
                    throw new AirlockException(ErrorCode.REMOTE_FAILURE, url + ": " + retry.getMessage() + " (tried "
                            + attempt + (attempt == 1 ? " time)" : " times)"), retry.getCause());
                }
                long wait = Math.min(MAX_BACKOFF.toMillis(), options.backoff().toMillis() << Math.min(20, attempt - 1));
                LOG.debug("{}: {}; trying again in {} ms", url, retry.getMessage(), wait);
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    throw Cancellation.cancelled(what, e);
                }
            } catch (RuntimeException | Error e) {
                deleteQuietly(target);
                throw e;
            }
        }
    }

    /** A failure worth another try; its message says what happened, without the URL. */
    private static final class Retry extends Exception {
        Retry(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    private Downloaded attempt(URI url, Expected expected, Path target, String what) throws Retry {
        URI current = url;
        for (int redirects = 0; ; redirects++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(current).GET().timeout(options.readTimeout())
                    .header("User-Agent", "airlock/" + Airlock.VERSION);
            if (credentials.isPresent() && sameHost(url, current)) {
                request.header("Authorization", credentials.get().header());
            }
            long limit = Math.min(expected.maxBytes(), expected.size().orElse(Long.MAX_VALUE));
            Body body = new Body(url, target, expected, limit);
            int status;
            try {
                requests.incrementAndGet();
                CompletableFuture<HttpResponse<Long>> response = client.sendAsync(request.build(), info -> body.start(info.statusCode(),
                        info.headers().firstValue("Location")));
                status = await(response, body, what).statusCode();
            } finally {
                body.close();
            }
            if (status == 200) {
                return body.verified();
            }
            deleteQuietly(target);
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                current = redirect(url, current, body.location, redirects);
                continue;
            }
            if (status >= 500 || status == 408 || status == 429) {
                throw new Retry("HTTP status " + status + (current.equals(url) ? "" : " from " + current), null);
            }
            if (status == 404 || status == 410) {
                throw new AirlockException(ErrorCode.NOT_FOUND, url + ": not found on the server (HTTP status " + status
                        + (current.equals(url) ? "" : " from " + current) + ")");
            }
            throw new AirlockException(ErrorCode.REMOTE_FAILURE, url + ": HTTP status " + status
                    + (status == 401 || status == 403 ? " (credentials missing or refused)" : "")
                    + (current.equals(url) ? "" : " from " + current));
        }
    }

    private static URI redirect(URI url, URI current, Optional<String> location, int redirects) {
        if (location.isEmpty()) {
            throw new AirlockException(ErrorCode.REMOTE_FAILURE, url + ": a redirect without a Location");
        }
        if (redirects >= MAX_REDIRECTS) {
            throw new AirlockException(ErrorCode.REMOTE_FAILURE, url + ": more than " + MAX_REDIRECTS + " redirects");
        }
        URI next;
        try {
            next = current.resolve(location.get());
        } catch (IllegalArgumentException e) {
            throw new AirlockException(ErrorCode.REMOTE_FAILURE, url + ": a redirect to a malformed location", e);
        }
        String from = current.getScheme().toLowerCase(Locale.ROOT);
        String to = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
        if (!(to.equals(from) || (from.equals("http") && to.equals("https"))) || next.getHost() == null
                || next.getUserInfo() != null) {
            throw new AirlockException(ErrorCode.REMOTE_FAILURE, url + ": redirected to " + next
                    + ", refused (only to the same scheme or from http to https)");
        }
        return next;
    }

    private static boolean sameHost(URI a, URI b) {
        return a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b)
                || a.getHost().equalsIgnoreCase(b.getHost()) && "https".equalsIgnoreCase(b.getScheme()) && port(b) == 443;
    }

    private static int port(URI url) {
        return url.getPort() >= 0 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }

    /** Waits for the response and its body, ending a body that sends nothing for the read timeout. */
    private HttpResponse<Long> await(CompletableFuture<HttpResponse<Long>> response, Body body, String what) throws Retry {
        long idle = options.readTimeout().toNanos();
        while (true) {
            try {
                return response.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (body.started() && System.nanoTime() - body.lastData > idle) {
                    body.abort(new HttpTimeoutException("no data"));
                    response.cancel(true);
                    throw new Retry("the body sent no data for " + options.readTimeout().toSeconds() + " s", null);
                }
            } catch (InterruptedException e) {
                body.abort(e);
                response.cancel(true);
                throw Cancellation.cancelled(what, e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof AirlockException airlock) {
                    throw airlock;
                }
                for (Throwable t = cause; t != null; t = t.getCause()) {
                    if (t instanceof javax.net.ssl.SSLHandshakeException handshake) {
                        // A certificate that is not trusted (or a client certificate refused) stays so: not retried.
                        throw new AirlockException(ErrorCode.REMOTE_FAILURE, body.url + ": TLS handshake failed: "
                                + handshake.getMessage(), handshake);
                    }
                }
                if (cause instanceof IOException io) {
                    throw new Retry(describe(io), io);
                }
                throw new AirlockException(ErrorCode.REMOTE_FAILURE, body.url + ": " + cause, cause);
            }
        }
    }

    static String describe(IOException e) {
        if (e instanceof HttpTimeoutException) {
            return "timed out waiting for the server";
        }
        if (e instanceof ConnectException) {
            return "cannot connect" + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        String message = String.valueOf(e.getMessage());
        if (e instanceof java.io.EOFException || message.contains("EOF") || message.contains("content-length")) {
            return "the connection closed before the whole body arrived" + (message.contains("bytes received")
                    ? " (" + message + ")" : "");
        }
        if (e instanceof javax.net.ssl.SSLException) {
            return "TLS failed: " + e.getMessage();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /**
     * The body of one request, written to the target file with its digests as it arrives (for a 200;
     * an error answer's body is read up to {@link #ERROR_BODY_BYTES} and dropped).
     */
    private final class Body implements HttpResponse.BodySubscriber<Long> {
        private final URI url;
        private final Path target;
        private final Expected expected;
        private final long limit;
        private final CompletableFuture<Long> result = new CompletableFuture<>();
        private final MessageDigest sha256 = Sha256.newDigest();
        private final MessageDigest other;
        private FileChannel channel;
        private boolean keep;
        private Flow.Subscription subscription;
        private long count;
        private volatile boolean started;
        private volatile long lastData;
        private volatile Optional<String> location = Optional.empty();

        Body(URI url, Path target, Expected expected, long limit) {
            this.url = url;
            this.target = target;
            this.expected = expected;
            this.limit = limit;
            this.other = expected.algorithm().filter(a -> !a.equals("SHA-256")).map(Downloader::digest).orElse(null);
        }

        /** Called with the status once the headers are in: what receives the body. */
        HttpResponse.BodySubscriber<Long> start(int status, Optional<String> location) {
            this.location = location;
            keep = status == 200;
            if (keep) {
                try {
                    synchronized (this) {
                        channel = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                                StandardOpenOption.WRITE);
                    }
                } catch (IOException e) {
                    result.completeExceptionally(new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot write " + target
                            + ": " + e.getMessage(), e));
                }
            }
            lastData = System.nanoTime();
            started = true;
            return this;
        }

        boolean started() {
            return started;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            synchronized (this) {
                subscription = s;
            }
            if (result.isDone()) {
                s.cancel();
            } else {
                s.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            synchronized (this) {
                if (result.isDone()) {
                    return;
                }
                try {
                    for (ByteBuffer buffer : buffers) {
                        int n = buffer.remaining();
                        count += n;
                        if (!keep) {
                            if (count > ERROR_BODY_BYTES) {
                                subscription.cancel();
                                result.complete(count);
                                return;
                            }
                            continue;
                        }
                        if (count > limit) {
                            fail(new AirlockException(ErrorCode.CHECKSUM_MISMATCH, url + ": the body is larger than "
                                    + (expected.size().isPresent() && limit == expected.size().getAsLong()
                                    ? "the " + limit + " bytes the metadata says: refused"
                                    : "the limit of " + limit + " bytes: refused")));
                            return;
                        }
                        sha256.update(buffer.duplicate());
                        if (other != null) {
                            other.update(buffer.duplicate());
                        }
                        while (buffer.hasRemaining()) {
                            channel.write(buffer);
                        }
                        received(n);
                    }
                } catch (IOException e) {
                    fail(new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot write " + target + ": " + e.getMessage(), e));
                    return;
                }
                lastData = System.nanoTime();
                subscription.request(1);
            }
        }

        private void fail(Throwable failure) {
            result.completeExceptionally(failure);
            subscription.cancel();
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.complete(count);
        }

        @Override
        public java.util.concurrent.CompletionStage<Long> getBody() {
            return result;
        }

        /** Stops the body (a timeout, an interrupt): nothing more is written. */
        void abort(Throwable why) {
            Flow.Subscription s;
            synchronized (this) {
                result.completeExceptionally(why);
                s = subscription;
            }
            if (s != null) {
                s.cancel();
            }
        }

        /** Closes the file (the body is complete or abandoned). */
        synchronized void close() {
            result.completeExceptionally(new IOException("closed")); // no-op when done
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // the file is removed or verified next
                }
            }
        }

        /** The complete body checked against the expected size and checksum. */
        synchronized Downloaded verified() {
            if (expected.size().isPresent() && count != expected.size().getAsLong()) {
                deleteQuietly(target);
                throw new AirlockException(ErrorCode.CHECKSUM_MISMATCH, url + ": the body has " + count + " bytes, but the metadata"
                        + " says " + expected.size().getAsLong() + ": refused");
            }
            String sha = HexFormat.of().formatHex(sha256.digest());
            if (expected.checksum().isPresent()) {
                String actual = other == null ? sha : HexFormat.of().formatHex(other.digest());
                if (!actual.equalsIgnoreCase(expected.checksum().get())) {
                    deleteQuietly(target);
                    throw new AirlockException(ErrorCode.CHECKSUM_MISMATCH, url + ": the body's " + expected.algorithm().get()
                            + " is " + actual + ", but the metadata says " + expected.checksum().get().toLowerCase(Locale.ROOT)
                            + ": refused");
                }
            }
            return new Downloaded(url, target, sha, count);
        }
    }

    private void received(long n) {
        long total = bytes.addAndGet(n);
        long now = System.nanoTime();
        long last = lastReport.get();
        if (now - last >= REPORT_NANOS && lastReport.compareAndSet(last, now)) {
            report(total);
        }
    }

    private void report(long total) {
        synchronized (progress) {
            progress.progress(PHASE, total, expectedBytes);
        }
    }

    /** Reports the bytes received so far (a last report once the downloads are done). */
    public void reportProgress() {
        report(bytes.get());
    }

    static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("unknown digest algorithm " + algorithm, e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // inside a work folder that is removed as a whole
        }
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger number = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Stops every download still running (interrupting its thread, which removes its file) and
     * waits for them to end, so no file is written after this returns.
     */
    @Override
    public void close() {
        workers.shutdownNow();
        Cancellation.runUninterrupted(() -> {
            try {
                workers.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        httpThreads.shutdownNow();
    }
}
