package io.airlock.plugin.rpm.repodata;

import io.airlock.core.store.LocalDirectory;
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
     * Only a regular file is read, and a symbolic link only as {@code directory} allows.
     */
    static Optional<Path> verified(LocalDirectory directory, Repomd.Entry entry) {
        Optional<Path> found = directory.file(entry.location(), Repomd.PATH + " <data type=\"" + entry.type() + "\">");
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Path file = found.get();
        MessageDigest digest = Checksums.digest(entry.checksumType()).orElseThrow(() -> new AirlockException(ErrorCode.INVALID_INPUT,
                Repomd.PATH + ": <data type=\"" + entry.type() + "\"> has an unknown checksum type '" + entry.checksumType() + "'"));
        try (InputStream in = directory.open(file)) {
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

    /**
     * Opens a metadata file found in {@code directory}, decompressing it by its name's suffix (gz, xz,
     * zst, bz2, or none). A compressed file may decompress to at most {@link Limits#DECOMPRESSION_RATIO}
     * times its size or {@link Limits#DECOMPRESSED_FLOOR_BYTES}, whichever is larger.
     */
    static InputStream open(LocalDirectory directory, Path file, String name) throws IOException {
        return decompressed(new BufferedInputStream(directory.open(file), BUFFER), Files.size(file), file.getFileName().toString(), name);
    }

    /** Whether a metadata file of this name is compressed (gz, xz, zst, bz2). */
    static boolean compressed(String fileName) {
        return fileName.endsWith(".gz") || fileName.endsWith(".xz") || fileName.endsWith(".zst") || fileName.endsWith(".zstd")
                || fileName.endsWith(".bz2");
    }

    /**
     * {@code raw} (the bytes of a file named {@code fileName}, {@code size} bytes long) decompressed by
     * the name's suffix, within the limits of {@link #open}; closes {@code raw} when it fails.
     */
    static InputStream decompressed(InputStream raw, long size, String fileName, String name) throws IOException {
        String suffix = fileName;
        InputStream decompressed;
        try {
            if (suffix.endsWith(".gz")) {
                decompressed = new GZIPInputStream(raw, BUFFER);
            } else if (suffix.endsWith(".xz")) {
                decompressed = new XZInputStream(raw);
            } else if (suffix.endsWith(".zst") || suffix.endsWith(".zstd")) {
                decompressed = new io.airlift.compress.zstd.ZstdInputStream(raw);
            } else if (suffix.endsWith(".bz2")) {
                decompressed = new BZip2CompressorInputStream(raw);
            } else {
                return raw;
            }
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw new AirlockException(ErrorCode.INVALID_INPUT, name + ": not a valid compressed file: " + e.getMessage(), e);
        }
        long max = Math.max(Limits.DECOMPRESSED_FLOOR_BYTES, Limits.DECOMPRESSION_RATIO * size);
        return new BufferedInputStream(Limits.bounded(decompressed, max, name + ": decompresses to more than "
                + Limits.show(max, "bytes") + ", the limit (" + Limits.DECOMPRESSION_RATIO + " times its size of " + size
                + " bytes, at least " + Limits.show(Limits.DECOMPRESSED_FLOOR_BYTES, "bytes") + ")"), BUFFER);
    }
}
