package io.airlock.core.archive;

import io.airlock.core.store.Sha256;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The byte stream of an export written to one file or cut into chunks of a fixed size, each hashed
 * as it is written. Files go into a staging directory; the caller moves them into place once the
 * whole export has succeeded.
 *
 * <p>Writing and hashing run on a thread of their own, fed with blocks the caller's thread fills:
 * the caller reads and verifies artifacts meanwhile, so an export of large files keeps two cores
 * busy instead of one (each byte is hashed twice, once as the artifact it is, once as part of its
 * chunk). A failure of the writing thread is thrown by the caller's next write or by {@link #close()}.
 */
final class ChunkedOutput extends OutputStream {

    private static final int BLOCK_SIZE = 1 << 20;
    /** Blocks in flight: enough to ride out a slow write, few enough to stay small (4 MiB). */
    private static final int BLOCKS = 4;
    /** The end of the stream, after the last block. */
    private static final ByteBuffer END = ByteBuffer.allocate(0);

    private final Path directory;
    private final String exportName;
    private final OptionalLong chunkSize;
    private final List<Toc.TocFile> files = new ArrayList<>(); // written by the writing thread, read after it ended
    private final BlockingQueue<ByteBuffer> filled = new ArrayBlockingQueue<>(BLOCKS + 1);
    private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(BLOCKS);
    private final Thread writing;
    private volatile Throwable failure;
    private ByteBuffer block;
    private boolean closed;
    // Owned by the writing thread.
    private FileChannel channel;
    private MessageDigest digest;
    private long written;

    ChunkedOutput(Path directory, String exportName, OptionalLong chunkSize) {
        this.directory = directory;
        this.exportName = exportName;
        this.chunkSize = chunkSize;
        for (int i = 0; i < BLOCKS; i++) {
            free.add(ByteBuffer.allocate(BLOCK_SIZE));
        }
        this.writing = new Thread(this::writeBlocks, "airlock-export-writer");
        writing.setDaemon(true);
        writing.start();
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (closed) {
            throw new IOException("export stream is closed");
        }
        while (length > 0) {
            if (block == null) {
                block = take(free);
            }
            int n = Math.min(length, block.remaining());
            block.put(bytes, offset, n);
            offset += n;
            length -= n;
            if (!block.hasRemaining()) {
                hand(block);
                block = null;
            }
        }
    }

    /** Hands a filled block to the writing thread. */
    private void hand(ByteBuffer filledBlock) throws IOException {
        filledBlock.flip();
        try {
            filled.put(filledBlock); // never blocks long: at most BLOCKS blocks and END are ever in it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("export interrupted");
        }
    }

    /** Takes a block from {@code queue}, waking up to see whether the writing thread failed. */
    private ByteBuffer take(BlockingQueue<ByteBuffer> queue) throws IOException {
        try {
            while (true) {
                rethrowFailure();
                ByteBuffer taken = queue.poll(100, TimeUnit.MILLISECONDS);
                if (taken != null) {
                    return taken;
                }
                if (!writing.isAlive()) {
                    rethrowFailure();
                    throw new IOException("the export's writing thread ended");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("export interrupted");
        }
    }

    private void rethrowFailure() throws IOException {
        Throwable thrown = failure;
        if (thrown instanceof IOException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (thrown != null) {
            throw new IOException("writing the export failed: " + thrown, thrown);
        }
    }

    /** The writing thread: writes and hashes each block, cutting chunks, until {@link #END}. */
    private void writeBlocks() {
        try {
            while (true) {
                ByteBuffer next = filled.take();
                if (next == END) {
                    if (channel == null && files.isEmpty()) {
                        nextFile();
                    }
                    finishFile();
                    return;
                }
                writeToFiles(next.array(), next.position(), next.remaining());
                next.clear();
                free.add(next);
            }
        } catch (InterruptedException e) {
            failure = e; // aborted
        } catch (Throwable e) {
            failure = e;
        } finally {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // failing or aborted already
                }
            }
        }
    }

    private void writeToFiles(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            if (channel == null || (chunkSize.isPresent() && written == chunkSize.getAsLong())) {
                nextFile();
            }
            int n = chunkSize.isPresent() ? (int) Math.min(length, chunkSize.getAsLong() - written) : length;
            ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, n);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            digest.update(bytes, offset, n);
            written += n;
            offset += n;
            length -= n;
        }
    }

    private void nextFile() throws IOException {
        finishFile();
        String name = chunkSize.isPresent() ? ArchiveNames.chunkName(exportName, files.size()) : ArchiveNames.tarName(exportName);
        channel = FileChannel.open(directory.resolve(name), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        digest = Sha256.newDigest();
        written = 0;
    }

    private void finishFile() throws IOException {
        if (channel == null) {
            return;
        }
        channel.force(true);
        channel.close();
        String name = chunkSize.isPresent() ? ArchiveNames.chunkName(exportName, files.size()) : ArchiveNames.tarName(exportName);
        files.add(new Toc.TocFile(name, written, HexFormat.of().formatHex(digest.digest())));
        channel = null;
    }

    /** The files written, in order; after {@link #close()} or {@link #abort()}. */
    List<Toc.TocFile> files() {
        if (writing.isAlive()) {
            throw new IllegalStateException("the export stream is still being written");
        }
        return List.copyOf(files);
    }

    /** Writes what is left, forces the last file to disk and waits for the writing thread. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (block != null) {
            hand(block);
            block = null;
        }
        try {
            filled.put(END);
            writing.join();
        } catch (InterruptedException e) {
            abort();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("export interrupted");
        }
        rethrowFailure();
    }

    /** Stops the writing thread without finishing the files (the export is being thrown away). */
    void abort() {
        closed = true;
        StreamThreads.stop(writing);
    }
}
