package io.airlock.core.store;

import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.Ids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where work in progress lives, so that what a killed process leaves can be found and removed.
 *
 * <p>While an installation writes (an artifact batch, a file being stored, a staging or scratch
 * folder), it owns a <em>run directory</em> {@code <store>/tmp/run-<id>/}: its {@code .part} files
 * and batch logs are inside, every folder it stages elsewhere (an export's or a publication's
 * staging folder, import scratch space outside the store) is recorded there by a small marker, and
 * its {@code owner} file is locked ({@link FileChannel#tryLock()}) for as long as the run lives.
 * The operating system drops the lock when the process dies, however it dies, so an unlocked run
 * directory is the leftover of a dead process: {@link #deadRuns()} finds them with one directory
 * listing. The run directory is removed when the installation's last piece of work ends, so an idle
 * store has an empty {@code tmp/}.
 */
public final class WorkArea {

    static final String RUN_PREFIX = "run-";
    /** A run directory before its owner file is locked; renamed to {@link #RUN_PREFIX} once it is. */
    static final String CREATING_PREFIX = "creating-";
    static final String OWNER = "owner";
    static final String STAGED_PREFIX = "staged-";
    static final String BATCH_LOG_PREFIX = "batch-";
    /** A "run-" directory without an owner file (written by releases before "creating-"); younger than this, it is left alone. */
    private static final Duration CREATING = Duration.ofMinutes(10);

    /** Run directories whose lock this JVM holds: never probed, as closing a probe would drop the lock (POSIX). */
    private static final Set<Path> OWNED = ConcurrentHashMap.newKeySet();

    private final Path root;
    private final Optional<Path> scratchRoot;
    private Run current;
    private int users;

    /**
     * @param root        the store's {@code tmp/} directory (on the store's filesystem, for atomic renames)
     * @param scratchRoot where import scratch folders go; empty: inside the run directory
     */
    public WorkArea(Path root, Optional<Path> scratchRoot) {
        this.root = root.toAbsolutePath().normalize();
        this.scratchRoot = scratchRoot.map(p -> p.toAbsolutePath().normalize());
    }

    public Path root() {
        return root;
    }

    /** A live run: its directory exists and its owner file is locked by this process. */
    static final class Run {
        private final Path directory;
        private final FileChannel owner;
        private final FileLock lock;

        private Run(Path directory, FileChannel owner, FileLock lock) {
            this.directory = directory;
            this.owner = owner;
            this.lock = lock;
        }

        Path directory() {
            return directory;
        }
    }

    /** Takes part in this installation's run (creating it if none is live); pair with {@link #release}. */
    synchronized Run acquire() {
        if (current == null) {
            // Uninterrupted: an interrupt would close the owner file's channel half-way and leave a
            // run directory without a locked owner; the work that asked for it checks for cancellation.
            current = io.airlock.spi.Cancellation.callUninterrupted(this::create);
        }
        users++;
        return current;
    }

    /** Ends one piece of work; the last one removes the run directory. */
    synchronized void release(Run run) {
        if (run != current || --users > 0) {
            return;
        }
        current = null;
        try {
            FileTrees.deleteTree(run.directory);
        } catch (UncheckedIOException e) {
            // what is left is removed as a dead run's leftovers once this process is gone
        } finally {
            try {
                run.lock.release();
                run.owner.close();
            } catch (IOException ignored) {
                // closing the channel drops the lock in any case
            }
            OWNED.remove(run.directory);
        }
    }

    private Run create() {
        IOException last = null;
        // A run directory is built under a "creating-" name and renamed once its owner file is locked,
        // so a "run-" directory always has a locked owner while its process lives. A cleaner that finds
        // a "creating-" directory claims it by locking (or creating) its owner file first; whoever locks
        // first wins, and the loser here starts over under a new name.
        for (int attempt = 0; attempt < 5; attempt++) {
            String id = String.valueOf(Ids.next());
            Path creating = root.resolve(CREATING_PREFIX + id);
            Path directory = root.resolve(RUN_PREFIX + id);
            OWNED.add(creating);
            OWNED.add(directory);
            FileChannel channel = null;
            boolean locked = false;
            try {
                Files.createDirectories(root);
                Files.createDirectory(creating);
                channel = FileChannel.open(creating.resolve(OWNER), StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                FileLock lock = tryLock(channel);
                if (lock == null) {
                    throw new IOException("cannot lock " + creating.resolve(OWNER) + ": a cleaner holds it");
                }
                locked = true;
                ProcessHandle self = ProcessHandle.current();
                channel.write(ByteBuffer.wrap(("pid " + self.pid() + "\nhost " + host() + "\nstarted "
                        + self.info().startInstant().map(Instant::toString).orElse("?") + "\n").getBytes(StandardCharsets.UTF_8)));
                Files.move(creating, directory, StandardCopyOption.ATOMIC_MOVE);
                if (!Files.exists(directory.resolve(OWNER))) {
                    throw new IOException("a cleaner removed " + creating);
                }
                OWNED.remove(creating);
                return new Run(directory, channel, lock);
            } catch (IOException e) {
                last = e;
                if (channel != null) {
                    try {
                        channel.close();
                    } catch (IOException ignored) {
                        // closing drops the lock in any case
                    }
                }
                // Ours (locked, or never claimed by a cleaner: no owner file): removed now, as an
                // interrupt closing the channel half-way must not leave a folder behind. A folder a
                // cleaner claimed is its to remove.
                try {
                    if (locked) {
                        FileTrees.deleteTree(Files.exists(directory) ? directory : creating);
                    } else {
                        Files.deleteIfExists(creating);
                    }
                } catch (IOException | UncheckedIOException ignored) {
                    // not empty (a cleaner's owner file) or gone meanwhile: a cleaner removes it
                }
                OWNED.remove(creating);
                OWNED.remove(directory);
            }
        }
        throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot create a work directory in " + root + ": " + last, last);
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "?";
        }
    }

    /**
     * A folder created under {@code parent} (named {@code prefix} plus a random part), recorded in
     * the run directory until {@link StagingDirectory#close()} removes it.
     */
    public StagingDirectory stage(Path parent, String prefix) {
        Run run = acquire();
        try {
            // Recorded before it is created: a kill in between leaves a record of nothing, never an unrecorded folder.
            Path folder = Files.createDirectories(parent.toAbsolutePath().normalize()).resolve(prefix + Ids.next());
            Path marker = run.directory.resolve(STAGED_PREFIX + Ids.next());
            Files.writeString(marker, StagingDirectory.FOLDER + folder + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            Files.createDirectory(folder);
            return new StagingDirectory(this, run, folder, marker);
        } catch (IOException | RuntimeException e) {
            release(run);
            if (e instanceof AirlockException airlock) {
                throw airlock;
            }
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot create a folder in " + parent + ": " + e, e);
        }
    }

    /** A scratch folder for an import: in the configured scratch directory, or else inside the run directory. */
    public StagingDirectory scratch(String prefix) {
        return scratchRoot.isPresent() ? stage(scratchRoot.get(), prefix) : temporary(prefix);
    }

    /** A folder inside the run directory: on the store's filesystem, removed with the run if the process dies. */
    public StagingDirectory temporary(String prefix) {
        Run run = acquire();
        try {
            Path folder = Files.createTempDirectory(run.directory, prefix);
            return new StagingDirectory(this, run, folder, null);
        } catch (IOException e) {
            release(run);
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot create a scratch folder in " + run.directory + ": " + e, e);
        }
    }

    /** A run directory whose process is gone, locked by the caller until {@link #close()}. */
    public static final class DeadRun implements AutoCloseable {
        private final Path directory;
        private final FileChannel owner;

        private DeadRun(Path directory, FileChannel owner) {
            this.directory = directory;
            this.owner = owner;
        }

        public Path directory() {
            return directory;
        }

        /** Who owned it, as its owner file says ("pid N, host H"), for messages. */
        public String owner() {
            try {
                return Files.readAllLines(directory.resolve(OWNER), StandardCharsets.UTF_8).stream()
                        .filter(l -> l.startsWith("pid ") || l.startsWith("host ")).reduce((a, b) -> a + ", " + b).orElse("?");
            } catch (IOException e) {
                return "?";
            }
        }

        /** The folders it staged (and files it was moving into place), from its markers. */
        public List<StagingDirectory.Marker> staged() {
            List<StagingDirectory.Marker> markers = new ArrayList<>();
            for (Path file : list(directory, STAGED_PREFIX)) {
                StagingDirectory.Marker.read(file).ifPresent(markers::add);
            }
            return markers;
        }

        /** Its artifact batch logs: one sha256 per line for every file a batch stored or was storing. */
        public List<Path> batchLogs() {
            return list(directory, BATCH_LOG_PREFIX);
        }

        @Override
        public void close() {
            try {
                owner.close(); // drops the lock
            } catch (IOException ignored) {
                // nothing holds on to it
            }
        }
    }

    /**
     * The run directories of processes that are gone, each locked for the caller (so two cleaners
     * never work on one). Cheap when there are none: one directory listing.
     */
    public List<DeadRun> deadRuns() {
        List<DeadRun> dead = new ArrayList<>();
        List<Path> candidates = list(root, RUN_PREFIX);
        candidates.addAll(list(root, CREATING_PREFIX));
        for (Path directory : candidates) {
            if (OWNED.contains(directory) || !Files.isDirectory(directory, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            Path owner = directory.resolve(OWNER);
            try {
                if (!Files.exists(owner)) {
                    boolean creating = directory.getFileName().toString().startsWith(CREATING_PREFIX);
                    if (!creating && !Files.getLastModifiedTime(directory).toInstant().isBefore(Instant.now().minus(CREATING))) {
                        continue;
                    }
                    // A creator that has not locked its owner file yet gives up on it when this one exists.
                    try {
                        Files.writeString(owner, "pid ?\n", StandardOpenOption.CREATE_NEW);
                    } catch (java.nio.file.FileAlreadyExistsException e) {
                        // its creator got there first: whoever locks it first owns it
                    }
                }
                FileChannel channel = FileChannel.open(owner, StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock lock = tryLock(channel);
                if (lock == null) {
                    channel.close(); // live: its process holds the lock
                } else if (Files.exists(owner)) {
                    dead.add(new DeadRun(directory, channel));
                } else {
                    channel.close(); // another cleaner removed it meanwhile
                }
            } catch (IOException e) {
                // gone meanwhile (renamed into place, or removed by another cleaner), or not ours to read: left alone
            }
        }
        return dead;
    }

    /** Batch logs of runs other than the dead ones given: the files live batches are writing. */
    public List<Path> liveBatchLogs(List<DeadRun> dead) {
        List<Path> logs = new ArrayList<>();
        for (Path directory : list(root, RUN_PREFIX)) {
            if (dead.stream().noneMatch(d -> d.directory.equals(directory))) {
                logs.addAll(list(directory, BATCH_LOG_PREFIX));
            }
        }
        return logs;
    }

    static List<Path> list(Path directory, String prefix) {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return found;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, p -> p.getFileName().toString().startsWith(prefix))) {
            entries.forEach(found::add);
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot list " + directory + ": " + e, e);
        }
        return found;
    }
}
