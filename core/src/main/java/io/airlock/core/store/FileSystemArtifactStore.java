package io.airlock.core.store;

import io.airlock.spi.AirlockException;
import io.airlock.spi.Cancellation;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.Ids;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@link ArtifactStore} on a local filesystem: {@code ab/cdef…} by sha256 under the root. A write
 * goes to a temporary {@code .part} file in the process's run directory under {@code tmp/} (see
 * {@link WorkArea}), is hashed while written, verified, forced to disk and renamed atomically into
 * place (then the directory is forced too), so a crash never leaves a partial file under an
 * artifact's name. A batch records each file in its log before renaming it into place, so the files
 * of a killed batch that no row names can be found and removed.
 */
public final class FileSystemArtifactStore implements ArtifactStore {

    /** Name of the work area's directory under the root. */
    public static final String TMP = "tmp";

    private final Path root;
    private final WorkArea workArea;

    public FileSystemArtifactStore(Path root) {
        this(root, new WorkArea(root.resolve(TMP), Optional.empty()));
    }

    /** A store whose temporary files go to {@code workArea} (whose root must be on the same filesystem). */
    public FileSystemArtifactStore(Path root, WorkArea workArea) {
        this.root = root.toAbsolutePath().normalize();
        this.workArea = workArea;
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot create artifact store at " + this.root + ": " + e, e);
        }
    }

    public Path root() {
        return root;
    }

    /** Where this store's temporary files and the installation's staging records live. */
    public WorkArea workArea() {
        return workArea;
    }

    @Override
    public StoredArtifact put(InputStream in, Optional<String> expectedSha256) {
        return write(in, expectedSha256, true, sha256 -> { }).artifact();
    }

    /** The artifact written and whether this call created its file. */
    private record Written(StoredArtifact artifact, boolean created) {
    }

    /** {@code beforeRename} is told the verified sha256 before the file takes that name. */
    private Written write(InputStream in, Optional<String> expectedSha256, boolean force, Consumer<String> beforeRename) {
        expectedSha256.ifPresent(FileSystemArtifactStore::checkDigest);
        return viaTemporary(temporary -> {
            MessageDigest digest = Sha256.newDigest();
            long size;
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    OutputStream out = new DigestOutputStream(java.nio.channels.Channels.newOutputStream(channel), digest)) {
                size = copy(in, out);
                out.flush();
                if (force) {
                    channel.force(true);
                }
            }
            String sha256 = HexFormat.of().formatHex(digest.digest());
            if (expectedSha256.isPresent()) {
                checkExpected(sha256, expectedSha256.get());
            }
            beforeRename.accept(sha256);
            if (!force) {
                // After the batch logged it: see Batch.record.
                Files.setLastModifiedTime(temporary, java.nio.file.attribute.FileTime.from(Instant.now()));
            }
            // Unforced writes replace a file already there: without a row naming it, it may be an
            // unsynced leftover of an interrupted run, and the fresh bytes are verified.
            return new Written(new StoredArtifact(sha256, size), moveIntoPlace(temporary, sha256, force, !force));
        });
    }

    /**
     * Stores bytes already in memory whose sha256 the caller expects, for a batch: hashed first,
     * so the batch logs the name before the file exists, and the file's own write, after the log
     * line, gives it the modification time {@link #write} has to set with a second call.
     */
    private Written writeBytes(byte[] bytes, String expectedSha256, Consumer<String> log) {
        checkDigest(expectedSha256);
        String sha256 = HexFormat.of().formatHex(Sha256.newDigest().digest(bytes));
        checkExpected(sha256, expectedSha256);
        log.accept(sha256);
        return viaTemporary(temporary -> {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
            // Replaces a file already there, as an unforced put does.
            return new Written(new StoredArtifact(sha256, bytes.length), moveIntoPlace(temporary, sha256, false, true));
        });
    }

    private static void checkExpected(String sha256, String expectedSha256) {
        if (!expectedSha256.equals(sha256)) {
            throw new AirlockException(ErrorCode.CHECKSUM_MISMATCH,
                    "artifact bytes have sha256 " + sha256 + " but " + expectedSha256 + " was expected");
        }
    }

    /** Writes an artifact through a temporary file of its own. */
    @FunctionalInterface
    private interface TemporaryWrite {
        Written write(Path temporary) throws IOException;
    }

    /**
     * Runs {@code body} with a new temporary file name in the process's run directory, and removes
     * that file afterwards unless {@code body} renamed it into place (no lstat of a name that is gone).
     */
    private Written viaTemporary(TemporaryWrite body) {
        WorkArea.Run run = workArea.acquire();
        Path temporary = run.directory().resolve(Ids.next() + ".part");
        Written written = null;
        try {
            written = body.write(temporary);
            return written;
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot write artifact to " + root + ": " + e, e);
        } finally {
            if (written == null || !written.created()) {
                deleteQuietly(temporary);
            }
            workArea.release(run);
        }
    }

    /**
     * Copies in 256 KiB pieces: {@code transferTo}'s 8 KiB would cost a write and a digest call per
     * 8 KiB, 131,072 of each for a 1 GiB artifact. The large buffer is taken only once 8 KiB were
     * read: a new 256 KiB per small artifact was 25 GB of garbage, and 2,000 young collections,
     * for 100,000 artifacts of 1 KiB.
     */
    private static long copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[1 << 13];
        long total = 0;
        int n;
        while ((n = in.readNBytes(buffer, 0, buffer.length)) > 0) {
            out.write(buffer, 0, n);
            total += n;
            if (n < buffer.length) {
                break; // readNBytes fills the buffer unless the stream ended
            }
            if (buffer.length < 1 << 18) {
                buffer = new byte[1 << 18];
            }
        }
        return total;
    }

    @Override
    public StoredArtifact put(Path file, Optional<String> expectedSha256) {
        try (InputStream in = Files.newInputStream(file)) {
            return put(in, expectedSha256);
        } catch (NoSuchFileException e) {
            throw new AirlockException(ErrorCode.NOT_FOUND, "file not found: " + file, e);
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot read " + file + ": " + e, e);
        }
    }

    /** Renames a verified temporary file to the artifact's name; false when the artifact was already there. */
    private boolean moveIntoPlace(Path temporary, String sha256, boolean force, boolean replace) throws IOException {
        Path target = location(sha256);
        if (!replace && Files.exists(target)) {
            return false; // content-addressed: the stored bytes are the same
        }
        Path directory = target.getParent();
        try {
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException e) {
                // The directory is new (the temporary file is there): created only then, since
                // creating it first cost a failed mkdir, its exception and a stat per artifact.
                Files.createDirectories(directory);
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (FileAlreadyExistsException e) {
            return false; // a concurrent writer stored the same bytes first
        } catch (AtomicMoveNotSupportedException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "the filesystem of " + root + " cannot rename atomically", e);
        }
        if (force) {
            forceDirectory(directory);
        }
        return true;
    }

    private static void forceDirectory(Path directory) {
        // Makes the rename durable; some filesystems cannot open directories, and then the file's own
        // force is all that can be done.
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort
        }
    }

    @Override
    public ArtifactBatch batch() {
        return new Batch();
    }

    /**
     * Writes without forcing; {@link #sync()} runs {@code sync -f} on the store (one syncfs for the
     * whole filesystem, as {@code tar xf; sync} would) or, where that is not available, forces the
     * created files and their directories from a pool of threads.
     */
    private final class Batch implements ArtifactBatch {
        private final WorkArea.Run run;
        private final Path log;
        private final java.io.BufferedWriter createdLog;
        private long created;
        private boolean dirty;
        private boolean closed;

        Batch() {
            run = workArea.acquire();
            try {
                log = Files.createTempFile(run.directory(), WorkArea.BATCH_LOG_PREFIX, ".log");
                createdLog = Files.newBufferedWriter(log, java.nio.charset.StandardCharsets.US_ASCII);
            } catch (IOException e) {
                workArea.release(run);
                throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot write to artifact store " + root + ": " + e, e);
            }
        }

        @Override
        public StoredArtifact put(InputStream in, Optional<String> expectedSha256) {
            return counted(write(in, expectedSha256, false, this::record));
        }

        @Override
        public StoredArtifact put(byte[] bytes, String expectedSha256) {
            return counted(writeBytes(bytes, expectedSha256, this::record));
        }

        /** The artifact written, counted among the batch's files when the write created its file. */
        private StoredArtifact counted(Written written) {
            if (written.created()) {
                synchronized (this) {
                    created++;
                    dirty = true;
                }
            }
            return written.artifact();
        }

        @Override
        public StoredArtifact adopt(Path file, String sha256) {
            checkDigest(sha256);
            try {
                long size = Files.size(file);
                record(sha256);
                // As write does after logging: a cleaner that started before the line keeps the file.
                Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(Instant.now()));
                Path target = location(sha256);
                Files.createDirectories(target.getParent());
                try {
                    // Replaces a file already there, as an unforced put does: it may be an unsynced leftover.
                    Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    // Another filesystem: copied (and hashed again) as put copies.
                    StoredArtifact copied;
                    try (InputStream in = Files.newInputStream(file)) {
                        copied = put(in, Optional.of(sha256));
                    }
                    Files.deleteIfExists(file);
                    return copied;
                }
                return counted(new Written(new StoredArtifact(sha256, size), true));
            } catch (NoSuchFileException e) {
                throw new AirlockException(ErrorCode.NOT_FOUND, "file not found: " + file, e);
            } catch (IOException e) {
                throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot move " + file + " into artifact store " + root + ": "
                        + e, e);
            }
        }

        /**
         * Logs a file before it is renamed into place, and handed to the operating system at once,
         * so a killed process's log names every file it may have left. The temporary file is then
         * touched: a cleaner that started before this line was logged sees a modification time
         * after its own start and keeps the file (see the core's cleanup).
         */
        private synchronized void record(String sha256) {
            try {
                createdLog.write(sha256);
                createdLog.newLine();
                createdLog.flush();
            } catch (IOException e) {
                throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot write to artifact store " + root + ": " + e, e);
            }
        }

        @Override
        public synchronized long created() {
            return created;
        }

        @Override
        public synchronized void sync() {
            if (!dirty) {
                return;
            }
            if (!syncFilesystem()) {
                forceCreated();
            }
            dirty = false;
        }

        private boolean syncFilesystem() {
            try {
                Process sync = new ProcessBuilder("sync", "-f", root.toString())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                return sync.waitFor() == 0;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                throw Cancellation.cancelled("syncing the artifact store", e);
            }
        }

        private void forceCreated() {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
            try {
                createdLog.flush();
                java.util.Set<Path> directories = new java.util.HashSet<>();
                List<java.util.concurrent.Future<?>> forced = new java.util.ArrayList<>();
                try (java.util.stream.Stream<String> lines = Files.lines(log)) {
                    for (String sha256 : (Iterable<String>) lines::iterator) {
                        Path file = location(sha256);
                        directories.add(file.getParent());
                        forced.add(pool.submit(() -> force(file)));
                    }
                }
                for (Path directory : directories) {
                    forced.add(pool.submit(() -> forceDirectory(directory)));
                }
                for (java.util.concurrent.Future<?> f : forced) {
                    f.get();
                }
            } catch (IOException | java.util.concurrent.ExecutionException e) {
                throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot force artifacts to disk in " + root + ": " + e, e);
            } catch (InterruptedException e) {
                throw Cancellation.cancelled("syncing the artifact store", e);
            } finally {
                pool.shutdownNow();
            }
        }

        @Override
        public void discard(java.util.function.Function<List<String>, java.util.Set<String>> keep) {
            try {
                try {
                    createdLog.flush();
                } catch (IOException e) {
                    // Closed by an interrupt: each line was flushed as it was logged, and a file whose
                    // line was not is still a temporary file (it is moved into place only after).
                }
                try (java.util.stream.Stream<String> lines = Files.lines(log)) {
                    List<String> chunk = new java.util.ArrayList<>(1000);
                    for (String sha256 : (Iterable<String>) lines::iterator) {
                        if (!Sha256.isHex(sha256)) {
                            continue; // a line cut short, of a file never moved into place
                        }
                        chunk.add(sha256);
                        if (chunk.size() == 1000) {
                            deleteUnless(keep, chunk);
                            chunk.clear();
                        }
                    }
                    deleteUnless(keep, chunk);
                }
            } catch (IOException e) {
                throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot clean up artifact store " + root + ": " + e, e);
            }
        }

        private void deleteUnless(java.util.function.Function<List<String>, java.util.Set<String>> keep, List<String> chunk) {
            if (chunk.isEmpty()) {
                return;
            }
            java.util.Set<String> kept = keep.apply(List.copyOf(chunk));
            for (String sha256 : chunk) {
                if (!kept.contains(sha256)) {
                    delete(sha256);
                }
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                createdLog.close();
            } catch (IOException ignored) {
                // bookkeeping only
            }
            deleteQuietly(log);
            workArea.release(run);
        }
    }

    private static Void force(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        return null;
    }

    @Override
    public boolean contains(String sha256) {
        checkDigest(sha256);
        return Files.isRegularFile(location(sha256));
    }

    @Override
    public InputStream open(String sha256) {
        try {
            return Files.newInputStream(path(sha256));
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot read artifact " + sha256 + ": " + e, e);
        }
    }

    @Override
    public Path path(String sha256) {
        checkDigest(sha256);
        Path location = location(sha256);
        if (!Files.isRegularFile(location)) {
            throw new AirlockException(ErrorCode.NOT_FOUND, "artifact " + sha256 + " is not in the store " + root);
        }
        return location;
    }

    @Override
    public void delete(String sha256) {
        checkDigest(sha256);
        try {
            Files.deleteIfExists(location(sha256));
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot delete artifact " + sha256 + ": " + e, e);
        }
    }

    @Override
    public void forEach(Instant olderThan, Consumer<String> visitor) {
        try (DirectoryStream<Path> prefixes = Files.newDirectoryStream(root, p -> isHexPrefix(p.getFileName().toString()))) {
            for (Path prefix : prefixes) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(prefix)) {
                    for (Path file : files) {
                        String sha256 = prefix.getFileName().toString() + file.getFileName();
                        if (Sha256.isHex(sha256) && Files.getLastModifiedTime(file).toInstant().isBefore(olderThan)) {
                            visitor.accept(sha256);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isHexPrefix(String name) {
        return name.length() == 2 && Sha256.isHex(name + "0".repeat(62));
    }

    private Path location(String sha256) {
        return root.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2));
    }

    private static void checkDigest(String sha256) {
        if (!Sha256.isHex(sha256)) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, "not a lower-case hex sha256: '" + sha256 + "'");
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a leftover temporary file is harmless; it is never read
        }
    }
}
