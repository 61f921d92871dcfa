package io.airlock.core.archive;

import io.airlock.core.store.Sha256;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Reads an export's files in the TOC's order as one stream, in place (no concatenation, no
 * extraction). Each file is hashed as it is read; at its end its size and sha256 are checked, and
 * a mismatch fails the read naming the file.
 *
 * <p>A thread of its own reads and hashes ahead of the caller, at most a few blocks (4 MiB), so
 * that the caller's thread parses entries and writes and hashes artifacts meanwhile: an import of
 * large files keeps two cores busy instead of one. What the thread finds (a file missing, of the
 * wrong size or checksum, a read failure) reaches the caller exactly where the sequential read
 * would have met it: the caller never gets bytes beyond the end of a file before that file's check.
 */
final class ChunkedInput extends InputStream {

    private static final int BLOCK_SIZE = 1 << 20;
    private static final int BLOCKS = 4;

    /** What the reading thread passes on, in stream order. */
    private sealed interface Item permits Data, FileEnd, Failure, StreamEnd {
    }

    /** Bytes of the current file; the block goes back to the free queue once consumed. */
    private record Data(ByteBuffer block) implements Item {
    }

    /** The current file ended and was checked (size and sha256). */
    private record FileEnd() implements Item {
    }

    /** The read failed here; nothing follows. */
    private record Failure(Exception exception) implements Item {
    }

    /** Every file was read and checked. */
    private record StreamEnd() implements Item {
    }

    private static final FileEnd FILE_END = new FileEnd();
    private static final StreamEnd STREAM_END = new StreamEnd();

    private final Path directory;
    private final List<Toc.TocFile> files;
    /** Items in flight: BLOCKS data items, and the file ends between them. */
    private final BlockingQueue<Item> items = new LinkedBlockingQueue<>();
    private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(BLOCKS);
    private Thread reading;
    // The caller's side.
    private ByteBuffer current;
    private boolean inFile;
    private Item last;
    private long totalRead;

    ChunkedInput(Path directory, List<Toc.TocFile> files) {
        this.directory = directory;
        this.files = files;
        for (int i = 0; i < BLOCKS; i++) {
            free.add(ByteBuffer.allocate(BLOCK_SIZE));
        }
    }

    /** Bytes delivered so far, over all files. */
    long position() {
        return totalRead;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (true) {
            if (current != null && current.hasRemaining()) {
                int n = Math.min(length, current.remaining());
                current.get(buffer, offset, n);
                totalRead += n;
                return n;
            }
            if (!advance()) {
                return -1;
            }
        }
    }

    /** Moves to the next item; false at the end of the stream. Throws what the reading thread met. */
    private boolean advance() throws IOException {
        if (current != null) {
            current.clear();
            free.add(current);
            current = null;
        }
        Item item = nextItem();
        if (item instanceof Data data) {
            inFile = true;
            current = data.block();
            return true;
        }
        if (item instanceof FileEnd) {
            inFile = false;
            return true;
        }
        if (item instanceof Failure failure) {
            last = item; // every later read fails the same way
            inFile = false;
            throw rethrow(failure);
        }
        last = item;
        return false;
    }

    private Item nextItem() throws IOException {
        if (last != null) {
            if (last instanceof Failure failure) {
                throw rethrow(failure);
            }
            return last;
        }
        if (reading == null) {
            reading = new Thread(this::readAhead, "airlock-import-reader");
            reading.setDaemon(true);
            reading.start();
        }
        try {
            return items.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("import interrupted");
        }
    }

    /** What the reading thread met, thrown as it was (an IOException, or an AirlockException naming the file). */
    private static IOException rethrow(Failure failure) {
        if (failure.exception() instanceof RuntimeException e) {
            throw e;
        }
        return (IOException) failure.exception();
    }

    /** The reading thread: every file in order, each opened, read, hashed and checked. */
    private void readAhead() {
        try {
            for (Toc.TocFile file : files) {
                readFile(file);
                items.add(FILE_END);
            }
            items.add(STREAM_END);
        } catch (InterruptedException | java.nio.channels.ClosedByInterruptException e) {
            items.add(new Failure(new InterruptedIOException("import interrupted")));
        } catch (IOException | RuntimeException e) {
            items.add(new Failure(e));
        }
    }

    private void readFile(Toc.TocFile file) throws IOException, InterruptedException {
        Path path = checkRegularFile(directory, file.name(), "export file " + file.name());
        long size = Files.size(path);
        if (size != file.size()) {
            // Before reading: a file of another size fails anyway, and reading it first could take
            // as long as its author likes.
            throw invalid(file, "has " + size + " bytes but the table of contents gives " + file.size());
        }
        MessageDigest digest = Sha256.newDigest();
        long read = 0;
        try (InputStream in = Files.newInputStream(path)) {
            while (true) {
                ByteBuffer block = free.take();
                long left = file.size() - read;
                // One byte more than the TOC gives at the end, to see whether the file goes on.
                int n = in.readNBytes(block.array(), 0, (int) Math.min(block.capacity(), Math.max(left, 1)));
                if (left == 0 && n > 0) {
                    throw invalid(file, "is longer than the " + file.size() + " bytes the table of contents gives");
                }
                if (n <= 0) {
                    free.add(block);
                    break;
                }
                digest.update(block.array(), 0, n);
                read += n;
                block.limit(n);
                items.add(new Data(block));
            }
        }
        if (read != file.size()) {
            throw invalid(file, "has " + read + " bytes but the table of contents gives " + file.size());
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(file.sha256())) {
            throw invalid(file, "has sha256 " + actual + " but the table of contents gives " + file.sha256());
        }
    }

    /**
     * Reads the rest of the file being read, if any, and checks it (size and sha256), without
     * going on into the next one.
     */
    void verifyCurrent() throws IOException {
        while (inFile) {
            advance();
        }
    }

    /** Reads and checks whatever is left, for callers that stop before the end of the stream. */
    void drainAndVerify() throws IOException {
        while (advance()) {
            // reading verifies
        }
    }

    /**
     * Returns {@code directory/name} when it is a regular file, or a symbolic link to one inside
     * {@code directory}: never a FIFO or device (reading one may block forever or never end), nor a
     * link leaving the directory. {@code what} names the file in messages.
     */
    static Path checkRegularFile(Path directory, String name, String what) throws IOException {
        Path path = directory.resolve(name);
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new AirlockException(ErrorCode.ARCHIVE_INVALID, what + " is missing from " + directory);
        }
        if (attributes.isSymbolicLink()) {
            Path target;
            try {
                target = path.toRealPath();
            } catch (NoSuchFileException e) {
                throw new AirlockException(ErrorCode.ARCHIVE_INVALID, what + " is a symbolic link to a missing file");
            }
            if (!target.startsWith(directory.toRealPath())) {
                throw new AirlockException(ErrorCode.ARCHIVE_INVALID, what + " is a symbolic link to " + target
                        + ", outside " + directory + "; an export's files are read only from its own directory");
            }
            attributes = Files.readAttributes(target, BasicFileAttributes.class);
        }
        if (!attributes.isRegularFile()) {
            throw new AirlockException(ErrorCode.ARCHIVE_INVALID, what + " in " + directory + " is not a regular file"
                    + (attributes.isDirectory() ? " but a directory" : attributes.isOther() ? " (a FIFO, socket or device)" : ""));
        }
        return path;
    }

    private static AirlockException invalid(Toc.TocFile file, String problem) {
        return new AirlockException(ErrorCode.ARCHIVE_INVALID, "export file " + file.name() + " " + problem);
    }

    /** Stops the reading thread, if it still runs. */
    @Override
    public void close() {
        current = null;
        inFile = false;
        last = new Failure(new IOException("the export's files are closed"));
        Thread thread = reading;
        if (thread == null) {
            return;
        }
        StreamThreads.stop(thread);
    }
}
