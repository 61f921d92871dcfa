package io.airlock.core;

import io.airlock.core.content.ContentWriter;
import io.airlock.core.remote.DownloadedFiles;
import io.airlock.core.store.ArtifactStore;
import io.airlock.core.store.FileSystemArtifactStore;
import io.airlock.core.store.Sha256;
import io.airlock.core.store.StagingDirectory;
import io.airlock.core.store.WorkArea;
import io.airlock.spi.AirlockException;
import io.airlock.spi.Content;
import io.airlock.spi.ErrorCode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Removes what nothing needs any more, in two scopes:
 * <ul>
 * <li><b>Leftovers of dead runs</b> (cheap; also run by {@link Airlock.Builder#build()}): the run
 * directories of killed processes ({@link WorkArea}) with their {@code .part} files, batch logs and
 * scratch folders, the staging folders they recorded (and the files of an export they were moving
 * into place, when its TOC never arrived), and the artifact files their batch logs name that no
 * artifact row names.</li>
 * <li><b>Orphans</b> (a full pass, {@code airlock cleanup}): content in no repository version,
 * artifact rows no content uses, stored files no artifact row names (such as the downloads a failed
 * sync kept), and the entries of the downloads' digest index whose file is gone.</li>
 * </ul>
 * A stored file without a row is removed only if no live batch is writing it: its name is looked up
 * in the live runs' batch logs, and the file is first moved aside and put back if it was written
 * after the pass started (a batch logs a file, then touches it, then renames it into place).
 */
public final class OrphanCleanup {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OrphanCleanup.class);
    private static final int BATCH = 500;
    /** Files without a row are checked against the live batch logs this many at a time. */
    private static final int CHECK_BATCH = 100_000;

    private final Airlock airlock;

    OrphanCleanup(Airlock airlock) {
        this.airlock = airlock;
    }

    /**
     * What a cleanup removed (or, in a dry run, would remove): run directories of dead processes;
     * their temporary files ({@code .part}, batch logs); staging and scratch folders (and files of
     * unfinished exports); content units, artifact rows and artifact files; and the bytes of every
     * file removed.
     */
    public record Result(long deadRuns, long temporaryFiles, long stagingFolders, long content, long artifactRows,
            long files, long bytes, boolean dryRun) {

        /** True when there was nothing to remove. */
        public boolean isEmpty() {
            return deadRuns + temporaryFiles + stagingFolders + content + artifactRows + files == 0;
        }
    }

    /** Running totals of one pass. */
    private static final class Totals {
        long deadRuns;
        long temporaryFiles;
        long stagingFolders;
        long content;
        long artifactRows;
        long files;
        long bytes;

        Result result(boolean dryRun) {
            return new Result(deadRuns, temporaryFiles, stagingFolders, content, artifactRows, files, bytes, dryRun);
        }
    }

    /** The leftovers of dead runs only: cheap when there are none (one directory listing). */
    Result recoverDeadRuns() {
        Totals totals = new Totals();
        recover(totals, false);
        return totals.result(false);
    }

    /** Leftovers of dead runs, then orphans; stored files younger than {@code grace} are kept. */
    Result run(boolean dryRun, Duration grace) {
        Totals totals = new Totals();
        if (!dryRun) {
            airlock.removeDeadScratch();
        }
        recover(totals, dryRun);
        removeOldLeftovers(totals, dryRun);
        if (dryRun) {
            countOrphans(totals);
        } else {
            removeOrphanRows(totals);
        }
        Instant started = Instant.now();
        try (Unrecorded unrecorded = new Unrecorded(totals, dryRun, started.minus(grace), List.of())) {
            store().forEach(started, unrecorded::candidate);
        }
        removeStaleDigests(totals, dryRun);
        return totals.result(dryRun);
    }

    /**
     * Removes the entries of the downloads' digest index ({@link DownloadedFiles}) that name a file
     * no longer stored (and their half-written temporary files): counted as temporary files. An
     * entry is only a hint, so one removed while a sync writes it costs at most a download.
     */
    private void removeStaleDigests(Totals totals, boolean dryRun) {
        Path digests = store().root().resolve(DownloadedFiles.DIGESTS);
        if (!Files.isDirectory(digests, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> entries = Files.walk(digests)) {
            for (Path entry : (Iterable<Path>) entries.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))::iterator) {
                String sha256;
                try {
                    sha256 = Files.readString(entry, StandardCharsets.US_ASCII).strip();
                } catch (IOException e) {
                    continue; // removed meanwhile
                }
                if (entry.getFileName().toString().endsWith(".part") || !Sha256.isHex(sha256) || !store().contains(sha256)) {
                    totals.temporaryFiles++;
                    remove(entry, dryRun);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot read " + digests + ": " + e, e);
        }
    }

    private WorkArea workArea() {
        return store().workArea();
    }

    private FileSystemArtifactStore store() {
        ArtifactStore store = airlock.artifacts();
        return (FileSystemArtifactStore) store;
    }

    // --- dead runs -------------------------------------------------------------------------

    private void recover(Totals totals, boolean dryRun) {
        List<WorkArea.DeadRun> dead = workArea().deadRuns();
        if (dead.isEmpty()) {
            return;
        }
        try {
            try (Unrecorded unrecorded = new Unrecorded(totals, dryRun, Instant.now(), dead)) {
                for (WorkArea.DeadRun run : dead) {
                    for (StagingDirectory.Marker marker : run.staged()) {
                        for (Path moved : marker.incomplete()) {
                            if (Files.isRegularFile(moved, LinkOption.NOFOLLOW_LINKS)) {
                                totals.bytes += remove(moved, dryRun);
                                totals.temporaryFiles++;
                            }
                        }
                        if (Files.exists(marker.folder(), LinkOption.NOFOLLOW_LINKS)) {
                            totals.bytes += remove(marker.folder(), dryRun);
                            totals.stagingFolders++;
                        }
                    }
                    if (!dryRun) { // a dry run counts these files with the other unnamed ones in its full pass
                        for (Path log : run.batchLogs()) {
                            readLog(log, unrecorded::candidate);
                        }
                    }
                }
            }
            for (WorkArea.DeadRun run : dead) {
                LOG.info("removing what the dead run {} ({}) left", run.directory().getFileName(), run.owner());
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(run.directory())) {
                    for (Path entry : entries) {
                        if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                            totals.stagingFolders++; // import scratch space kept inside the run directory
                        } else if (entry.getFileName().toString().endsWith(".part")
                                || entry.getFileName().toString().endsWith(".log")) {
                            totals.temporaryFiles++;
                        }
                    }
                }
                totals.bytes += remove(run.directory(), dryRun);
                totals.deadRuns++;
            }
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot clean up " + workArea().root() + ": " + e, e);
        } finally {
            dead.forEach(WorkArea.DeadRun::close);
        }
    }

    /** Temporary files an older release left directly in {@code tmp/}, before run directories. */
    private void removeOldLeftovers(Totals totals, boolean dryRun) {
        Path root = workArea().root();
        if (!Files.isDirectory(root)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, p -> {
            String name = p.getFileName().toString();
            return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && (name.endsWith(".part") || name.startsWith("batch-"));
        })) {
            for (Path entry : entries) {
                totals.bytes += remove(entry, dryRun);
                totals.temporaryFiles++;
            }
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot clean up " + root + ": " + e, e);
        }
    }

    private static void readLog(Path log, java.util.function.Consumer<String> sha256s) throws IOException {
        try (BufferedReader lines = Files.newBufferedReader(log, StandardCharsets.US_ASCII)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (io.airlock.core.store.Sha256.isHex(line)) {
                    sha256s.accept(line); // a last line cut short by the kill is not a sha256
                }
            }
        } catch (java.nio.charset.MalformedInputException e) {
            // not a log this release wrote; its run directory goes anyway
        }
    }

    // --- orphans ---------------------------------------------------------------------------

    private void removeOrphanRows(Totals totals) {
        while (true) {
            // Through the entity manager, so joined tables, element collections and a plugin's
            // cascaded sub-records go with each unit.
            int removed = airlock.inTransaction(session -> {
                List<Content> orphans = session.createSelectionQuery("""
                        from Content c where not exists (select 1 from RepositoryContent rc where rc.key.contentId = c.id)""",
                        Content.class).setMaxResults(BATCH).getResultList();
                if (orphans.isEmpty()) {
                    return 0;
                }
                List<UUID> ids = orphans.stream().map(Content::id).toList();
                session.createMutationQuery("delete from RemoteArtifact r where r.contentArtifactId in"
                        + " (select ca.id from ContentArtifact ca where ca.contentId in :ids)").setParameter("ids", ids).executeUpdate();
                session.createMutationQuery("delete from ContentArtifact where contentId in :ids")
                        .setParameter("ids", ids).executeUpdate();
                orphans.forEach(session::remove);
                return orphans.size();
            });
            totals.content += removed;
            if (removed < BATCH) {
                break;
            }
        }
        totals.artifactRows += airlock.inTransaction(session -> (long) session.createMutationQuery("""
                delete from Artifact a where not exists (select 1 from ContentArtifact ca where ca.artifactId = a.id)""")
                .executeUpdate());
    }

    private void countOrphans(Totals totals) {
        Orphans orphans = airlock.inTransaction(OrphanCleanup::countOrphans);
        totals.content += orphans.content();
        totals.artifactRows += orphans.artifacts();
    }

    /** Content in no repository version and artifact rows no such content uses: what a cleanup removes. */
    record Orphans(long content, long artifacts) {
    }

    /** Counts the orphans with two aggregate queries. */
    static Orphans countOrphans(org.hibernate.Session session) {
        return new Orphans(session.createSelectionQuery("""
                select count(*) from Content c where not exists (select 1 from RepositoryContent rc where rc.key.contentId = c.id)""",
                Long.class).getSingleResult(),
                session.createSelectionQuery("select count(*) from Artifact a where not exists (" + IN_USE + ")", Long.class)
                        .getSingleResult());
    }

    /** An artifact row {@code a} that content in some repository uses: it survives a cleanup. */
    private static final String IN_USE = "select 1 from ContentArtifact ca where ca.artifactId = a.id"
            + " and exists (select 1 from RepositoryContent rc where rc.key.contentId = ca.contentId)";

    /**
     * Stored files to remove unless a row names them (in a dry run: unless a row that survives the
     * cleanup names them). Checked against rows in batches, then against the live batch logs.
     */
    private final class Unrecorded implements AutoCloseable {
        private final Totals totals;
        private final boolean dryRun;
        private final Instant writtenBefore;
        private final List<WorkArea.DeadRun> dead;
        private final List<String> pending = new ArrayList<>();
        private final Set<String> unrecorded = new LinkedHashSet<>();
        private StagingDirectory aside;

        Unrecorded(Totals totals, boolean dryRun, Instant writtenBefore, List<WorkArea.DeadRun> dead) {
            this.totals = totals;
            this.dryRun = dryRun;
            this.writtenBefore = writtenBefore;
            this.dead = dead;
        }

        void candidate(String sha256) {
            pending.add(sha256);
            if (pending.size() == BATCH) {
                checkRows();
            }
        }

        private void checkRows() {
            if (pending.isEmpty()) {
                return;
            }
            List<String> batch = List.copyOf(pending);
            pending.clear();
            Set<String> named = airlock.inTransaction(session -> {
                if (dryRun) {
                    return new HashSet<>(session.createSelectionQuery("select a.sha256 from Artifact a where a.sha256 in :s"
                            + " and exists (" + IN_USE + ")", String.class).setParameter("s", batch).getResultList());
                }
                return session.doReturningWork(c -> ContentWriter.lookupByKey(c, "select sha256, id from artifact where sha256 in ",
                        batch).keySet());
            });
            for (String sha256 : batch) {
                if (!named.contains(sha256)) {
                    unrecorded.add(sha256);
                }
            }
            if (unrecorded.size() >= CHECK_BATCH) {
                removeUnrecorded();
            }
        }

        private void removeUnrecorded() {
            if (unrecorded.isEmpty()) {
                return;
            }
            if (!dryRun) {
                // Names a live batch has logged (it may commit their rows any moment) are kept.
                for (Path log : workArea().liveBatchLogs(dead)) {
                    try {
                        readLog(log, unrecorded::remove);
                    } catch (NoSuchFileException e) {
                        // that batch has ended
                    } catch (IOException e) {
                        throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot read " + log + ": " + e, e);
                    }
                }
            }
            for (String sha256 : unrecorded) {
                long size = dryRun ? sizeOf(sha256) : removeUnlessFresh(sha256);
                if (size >= 0) {
                    totals.files++;
                    totals.bytes += size;
                }
            }
            unrecorded.clear();
        }

        private long sizeOf(String sha256) {
            try {
                return Files.size(store().path(sha256));
            } catch (IOException | AirlockException e) {
                return -1;
            }
        }

        /**
         * Moves the file aside, then removes it if it was written before this pass began, or puts
         * it back (a live batch renamed it into place meanwhile). The size removed, or -1.
         */
        private long removeUnlessFresh(String sha256) {
            Path file;
            try {
                file = store().path(sha256);
            } catch (AirlockException e) {
                return -1; // not stored
            }
            if (this.aside == null) {
                this.aside = workArea().temporary("aside-");
            }
            Path aside = this.aside.path().resolve(sha256);
            try {
                Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException e) {
                return -1;
            } catch (IOException e) {
                throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot remove " + file + ": " + e, e);
            }
            try {
                if (!Files.getLastModifiedTime(aside).toInstant().isBefore(writtenBefore)) {
                    Files.move(aside, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    return -1;
                }
                long size = Files.size(aside);
                Files.delete(aside);
                return size;
            } catch (IOException e) {
                throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot remove " + file + ": " + e, e);
            }
        }

        @Override
        public void close() {
            try {
                checkRows();
                removeUnrecorded();
            } finally {
                if (aside != null) {
                    aside.close();
                }
            }
        }
    }

    /** Deletes a file or tree (nothing in a dry run); the bytes it held. */
    private static long remove(Path path, boolean dryRun) {
        long bytes = 0;
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    bytes += Files.size(p);
                }
                if (!dryRun) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot remove " + path + ": " + e, e);
        }
        return bytes;
    }
}
