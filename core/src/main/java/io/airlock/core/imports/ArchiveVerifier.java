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
 */
public final class ArchiveVerifier {

    private final PluginRegistry plugins;

    public ArchiveVerifier(PluginRegistry plugins) {
        this.plugins = requireNonNull(plugins, "plugins");
    }

    /** What a verified export holds. */
    public record Verified(Toc toc, Manifest manifest) {
    }

    /** Reads {@code bytes} to their end; {@code CHECKSUM_MISMATCH} at {@code where} unless their sha256 is {@code sha256}. */
    static void checkSha256(InputStream bytes, String sha256, String where) throws IOException {
        DigestInputStream digesting = new DigestInputStream(bytes, Sha256.newDigest());
        digesting.transferTo(OutputStream.nullOutputStream());
        String actual = HexFormat.of().formatHex(digesting.getMessageDigest().digest());
        if (!actual.equals(sha256)) {
            throw new AirlockException(ErrorCode.CHECKSUM_MISMATCH, where + ": artifact bytes have sha256 " + actual
                    + " but " + sha256 + " was expected");
        }
    }

    public Verified verify(Path path, ProgressListener progress) {
        Path scratch = null;
        try (ArchiveReader reader = ArchiveReader.open(path)) {
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
                    checkSha256(in, sha256, source + ", entry '" + io.airlock.core.archive.ArchiveNames.artifactEntry(sha256) + "'");
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
            return new Verified(reader.toc(), manifest);
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot read " + path + ": " + e.getMessage(), e);
        } finally {
            if (scratch != null) {
                FileTrees.deleteTree(scratch);
            }
        }
    }
}
