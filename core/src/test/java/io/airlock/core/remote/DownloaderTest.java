package io.airlock.core.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ProgressListener;
import io.airlock.testing.Interruption;
import io.airlock.testing.TestDatabase;
import io.airlock.testing.TestHttpServer;
import io.airlock.testing.TestHttpServer.Fault;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.OptionalLong;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

final class DownloaderTest {

    /** Quick retries and a short read timeout, so faults cost little time. */
    private static final RemoteOptions FAST = RemoteOptions.defaults().retries(3, Duration.ofMillis(10))
            .timeouts(Duration.ofSeconds(5), Duration.ofSeconds(1));
    private static final byte[] BODY = "the bytes of a package, long enough to be cut in half".getBytes(StandardCharsets.UTF_8);

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static Downloader.Expected expected() throws Exception {
        return Downloader.Expected.sha256(sha256(BODY), OptionalLong.of(BODY.length), 1 << 20);
    }

    /** A served directory with one file, a.rpm, and a folder for downloads. */
    private record Site(Path root, Path served, Path downloads) implements AutoCloseable {
        static Site create() throws IOException {
            Path root = Files.createTempDirectory("downloader");
            Files.createDirectories(root.resolve("served/Packages"));
            Files.write(root.resolve("served/Packages/a.rpm"), BODY);
            return new Site(root, root.resolve("served"), Files.createDirectories(root.resolve("downloads")));
        }

        @Override
        public void close() {
            TestDatabase.deleteTree(root);
        }
    }

    @Test
    void aFileIsDownloadedAndVerified() throws Exception {
        try (Site site = Site.create(); TestHttpServer server = TestHttpServer.serve(site.served());
                Downloader downloader = Downloader.open(FAST, ProgressListener.NONE)) {
            Downloader.Downloaded got = downloader.fetch(server.url("Packages/a.rpm"), expected(), site.downloads().resolve("a"));

            assertThat(got.sha256()).isEqualTo(sha256(BODY));
            assertThat(Files.readAllBytes(got.file())).isEqualTo(BODY);
            assertThat(server.requests()).isEqualTo(1);
        }
    }

    @Test
    void errorsDroppedConnectionsAndTruncatedBodiesAreRetried() throws Exception {
        try (Site site = Site.create(); TestHttpServer server = TestHttpServer.serve(site.served());
                Downloader downloader = Downloader.open(FAST.retries(4, Duration.ofMillis(10)), ProgressListener.NONE)) {
            server.faults("Packages/a.rpm", Fault.ERROR_500, Fault.DROP, Fault.TRUNCATE);

            Downloader.Downloaded got = downloader.fetch(server.url("Packages/a.rpm"), expected(), site.downloads().resolve("a"));

            assertThat(Files.readAllBytes(got.file())).isEqualTo(BODY);
            assertThat(server.requests("Packages/a.rpm")).isEqualTo(4);
        }
    }

    @Test
    void aSlowBodyTimesOutAndIsRetried() throws Exception {
        try (Site site = Site.create(); TestHttpServer server = TestHttpServer.serve(site.served());
                Downloader downloader = Downloader.open(FAST, ProgressListener.NONE)) {
            server.faults("Packages/a.rpm", Fault.SLOW);
            long start = System.nanoTime();

            Downloader.Downloaded got = downloader.fetch(server.url("Packages/a.rpm"), expected(), site.downloads().resolve("a"));

            assertThat(Files.readAllBytes(got.file())).isEqualTo(BODY);
            assertThat(server.requests("Packages/a.rpm")).isEqualTo(2);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(TestHttpServer.SLOW_MILLIS));
        }
    }

    @Test
    void aServerThatAlwaysFailsIsAnErrorNamingTheUrlAndTheTries() throws Exception {
        try (Site site = Site.create(); TestHttpServer server = TestHttpServer.serve(site.served());
                Downloader downloader = Downloader.open(FAST, ProgressListener.NONE)) {
            server.always("Packages/a.rpm", Fault.ERROR_500);
            Path target = site.downloads().resolve("a");

            assertThatThrownBy(() -> downloader.fetch(server.url("Packages/a.rpm"), expected(), target))
                    .isInstanceOfSatisfying(AirlockException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_FAILURE))
                    .hasMessage(server.url("Packages/a.rpm") + ": HTTP status 500 (tried 3 times)");
            assertThat(target).doesNotExist();
            assertThat(server.requests()).isEqualTo(3);
        }
    }

    @Test
    void aWrongBodyIsRefusedNamingTheUrlAndBothDigestsAndNothingIsLeft() throws Exception {
        try (Site site = Site.create(); TestHttpServer server = TestHttpServer.serve(site.served());
                Downloader downloader = Downloader.open(FAST, ProgressListener.NONE)) {
            server.always("Packages/a.rpm", Fault.WRONG_BODY);
            byte[] wrong = BODY.clone();
            wrong[0] ^= 0x55;
            Path target = site.downloads().resolve("a");

            assertThatThrownBy(() -> downloader.fetch(server.url("Packages/a.rpm"), expected(), target))
                    .isInstanceOfSatisfying(AirlockException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH))
                    .hasMessage(server.url("Packages/a.rpm") + ": the body's SHA-256 is " + sha256(wrong)
                            + ", but the metadata says " + sha256(BODY) + ": refused");
            assertThat(target).doesNotExist();
        }
    }

    @Test
    void aBodyLongerThanTheMetadataSaysIsRefused() throws Exception {
        try (Site site = Site.create(); TestHttpServer server = TestHttpServer.serve(site.served());
                Downloader downloader = Downloader.open(FAST, ProgressListener.NONE)) {
            Path target = site.downloads().resolve("a");
            Downloader.Expected shorter = Downloader.Expected.sha256(sha256(BODY), OptionalLong.of(10), 1 << 20);

            assertThatThrownBy(() -> downloader.fetch(server.url("Packages/a.rpm"), shorter, target))
                    .hasMessage(server.url("Packages/a.rpm") + ": the body is larger than the 10 bytes the metadata says: refused");
            assertThat(target).doesNotExist();
        }
    }

    @Test
    void redirectsAreFollowed() throws Exception {
        try (Site site = Site.create(); TestHttpServer server = TestHttpServer.serve(site.served());
                Downloader downloader = Downloader.open(FAST, ProgressListener.NONE)) {
            server.faults("Packages/a.rpm", Fault.REDIRECT);

            Downloader.Downloaded got = downloader.fetch(server.url("Packages/a.rpm"), expected(), site.downloads().resolve("a"));

            assertThat(Files.readAllBytes(got.file())).isEqualTo(BODY);
            assertThat(server.requests("moved/Packages/a.rpm")).isEqualTo(1);
        }
    }

    @Test
    void aProxyReceivesTheRequestsForAnyHost() throws Exception {
        try (Site site = Site.create(); TestHttpServer proxy = TestHttpServer.serve(site.served());
                Downloader downloader = Downloader.open(FAST.proxy(proxy.url().resolve("/")), ProgressListener.NONE)) {
            // A host that resolves nowhere: only the proxy can answer (this test server serves the path of the absolute URI).
            java.net.URI url = java.net.URI.create("http://mirror.invalid/Packages/a.rpm");

            Downloader.Downloaded got = downloader.fetch(url, expected(), site.downloads().resolve("a"));

            assertThat(Files.readAllBytes(got.file())).isEqualTo(BODY);
            assertThat(proxy.requests("Packages/a.rpm")).isEqualTo(1);
        }
    }

    @Test
    void notFoundIsAnErrorNamingTheUrl() throws Exception {
        try (Site site = Site.create(); TestHttpServer server = TestHttpServer.serve(site.served());
                Downloader downloader = Downloader.open(FAST, ProgressListener.NONE)) {
            assertThatThrownBy(() -> downloader.fetch(server.url("Packages/b.rpm"), expected(), site.downloads().resolve("b")))
                    .isInstanceOfSatisfying(AirlockException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                    .hasMessage(server.url("Packages/b.rpm") + ": not found on the server (HTTP status 404)");
            assertThat(server.requests()).isEqualTo(1);
        }
    }

    @Test
    void credentialsFromAFileAreSent() throws Exception {
        try (Site site = Site.create(); TestHttpServer server = TestHttpServer.serve(site.served())) {
            server.requireCredentials("mirror", "s3cret=x");
            Path file = Files.writeString(site.root().resolve("credentials"), "# mirror\nusername=mirror\npassword=s3cret=x\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            Path target = site.downloads().resolve("a");
            try (Downloader anonymous = Downloader.open(FAST, ProgressListener.NONE)) {
                assertThatThrownBy(() -> anonymous.fetch(server.url("Packages/a.rpm"), expected(), target))
                        .hasMessageEndingWith("HTTP status 401 (credentials missing or refused)");
            }

            try (Downloader downloader = Downloader.open(FAST.credentials(file), ProgressListener.NONE)) {
                assertThat(downloader.fetch(server.url("Packages/a.rpm"), expected(), target).size()).isEqualTo(BODY.length);
            }
        }
    }

    @Test
    void aCredentialsFileOthersCanReadIsRefused() throws Exception {
        try (Site site = Site.create()) {
            Path file = Files.writeString(site.root().resolve("credentials"), "username=u\npassword=p\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

            assertThatThrownBy(() -> Downloader.open(FAST.credentials(file), ProgressListener.NONE))
                    .hasMessage("credentials file " + file + " is readable by other users: refused (chmod 600 " + file + ")");
        }
    }

    @Test
    void urlsWithCredentialsOrOtherSchemesAreRefused() {
        assertThatThrownBy(() -> Downloader.check(java.net.URI.create("ftp://mirror/x")))
                .hasMessage("not an http:// or https:// URL: ftp://mirror/x");
        assertThatThrownBy(() -> Downloader.check(java.net.URI.create("https://u:p@mirror/x")))
                .hasMessage("a URL may not carry credentials (https://mirror/…): give them in a credentials file");
    }

    @Test
    void closingStopsRunningDownloadsAndRemovesTheirFiles() throws Exception {
        try (Site site = Site.create(); TestHttpServer server = TestHttpServer.serve(site.served())) {
            server.always("Packages/a.rpm", Fault.SLOW);
            Path target = site.downloads().resolve("a");
            Downloader downloader = Downloader.open(FAST.timeouts(Duration.ofSeconds(5), Duration.ofSeconds(30)),
                    ProgressListener.NONE);
            Future<Downloader.Downloaded> running = downloader.submit(server.url("Packages/a.rpm"), expected(), target);
            Thread.sleep(300);

            long start = System.nanoTime();
            downloader.close();

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(running.isDone()).isTrue();
            assertThat(target).doesNotExist();
        }
    }

    @Test
    void interruptingTheCallerCancelsTheDownload() throws Exception {
        try (Site site = Site.create(); TestHttpServer server = TestHttpServer.serve(site.served());
                Downloader downloader = Downloader.open(FAST.timeouts(Duration.ofSeconds(5), Duration.ofSeconds(30)),
                        ProgressListener.NONE)) {
            server.always("Packages/a.rpm", Fault.SLOW);
            Path target = site.downloads().resolve("a");

            Interruption<Downloader.Downloaded> run = Interruption.after(Duration.ofMillis(300),
                    () -> downloader.fetch(server.url("Packages/a.rpm"), expected(), target));

            assertThat(run.failure()).get().isInstanceOfSatisfying(AirlockException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED));
            assertThat(target).doesNotExist();
        }
    }

    /** A self-signed certificate and its key (keytool, PKCS#12 with password "secret"), with PEM copies (openssl). */
    private record Identity(Path keyStore, Path certificatePem, Path keyPem) {
        static Identity create(Path directory, String name) {
            io.airlock.testing.Tools.require("keytool", "openssl");
            Path store = directory.resolve(name + ".p12");
            io.airlock.testing.Tools.ok(directory, java.util.Map.of(), java.util.List.of("keytool", "-genkeypair", "-alias", name,
                    "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name, "-ext", "san=ip:127.0.0.1",
                    "-validity", "2", "-keystore", store.toString(), "-storepass", "secret", "-storetype", "PKCS12"));
            Path certificate = directory.resolve(name + ".pem");
            io.airlock.testing.Tools.ok(directory, java.util.Map.of(), java.util.List.of("keytool", "-exportcert", "-rfc", "-alias",
                    name, "-keystore", store.toString(), "-storepass", "secret", "-file", certificate.toString()));
            Path key = directory.resolve(name + ".key");
            io.airlock.testing.Tools.ok(directory, java.util.Map.of(), java.util.List.of("openssl", "pkcs12", "-in", store.toString(),
                    "-nocerts", "-nodes", "-passin", "pass:secret", "-out", key.toString()));
            return new Identity(store, certificate, key);
        }
    }

    /** The server's TLS context: its own key, trusting {@code client}'s certificate. */
    private static javax.net.ssl.SSLContext serverContext(Identity server, Identity client) throws Exception {
        java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(server.keyStore())) {
            keys.load(in, "secret".toCharArray());
        }
        javax.net.ssl.KeyManagerFactory keyManagers = javax.net.ssl.KeyManagerFactory.getInstance("PKIX");
        keyManagers.init(keys, "secret".toCharArray());
        java.security.KeyStore trusted = java.security.KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("client", ClientFiles.certificates(client.certificatePem()).get(0));
        javax.net.ssl.TrustManagerFactory trustManagers = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        trustManagers.init(trusted);
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }

    @Test
    void tlsWithTheGivenAuthorityAndAClientCertificate() throws Exception {
        try (Site site = Site.create()) {
            Identity server = Identity.create(site.root(), "server");
            Identity client = Identity.create(site.root(), "client");
            try (TestHttpServer https = TestHttpServer.serveTls(site.served(), serverContext(server, client), true);
                    Downloader downloader = Downloader.open(FAST.caCertificates(server.certificatePem())
                            .clientCertificate(client.certificatePem(), client.keyPem()), ProgressListener.NONE)) {

                Downloader.Downloaded got = downloader.fetch(https.url("Packages/a.rpm"), expected(), site.downloads().resolve("a"));

                assertThat(Files.readAllBytes(got.file())).isEqualTo(BODY);
            }
        }
    }

    @Test
    void anUntrustedServerCertificateFailsAtOnceNamingTheUrl() throws Exception {
        try (Site site = Site.create()) {
            Identity server = Identity.create(site.root(), "server");
            Identity client = Identity.create(site.root(), "client");
            try (TestHttpServer https = TestHttpServer.serveTls(site.served(), serverContext(server, client), false);
                    Downloader downloader = Downloader.open(FAST, ProgressListener.NONE)) {
                Path target = site.downloads().resolve("a");

                assertThatThrownBy(() -> downloader.fetch(https.url("Packages/a.rpm"), expected(), target))
                        .isInstanceOfSatisfying(AirlockException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_FAILURE))
                        .hasMessageStartingWith(https.url("Packages/a.rpm") + ": TLS handshake failed: ");
                assertThat(https.requests()).isZero();
                assertThat(target).doesNotExist();
            }
        }
    }
}
