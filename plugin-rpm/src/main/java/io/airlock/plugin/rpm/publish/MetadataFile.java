package io.airlock.plugin.rpm.publish;

import io.airlock.plugin.rpm.publish.PublishOptions.Checksum;
import io.airlock.plugin.rpm.publish.PublishOptions.Compression;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

/**
 * One file of {@code repodata/} being written: compressed as asked, its checksum and size taken on
 * the way both before and after compression, and named {@code <checksum>-<name><suffix>} as
 * createrepo_c names them once it is complete. Gzip headers carry no time, so the same text gives
 * the same bytes.
 */
final class MetadataFile implements AutoCloseable {

    private static final int BUFFER = 1 << 16;

    private final Path repodata;
    private final String type;
    private final String name;
    private final Checksum checksum;
    private final Compression compression;
    private final Path temporary;
    private final HashingOutputStream compressed;
    private final HashingOutputStream open;
    private final OutputStream stack;
    private Writer writer;
    private boolean finished;

    /**
     * Starts {@code repodata/<name><suffix>} for repomd type {@code type} ({@code name} such as
     * {@code primary.xml}).
     */
    MetadataFile(Path repodata, String type, String name, Checksum checksum, Compression compression) throws IOException {
        this.repodata = repodata;
        this.type = type;
        this.name = name;
        this.checksum = checksum;
        this.compression = compression;
        this.temporary = repodata.resolve("." + type + ".part");
        OutputStream file = new BufferedOutputStream(Files.newOutputStream(temporary), BUFFER);
        compressed = new HashingOutputStream(file, digest(checksum));
        OutputStream compressor = switch (compression) {
            case GZ -> new GZIPOutputStream(compressed, BUFFER);
            case ZSTD -> new io.airlift.compress.zstd.ZstdOutputStream(compressed);
            case NONE -> compressed;
        };
        open = compression == Compression.NONE ? compressed : new HashingOutputStream(compressor, digest(checksum));
        stack = open;
    }

    static MessageDigest digest(Checksum checksum) {
        try {
            return MessageDigest.getInstance(checksum.algorithm());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + checksum.algorithm(), e);
        }
    }

    /** The uncompressed bytes go here. */
    OutputStream stream() {
        return stack;
    }

    /** A UTF-8 writer over {@link #stream()}, buffered; one per file. */
    Writer writer() {
        if (writer == null) {
            writer = new Utf8Writer(stack, BUFFER);
        }
        return writer;
    }

    /** Writes the whole of {@code in} as the file's content. */
    void copy(InputStream in) throws IOException {
        in.transferTo(stack);
    }

    /** Completes the file, names it by its checksum and returns its repomd entry. */
    RepodataFile finish(long timestamp) throws IOException {
        if (writer != null) {
            writer.flush();
        }
        stack.close();
        finished = true;
        String hex = HexFormat.of().formatHex(compressed.digest().digest());
        String fileName = hex + "-" + name + compression.suffix();
        Files.move(temporary, repodata.resolve(fileName));
        boolean plain = compression == Compression.NONE;
        return new RepodataFile(type, "repodata/" + fileName, checksum.id(), hex, compressed.count(),
                plain ? Optional.empty() : Optional.of(HexFormat.of().formatHex(open.digest().digest())),
                plain ? Optional.empty() : Optional.of(open.count()), timestamp);
    }

    /** Closes a file that was not finished (a failure half-way); the staging folder goes anyway. */
    @Override
    public void close() throws IOException {
        if (!finished) {
            finished = true;
            try {
                stack.close();
            } finally {
                Files.deleteIfExists(temporary);
            }
        }
    }
}
