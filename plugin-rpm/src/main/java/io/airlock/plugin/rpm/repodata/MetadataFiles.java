package io.airlock.plugin.rpm.repodata;

import io.airlock.core.store.RelativePaths;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.tukaani.xz.XZInputStream;

/** Finds, verifies and decompresses the metadata files repomd.xml names. */
final class MetadataFiles {

    private static final int BUFFER = 1 << 16;

    private MetadataFiles() {
    }

    /**
     * The file of an entry, verified against repomd's checksum; empty when the file is absent.
     * A file whose bytes do not match is refused: metadata that is not what repomd says is corrupt.
     */
    static Optional<Path> verified(Repomd repomd, Repomd.Entry entry) {
        Path file = RelativePaths.resolve(repomd.root(), entry.location(), Repomd.PATH + " <data type=\"" + entry.type() + "\">");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        MessageDigest digest = Checksums.digest(entry.checksumType()).orElseThrow(() -> new AirlockException(ErrorCode.INVALID_INPUT,
                Repomd.PATH + ": <data type=\"" + entry.type() + "\"> has an unknown checksum type '" + entry.checksumType() + "'"));
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[BUFFER];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot read " + entry.location() + ": " + e.getMessage(), e);
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equalsIgnoreCase(entry.checksum())) {
            throw new AirlockException(ErrorCode.CHECKSUM_MISMATCH, entry.location() + ": " + entry.checksumType() + " is " + actual
                    + ", but " + Repomd.PATH + " says " + entry.checksum());
        }
        return Optional.of(file);
    }

    /** Opens a metadata file, decompressing it by its name's suffix (gz, xz, zst, bz2, or none). */
    static InputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER);
        String name = file.getFileName().toString();
        try {
            if (name.endsWith(".gz")) {
                return new BufferedInputStream(new GZIPInputStream(raw, BUFFER), BUFFER);
            } else if (name.endsWith(".xz")) {
                return new BufferedInputStream(new XZInputStream(raw), BUFFER);
            } else if (name.endsWith(".zst") || name.endsWith(".zstd")) {
                return new BufferedInputStream(new io.airlift.compress.zstd.ZstdInputStream(raw), BUFFER);
            } else if (name.endsWith(".bz2")) {
                return new BufferedInputStream(new BZip2CompressorInputStream(raw), BUFFER);
            }
            return raw;
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw new AirlockException(ErrorCode.INVALID_INPUT, name + ": not a valid compressed file: " + e.getMessage(), e);
        }
    }
}
