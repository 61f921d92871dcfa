package io.airlock.core.remote;

import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Reads the files {@link RemoteOptions} names: PEM certificates and keys, the credentials file. */
final class ClientFiles {

    /** Largest PEM or credentials file read. */
    private static final long MAX_BYTES = 1 << 20;
    private static final char[] NO_PASSWORD = new char[0];

    private ClientFiles() {
    }

    /** The TLS context: the given authorities (or the JDK's) and the client certificate, if any. */
    static SSLContext sslContext(RemoteOptions options) {
        try {
            TrustManagerFactory trust = null;
            if (options.caCertificates().isPresent()) {
                Path file = options.caCertificates().get();
                List<Certificate> certificates = certificates(file);
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                for (int i = 0; i < certificates.size(); i++) {
                    store.setCertificateEntry("ca-" + i, certificates.get(i));
                }
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(store);
            }
            KeyManagerFactory keys = null;
            if (options.clientCertificate().isPresent()) {
                List<Certificate> chain = certificates(options.clientCertificate().get());
                PrivateKey key = privateKey(options.clientKey().orElseThrow());
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("client", key, NO_PASSWORD, chain.toArray(Certificate[]::new));
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, NO_PASSWORD);
            }
            if (trust == null && keys == null) {
                return SSLContext.getDefault();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, "cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** Every certificate of a PEM file; refused when it holds none. */
    static List<Certificate> certificates(Path file) {
        byte[] bytes = read(file, "certificate file");
        try {
            List<Certificate> certificates = new ArrayList<>(CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(bytes)));
            if (certificates.isEmpty()) {
                throw new AirlockException(ErrorCode.INVALID_INPUT, file + ": no PEM certificate in it");
            }
            return certificates;
        } catch (GeneralSecurityException e) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, file + ": not PEM certificates: " + e.getMessage(), e);
        }
    }

    /** An unencrypted PKCS#8 private key (RSA, EC or Ed25519) from a PEM file. */
    static PrivateKey privateKey(Path file) {
        String text = new String(read(file, "key file"), StandardCharsets.US_ASCII);
        String begin = "-----BEGIN PRIVATE KEY-----";
        String end = "-----END PRIVATE KEY-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, file + ": not an unencrypted PKCS#8 PEM key (" + begin
                    + "); convert one with 'openssl pkcs8 -topk8 -nocrypt'");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, file + ": the key is not valid base64", e);
        }
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new AirlockException(ErrorCode.INVALID_INPUT, file + ": not an RSA, EC or Ed25519 PKCS#8 private key");
    }

    /** A user name and password for HTTP basic authentication. */
    record Credentials(String username, String password) {
        @Override
        public String toString() {
            return "Credentials[" + username + ", password hidden]";
        }

        String header() {
            return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Reads {@code username=} and {@code password=} lines (blank lines and {@code #} comments
     * allowed). A file other users may read is refused, where the file system has POSIX permissions.
     */
    static Credentials credentials(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            if (permissions.contains(PosixFilePermission.OTHERS_READ) || permissions.contains(PosixFilePermission.GROUP_READ)) {
                throw new AirlockException(ErrorCode.INVALID_INPUT, "credentials file " + file
                        + " is readable by other users: refused (chmod 600 " + file + ")");
            }
        } catch (UnsupportedOperationException e) {
            // no POSIX permissions here: nothing to check
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.NOT_FOUND, "cannot read credentials file " + file + ": " + e.getMessage(), e);
        }
        String username = null;
        String password = null;
        List<String> lines = new String(read(file, "credentials file"), StandardCharsets.UTF_8).lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int equals = line.indexOf('=');
            String name = equals < 0 ? line : line.substring(0, equals).strip();
            if (equals < 0 || !(name.equals("username") || name.equals("password"))) {
                throw new AirlockException(ErrorCode.INVALID_INPUT, file + " line " + (i + 1)
                        + ": expected 'username=…' or 'password=…'");
            }
            String value = lines.get(i).substring(lines.get(i).indexOf('=') + 1);
            if (name.equals("username")) {
                username = value.strip();
            } else {
                password = value;
            }
        }
        if (username == null || password == null || username.isEmpty() || username.contains(":")) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, file + ": needs a username= line (without ':') and a password= line");
        }
        return new Credentials(username, password);
    }

    /** {@code http://HOST:PORT} as a proxy address; anything else refused. */
    static java.net.InetSocketAddress proxy(URI url) {
        if (!"http".equals(url.getScheme()) || url.getHost() == null || url.getUserInfo() != null
                || !(url.getPath() == null || url.getPath().isEmpty() || url.getPath().equals("/"))) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, "proxy " + url + ": expected http://HOST:PORT");
        }
        return java.net.InetSocketAddress.createUnresolved(url.getHost(), url.getPort() < 0 ? 80 : url.getPort());
    }

    private static byte[] read(Path file, String what) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new AirlockException(ErrorCode.NOT_FOUND, what + " not found: " + file);
            }
            if (Files.size(file) > MAX_BYTES) {
                throw new AirlockException(ErrorCode.INVALID_INPUT, what + " " + file + " is larger than 1 MiB");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.NOT_FOUND, "cannot read " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    static Optional<Credentials> credentials(RemoteOptions options) {
        return options.credentials().map(ClientFiles::credentials);
    }
}
