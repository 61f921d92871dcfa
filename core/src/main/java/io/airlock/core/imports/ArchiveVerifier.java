package io.airlock.core.imports;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airlock.core.archive.ArchiveReader;
import io.airlock.core.archive.ArchiveScanner;
import io.airlock.core.archive.Manifest;
import io.airlock.core.archive.Toc;
import io.airlock.core.plugin.PluginRegistry;
import io.airlock.core.store.FileTrees;
import io.airlock.core.store.Sha256;
import io.airlock.core.trust.TrustedKeys;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ProgressListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Runs every check of an export that needs no database: the TOC and each chunk's size and
 * sha256, the tar entries, the manifest and its counts, every artifact's sha256, every JSON line,
 * the membership digests, and that the export's plugins are installed in a compatible version.
 * With trusted keys, first the signature of the TOC: an export not signed by one of them is
 * refused before anything else of it is read.
 */
public final class ArchiveVerifier {

    private final PluginRegistry plugins;
    private final TrustedKeys trustedKeys;

    /** A verifier that requires no signature. */
    public ArchiveVerifier(PluginRegistry plugins) {
        this(plugins, TrustedKeys.none());
    }

    /** A verifier that, with any trusted key, requires the export to be signed by one of them. */
    public ArchiveVerifier(PluginRegistry plugins, TrustedKeys trustedKeys) {
        this.plugins = requireNonNull(plugins, "plugins");
        this.trustedKeys = requireNonNull(trustedKeys, "trustedKeys");
    }

    /** What a verified export holds, and the fingerprint of the trusted key that signed it (when keys are trusted). */
    public record Verified(Toc toc, Manifest manifest, Optional<String> signedBy) {
    }

    public Verified verify(Path path, ProgressListener progress) {
        Optional<TrustedKeys.SignedToc> signed = checkSignature(trustedKeys, path);
        Path scratch = null;
        try (ArchiveReader reader = open(path, signed)) {
            scratch = Files.createTempDirectory("airlock-verify-");
            String source = "export " + reader.source();
            Manifest manifest = new ArchiveScanner(reader, scratch).scan(new ArchiveScanner.Sink() {
                private long bytes;
                private long total;

                @Override
                public void manifest(Manifest manifest) {
                    PluginCompatibility.check(manifest, plugins, source);
                    total = manifest.artifactBytes();
                }

                @Override
                public void artifact(String sha256, long size, InputStream in) throws IOException {
                    DigestInputStream digesting = new DigestInputStream(in, Sha256.newDigest());
                    digesting.transferTo(OutputStream.nullOutputStream());
                    String actual = HexFormat.of().formatHex(digesting.getMessageDigest().digest());
                    if (!actual.equals(sha256)) {
                        throw new AirlockException(ErrorCode.CHECKSUM_MISMATCH, source + ", entry 'artifacts/"
                                + sha256.substring(0, 2) + "/" + sha256 + "': bytes have sha256 " + actual);
                    }
                    bytes += size;
                    progress.progress("artifacts", bytes, total);
                }

                @Override
                public void row(String type, ObjectNode row, String where) {
                    // parsed as a JSON object by the scanner; its fields need the type's resource and database
                }

                @Override
                public void link(String unitDigest, String path, Optional<String> sha256, String where) {
                    // checked by the scanner
                }

                @Override
                public void members(int repository, List<String> keyDigests, String where) {
                    // order and digest checked by the scanner
                }

                @Override
                public void endOfMembership(int repository) {
                }
            });
            return new Verified(reader.toc(), manifest, signed.map(TrustedKeys.SignedToc::signedBy));
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot read " + path + ": " + e.getMessage(), e);
        } finally {
            if (scratch != null) {
                FileTrees.deleteTree(scratch);
            }
        }
    }

    /** With trusted keys: the export's TOC bytes, checked against its signature. Reads nothing else. */
    static Optional<TrustedKeys.SignedToc> checkSignature(TrustedKeys trustedKeys, Path path) {
        return trustedKeys.isEmpty() ? Optional.empty() : Optional.of(trustedKeys.verifiedToc(path));
    }

    /** Opens the export; a signed one from the TOC bytes whose signature was checked, not from its file again. */
    static ArchiveReader open(Path path, Optional<TrustedKeys.SignedToc> signed) {
        return signed.isPresent() ? ArchiveReader.open(path, signed.get().bytes()) : ArchiveReader.open(path);
    }
}
