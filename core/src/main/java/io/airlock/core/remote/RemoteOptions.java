package io.airlock.core.remote;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How a {@link Downloader} talks to a remote server.
 *
 * @param connections    downloads running at once (each on its own HTTP/1.1 connection)
 * @param caCertificates PEM file of the certificate authorities to trust instead of the JDK's
 * @param clientCertificate PEM file of the client certificate (and its chain) for TLS client authentication
 * @param clientKey      PEM file of the client certificate's private key, unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY})
 * @param proxy          an {@code http://HOST:PORT} proxy for every request
 * @param credentials    a file of {@code username=} and {@code password=} lines sent as HTTP basic
 *                       authentication to the server named by the URL (not to other hosts a redirect leads to)
 * @param connectTimeout longest wait for a connection
 * @param readTimeout    longest wait for the response headers, and longest time a body may send nothing
 * @param attempts       tries of each download, the first included, before a connection error, a
 *                       timeout or a 5xx status fails it
 * @param backoff        wait before the second try; doubled before each next one
 */
public record RemoteOptions(int connections, Optional<Path> caCertificates, Optional<Path> clientCertificate,
        Optional<Path> clientKey, Optional<URI> proxy, Optional<Path> credentials, Duration connectTimeout,
        Duration readTimeout, int attempts, Duration backoff) {

    /** Downloads running at once unless told otherwise. */
    public static final int DEFAULT_CONNECTIONS = 8;
    /** Tries of each download unless told otherwise: the first and three retries. */
    public static final int DEFAULT_ATTEMPTS = 4;

    public RemoteOptions {
        requireNonNull(caCertificates, "caCertificates");
        requireNonNull(clientCertificate, "clientCertificate");
        requireNonNull(clientKey, "clientKey");
        requireNonNull(proxy, "proxy");
        requireNonNull(credentials, "credentials");
        requireNonNull(connectTimeout, "connectTimeout");
        requireNonNull(readTimeout, "readTimeout");
        requireNonNull(backoff, "backoff");
        if (connections < 1 || connections > 64) {
            throw new IllegalArgumentException("connections must be 1 to 64, not " + connections);
        }
        if (attempts < 1 || attempts > 20) {
            throw new IllegalArgumentException("attempts must be 1 to 20, not " + attempts);
        }
        if (clientCertificate.isPresent() != clientKey.isPresent()) {
            throw new IllegalArgumentException("a client certificate needs its key, and a key its certificate");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()
                || backoff.isNegative()) {
            throw new IllegalArgumentException("timeouts must be positive and the backoff not negative");
        }
    }

    /** 8 connections, the JDK's trusted authorities, no proxy, no credentials, 30 s timeouts, 4 attempts from 1 s apart. */
    public static RemoteOptions defaults() {
        return new RemoteOptions(DEFAULT_CONNECTIONS, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Duration.ofSeconds(30), Duration.ofSeconds(30), DEFAULT_ATTEMPTS, Duration.ofSeconds(1));
    }

    public RemoteOptions connections(int n) {
        return new RemoteOptions(n, caCertificates, clientCertificate, clientKey, proxy, credentials, connectTimeout, readTimeout,
                attempts, backoff);
    }

    public RemoteOptions caCertificates(Path pem) {
        return new RemoteOptions(connections, Optional.of(pem), clientCertificate, clientKey, proxy, credentials, connectTimeout,
                readTimeout, attempts, backoff);
    }

    public RemoteOptions clientCertificate(Path certificatePem, Path keyPem) {
        return new RemoteOptions(connections, caCertificates, Optional.of(certificatePem), Optional.of(keyPem), proxy, credentials,
                connectTimeout, readTimeout, attempts, backoff);
    }

    public RemoteOptions proxy(URI url) {
        return new RemoteOptions(connections, caCertificates, clientCertificate, clientKey, Optional.of(url), credentials,
                connectTimeout, readTimeout, attempts, backoff);
    }

    public RemoteOptions credentials(Path file) {
        return new RemoteOptions(connections, caCertificates, clientCertificate, clientKey, proxy, Optional.of(file),
                connectTimeout, readTimeout, attempts, backoff);
    }

    public RemoteOptions timeouts(Duration connect, Duration read) {
        return new RemoteOptions(connections, caCertificates, clientCertificate, clientKey, proxy, credentials, connect, read,
                attempts, backoff);
    }

    public RemoteOptions retries(int attempts, Duration backoff) {
        return new RemoteOptions(connections, caCertificates, clientCertificate, clientKey, proxy, credentials, connectTimeout,
                readTimeout, attempts, backoff);
    }
}
