package io.airlock.core.trust;

import static java.util.Objects.requireNonNull;

import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Ed25519 public keys whose signatures an installation accepts. When there is at least one,
 * an export is accepted only through its signed table of contents: {@link #verifiedToc} reads the
 * signature and the TOC, checks one against the other, and hands out the exact bytes it checked,
 * which the caller parses instead of reading the TOC again. Empty ({@link #none()}): signatures
 * are not required and not checked.
 */
public final class TrustedKeys {

    /** The largest TOC read (as {@code Toc.read} allows). */
    static final int MAX_TOC_BYTES = 64 << 20;

    private static final TrustedKeys NONE = new TrustedKeys(Map.of());

    private final Map<String, PublicKey> byFingerprint;

    private TrustedKeys(Map<String, PublicKey> byFingerprint) {
        this.byFingerprint = Collections.unmodifiableMap(new TreeMap<>(byFingerprint));
    }

    /** No keys: signatures are not required. */
    public static TrustedKeys none() {
        return NONE;
    }

    /** These Ed25519 public keys. */
    public static TrustedKeys of(Collection<PublicKey> keys) {
        Map<String, PublicKey> map = new TreeMap<>();
        for (PublicKey key : keys) {
            // The JDK names both Ed25519 and Ed448 keys "EdDSA": the curve is in the parameters.
            if (!(key instanceof EdECPublicKey edKey) || !SigningKey.ALGORITHM.equalsIgnoreCase(edKey.getParams().getName())) {
                throw new AirlockException(ErrorCode.INVALID_INPUT, "a trusted key must be " + SigningKey.ALGORITHM
                        + ", not " + (key instanceof EdECPublicKey edKey ? edKey.getParams().getName() : key.getAlgorithm()));
            }
            map.put(KeyFiles.fingerprint(key), key);
        }
        return new TrustedKeys(map);
    }

    /**
     * A public key PEM file ({@code -----BEGIN PUBLIC KEY-----}), or a directory: every
     * {@code *.pub} and {@code *.pem} file in it (not in subdirectories), of which there must be at
     * least one. A file holding a private key is refused: trust needs only the public half.
     */
    public static TrustedKeys load(Path fileOrDirectory) {
        requireNonNull(fileOrDirectory, "fileOrDirectory");
        if (!Files.isDirectory(fileOrDirectory)) {
            return of(List.of(readPublicKey(fileOrDirectory)));
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(fileOrDirectory, "*.{pub,pem}")) {
            entries.forEach(files::add);
        } catch (NoSuchFileException e) {
            throw new AirlockException(ErrorCode.NOT_FOUND, "trusted key directory " + fileOrDirectory + " not found");
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot list " + fileOrDirectory + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, "trusted key directory " + fileOrDirectory
                    + " holds no public key (*.pub or *.pem)");
        }
        files.sort(null);
        List<PublicKey> keys = new ArrayList<>();
        for (Path file : files) {
            keys.add(readPublicKey(file));
        }
        return of(keys);
    }

    private static PublicKey readPublicKey(Path file) {
        String what = "public key";
        String text = new String(KeyFiles.readRegular(file, KeyFiles.MAX_KEY_FILE, true, what, ErrorCode.INVALID_INPUT),
                StandardCharsets.US_ASCII);
        if (text.contains("PRIVATE KEY-----")) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, what + " " + file
                    + " holds a private key; trust needs only the public key (the .pub file)");
        }
        byte[] der = KeyFiles.decodePem(text, "PUBLIC KEY", file, what);
        try {
            return KeyFactory.getInstance(SigningKey.ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, what + " " + file + " is not an " + SigningKey.ALGORITHM + " public key");
        }
    }

    /** These keys and those of {@code other}. */
    public TrustedKeys and(TrustedKeys other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        Map<String, PublicKey> both = new TreeMap<>(byFingerprint);
        both.putAll(other.byFingerprint);
        return new TrustedKeys(both);
    }

    /** True when no key is trusted, so signatures are not required. */
    public boolean isEmpty() {
        return byFingerprint.isEmpty();
    }

    /** The trusted keys' fingerprints, sorted. */
    public Set<String> fingerprints() {
        return byFingerprint.keySet();
    }

    /** A TOC's exact bytes, checked against its signature, and the fingerprint of the key that signed them. */
    public record SignedToc(byte[] bytes, String signedBy) {
    }

    /**
     * Checks an export's signature before anything else of it is read: {@code NAME-toc.json.sig}
     * (a regular file, not a link) must be a well-formed signature by a trusted key of the exact
     * bytes of {@code NAME-toc.json}. Returns those bytes; the caller must use them, not the file,
     * which may change after this check. A {@code .tar} has no TOC to sign and is refused.
     *
     * @throws AirlockException {@link ErrorCode#UNTRUSTED} for an unsigned export, a malformed
     *     signature file, a key that is not trusted or a signature that does not match
     */
    public SignedToc verifiedToc(Path toc) {
        requireNonNull(toc, "toc");
        if (isEmpty()) {
            throw new IllegalStateException("no trusted keys: nothing to verify against");
        }
        String name = toc.getFileName() == null ? "" : toc.getFileName().toString();
        if (name.endsWith(".tar")) {
            throw new AirlockException(ErrorCode.UNTRUSTED, "export " + toc + " is a bare .tar, which cannot be signed, and "
                    + "signatures are required: import its -toc.json with the -toc.json" + SignatureFile.SUFFIX + " next to it");
        }
        if (!name.endsWith("-toc.json")) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, toc + " is neither a -toc.json nor a .tar file");
        }
        Path signatureFile = SignatureFile.of(toc);
        byte[] signatureBytes;
        try {
            signatureBytes = KeyFiles.readRegular(signatureFile, SignatureFile.MAX_BYTES, false, "signature file", ErrorCode.UNTRUSTED);
        } catch (AirlockException e) {
            if (e.code() != ErrorCode.NOT_FOUND) {
                throw e;
            }
            if (!Files.exists(toc)) {
                throw new AirlockException(ErrorCode.NOT_FOUND, "table of contents " + toc + " not found");
            }
            throw new AirlockException(ErrorCode.UNTRUSTED, "export " + toc + " is not signed (no " + signatureFile.getFileName()
                    + ") and signatures are required");
        }
        SignatureFile.Parsed signature = SignatureFile.parse(signatureBytes, signatureFile);
        PublicKey key = byFingerprint.get(signature.fingerprint());
        if (key == null) {
            throw new AirlockException(ErrorCode.UNTRUSTED, "export " + toc + " is signed by key " + signature.fingerprint()
                    + ", which is not trusted");
        }
        byte[] tocBytes = KeyFiles.readRegular(toc, MAX_TOC_BYTES, true, "table of contents", ErrorCode.ARCHIVE_INVALID);
        boolean valid;
        try {
            valid = SigningKey.verifies(key, tocBytes, signature.signature());
        } catch (java.security.SignatureException malformed) {
            valid = false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot verify " + SigningKey.ALGORITHM + " signatures", e);
        }
        if (!valid) {
            throw new AirlockException(ErrorCode.UNTRUSTED, "export " + toc + ": the signature by key " + signature.fingerprint()
                    + " does not match the table of contents (changed after signing, or the signature of another export)");
        }
        return new SignedToc(tocBytes, signature.fingerprint());
    }

    @Override
    public String toString() {
        return "TrustedKeys" + fingerprints();
    }
}
