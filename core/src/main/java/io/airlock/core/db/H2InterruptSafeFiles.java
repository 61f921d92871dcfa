package io.airlock.core.db;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * An H2 file system ({@code jdbc:h2:airlock-retry:…}) whose files survive an interrupted thread.
 * H2 reads and writes its database file through a {@link FileChannel}, which the JDK closes when a
 * thread is interrupted during (or before) an operation on it: the whole database then fails for
 * every connection until it is reopened. Cancelling an Airlock operation interrupts its thread, so
 * here a channel closed that way is reopened (its lock taken again) and the operation retried with
 * the interrupt status cleared; the status is set again when the operation returns, so the
 * cancellation is not lost. This is H2's own {@code retry:} file system, except that H2's leaves
 * the interrupt status cleared.
 */
public final class H2InterruptSafeFiles extends FilePathWrapper {

    /** The scheme to put before an H2 database path. */
    public static final String SCHEME = "airlock-retry";

    private static volatile boolean registered;

    /** Makes the scheme known to H2 (once per class loader). */
    public static void register() {
        if (!registered) {
            synchronized (H2InterruptSafeFiles.class) {
                if (!registered) {
                    FilePath.register(new H2InterruptSafeFiles());
                    registered = true;
                }
            }
        }
    }

    /**
     * An H2 URL with its database path on this file system: {@code jdbc:h2:file:/x} and
     * {@code jdbc:h2:/x} become {@code jdbc:h2:airlock-retry:/x}; in-memory, server and other
     * URLs, and those naming a file system already, are returned as they are.
     */
    public static String wrap(String url) {
        String prefix = "jdbc:h2:";
        if (!url.startsWith(prefix)) {
            return url;
        }
        String rest = url.substring(prefix.length());
        if (rest.startsWith(SCHEME + ":")) {
            register(); // already on this file system, which this JVM may not know yet
            return url;
        }
        if (rest.startsWith("file:")) {
            rest = rest.substring("file:".length());
        } else if (rest.startsWith("mem:") || rest.startsWith("tcp:") || rest.startsWith("ssl:")
                || rest.matches("^[A-Za-z][A-Za-z0-9+-]+:.*") && !rest.matches("^[A-Za-z]:[\\\\/].*")) {
            return url; // not a file, or a file system named (a Windows drive letter is not one)
        }
        register();
        return prefix + SCHEME + ":" + rest;
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        return new RetryingFile(getBase(), mode);
    }

    /** A file that reopens its channel when an interrupt closed it, and retries the operation. */
    private static final class RetryingFile extends FileBase {
        private static final int ATTEMPTS = 20;

        private final FilePath path;
        private final String mode;
        private volatile FileChannel channel;
        private RetriedLock lock; // guarded by this

        RetryingFile(FilePath path, String mode) throws IOException {
            this.path = path;
            this.mode = mode;
            this.channel = path.open(mode);
        }

        @FunctionalInterface
        private interface Operation<T> {
            T run(FileChannel channel) throws IOException;
        }

        /** Runs an operation; {@code position} restores the channel's position before a retry (-1: positional operation). */
        private <T> T retrying(boolean restorePosition, Operation<T> operation) throws IOException {
            boolean interrupted = false;
            long position = restorePosition ? channel.position() : -1;
            try {
                for (int attempt = 1; ; attempt++) {
                    FileChannel current = channel;
                    try {
                        return operation.run(current);
                    } catch (ClosedChannelException e) {
                        if (attempt == ATTEMPTS || !isOpen()) {
                            throw e;
                        }
                        interrupted |= Thread.interrupted();
                        reopen(current);
                        if (position >= 0) {
                            channel.position(position);
                        }
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private synchronized void reopen(FileChannel closed) throws IOException {
            if (channel != closed) {
                return; // another thread reopened it already
            }
            FileChannel reopened = path.open(mode);
            if (lock != null) {
                FileLock again = reopened.tryLock(lock.position(), lock.size(), lock.isShared());
                if (again == null) {
                    reopened.close();
                    throw new IOException("cannot lock " + path + " again after an interrupt closed it");
                }
                lock.base = again;
            }
            channel = reopened;
        }

        @Override
        protected void implCloseChannel() throws IOException {
            channel.close();
        }

        @Override
        public long position() throws IOException {
            return retrying(false, FileChannel::position);
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            retrying(false, c -> c.position(newPosition));
            return this;
        }

        @Override
        public long size() throws IOException {
            return retrying(false, FileChannel::size);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return retrying(true, c -> c.read(dst));
        }

        @Override
        public synchronized int read(ByteBuffer dst, long position) throws IOException {
            return retrying(false, c -> c.read(dst, position));
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return retrying(true, c -> c.write(src));
        }

        @Override
        public synchronized int write(ByteBuffer src, long position) throws IOException {
            return retrying(false, c -> c.write(src, position));
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            retrying(false, c -> c.truncate(size));
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            retrying(false, c -> {
                c.force(metaData);
                return null;
            });
        }

        @Override
        public synchronized FileLock tryLock(long position, long size, boolean shared) throws IOException {
            FileLock taken = retrying(false, c -> c.tryLock(position, size, shared));
            if (taken == null) {
                return null;
            }
            lock = new RetriedLock(this, taken);
            return lock;
        }

        @Override
        public MappedByteBuffer map(MapMode mapMode, long position, long size) throws IOException {
            return retrying(false, c -> c.map(mapMode, position, size));
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String toString() {
            return SCHEME + ":" + path;
        }

        /** The lock H2 holds: taken again on the reopened channel, released wherever it is now. */
        private static final class RetriedLock extends FileLock {
            private volatile FileLock base;

            RetriedLock(RetryingFile file, FileLock base) {
                super((FileChannel) file, base.position(), base.size(), base.isShared());
                this.base = base;
            }

            @Override
            public boolean isValid() {
                return base.isValid();
            }

            @Override
            public void release() throws IOException {
                base.release();
            }
        }
    }
}
