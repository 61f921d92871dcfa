package io.airlock.core.archive;

import io.airlock.core.store.RelativePaths;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.Messages;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads an export in one streaming pass: from a TOC (its chunks read in place, in the TOC's order,
 * each verified) or from a single {@code .tar}. Every entry is checked before its bytes are
 * handed out: a regular file with a safe relative name; links, devices, directories and sparse
 * entries are refused, naming the entry.
 */
public final class ArchiveReader implements AutoCloseable {

    private final Path source;
    private final Toc toc;
    private final ChunkedInput chunks;
    private final RawInput raw;
    private final TarArchiveInputStream tar;
    private TarArchiveEntry current;

    private ArchiveReader(Path source, Toc toc, ChunkedInput chunks, InputStream raw) {
        this.source = source;
        this.toc = toc;
        this.chunks = chunks;
        this.raw = new RawInput(raw);
        // No compressor auto-detection: an export is a plain tar.
        this.tar = new TarArchiveInputStream(new BufferedInputStream(this.raw, 1 << 16));
    }

    /** The bytes under the tar reader; remembers a read failure, to tell a failing disk from a damaged tar. */
    private static final class RawInput extends FilterInputStream {
        private IOException failure;

        RawInput(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                return super.read(buffer, offset, length);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return super.skip(n);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }
    }

    /**
     * An entry's bytes. The tar reader fails when the stream ends inside an entry or is otherwise
     * damaged; unless the file itself could not be read, that is a bad archive, named by its entry.
     */
    private final class EntryInput extends FilterInputStream {
        private final String where;

        EntryInput(String where) {
            super(tar);
            this.where = where;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                return super.read(buffer, offset, length);
            } catch (IOException e) {
                throw damaged(e);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return super.skip(n);
            } catch (IOException e) {
                throw damaged(e);
            }
        }

        /** Throws a bad-archive error for a damaged tar; returns {@code e} to rethrow when the file could not be read. */
        private IOException damaged(IOException e) {
            if (raw.failure == null) {
                throw invalid(where + " cannot be read whole: " + e.getMessage());
            }
            return e;
        }

        @Override
        public void close() {
            // the tar stream stays open for the next entry
        }
    }

    /** Opens {@code NAME-toc.json} or {@code NAME.tar}. */
    public static ArchiveReader open(Path path) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString();
        try {
            if (name.endsWith("-toc.json")) {
                Toc toc = Toc.read(path);
                Path directory = path.toAbsolutePath().getParent();
                ChunkedInput chunks = new ChunkedInput(directory, toc.files());
                return new ArchiveReader(path, toc, chunks, chunks);
            }
            if (name.endsWith(".tar")) {
                if (!Files.exists(path)) {
                    throw new AirlockException(ErrorCode.NOT_FOUND, "export file " + path + " not found");
                }
                if (!Files.isRegularFile(path)) {
                    // A FIFO would block the read forever, a device (or a link to /dev/zero) never end.
                    throw new AirlockException(ErrorCode.ARCHIVE_INVALID, "export file " + path + " is not a regular file");
                }
                String exportName = ArchiveNames.checkExportName(name.substring(0, name.length() - 4));
                Toc toc = new Toc(exportName, Instant.EPOCH, OptionalLong.empty(), List.of(), Map.of());
                return new ArchiveReader(path, toc, null, Files.newInputStream(path));
            }
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot read " + path + ": " + e.getMessage(), e);
        }
        throw new AirlockException(ErrorCode.INVALID_INPUT, path + " is neither a -toc.json nor a .tar file");
    }

    /**
     * Opens {@code NAME-toc.json} from bytes already read from it (for a signed export: the bytes
     * whose signature was checked). The TOC file is not read again; its chunks are, each checked
     * against these bytes.
     */
    public static ArchiveReader open(Path toc, byte[] tocBytes) {
        Toc parsed = Toc.parse(toc, tocBytes);
        ChunkedInput chunks = new ChunkedInput(toc.toAbsolutePath().getParent(), parsed.files());
        return new ArchiveReader(toc, parsed, chunks, chunks);
    }

    public Toc toc() {
        return toc;
    }

    /** Where messages say the archive is. */
    public Path source() {
        return source;
    }

    /** An entry: its checked name and size, and a stream of exactly its bytes (do not close it). */
    public record Entry(String name, long size, InputStream content) {
    }

    /** The next entry, or null at the end of the stream. */
    public Entry next() {
        try {
            current = tar.getNextEntry();
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.ARCHIVE_INVALID, "export " + source + " is not a valid tar stream: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new AirlockException(ErrorCode.ARCHIVE_INVALID, "export " + source + " has a malformed tar header: " + e.getMessage(), e);
        }
        if (current == null) {
            return null;
        }
        String name = current.getName();
        String where = "export " + source + ", entry '" + RelativePaths.printable(name) + "'";
        if (current.isSymbolicLink() || current.isLink()) {
            throw invalid(where + " is a link (to '" + RelativePaths.printable(current.getLinkName()) + "'); exports hold only regular files");
        }
        if (current.isCharacterDevice() || current.isBlockDevice() || current.isFIFO()) {
            throw invalid(where + " is a device or FIFO; exports hold only regular files");
        }
        if (current.isDirectory()) {
            throw invalid(where + " is a directory; exports hold only regular files");
        }
        if (current.isSparse() || !current.isFile()) {
            throw invalid(where + " is not a regular file");
        }
        try {
            RelativePaths.check(name, where);
        } catch (AirlockException e) {
            throw invalid(e.getMessage());
        }
        return new Entry(name, current.getSize(), new EntryInput(where));
    }

    /**
     * Reads to the end of the stream, requiring that no entry is left, and (for a TOC) that every
     * chunk has been read whole and verified.
     */
    public void finish() {
        Entry extra = next();
        if (extra != null) {
            throw invalid("export " + source + " has an unexpected entry '" + RelativePaths.printable(extra.name()) + "' after its last entry");
        }
        if (chunks != null) {
            try {
                chunks.drainAndVerify();
            } catch (IOException e) {
                throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot read " + source + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * After {@code failure} in what was read from a TOC's files: reads the rest of the current file
     * and checks it, because a damaged, truncated or misplaced file makes the entries read from it
     * fail in arbitrary ways, and it is the file that must be named. Returns the file's own error
     * (with {@code failure} suppressed) when it is damaged, else {@code failure}.
     */
    public AirlockException explain(AirlockException failure) {
        if (chunks == null) {
            return failure;
        }
        try {
            chunks.verifyCurrent();
        } catch (AirlockException damaged) {
            damaged.addSuppressed(failure);
            return damaged;
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
        return failure;
    }

    private static AirlockException invalid(String message) {
        return new AirlockException(ErrorCode.ARCHIVE_INVALID, message);
    }

    @Override
    public void close() {
        try {
            tar.close();
        } catch (IOException ignored) {
            // read-only; nothing to lose
        }
    }
}
