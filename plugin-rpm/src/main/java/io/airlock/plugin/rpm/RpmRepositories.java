package io.airlock.plugin.rpm;

import static java.util.Objects.requireNonNull;

import io.airlock.core.Airlock;
import io.airlock.core.content.ContentWriter;
import io.airlock.core.content.ContentWriter.NewUnit;
import io.airlock.core.content.ContentWriter.UnitFile;
import io.airlock.core.model.Repository;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.core.repository.VersionDraft;
import io.airlock.core.repository.VersionRef;
import io.airlock.core.store.ArtifactBatch;
import io.airlock.core.store.LocalDirectory;
import io.airlock.core.store.RelativePaths;
import io.airlock.core.store.StoredArtifact;
import io.airlock.plugin.rpm.publish.Publication;
import io.airlock.plugin.rpm.publish.PublishOptions;
import io.airlock.plugin.rpm.publish.RpmPublisher;
import io.airlock.plugin.rpm.repodata.Checksums;
import io.airlock.plugin.rpm.repodata.Repodata;
import io.airlock.spi.AirlockException;
import io.airlock.spi.Cancellation;
import io.airlock.spi.Content;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ProgressListener;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import org.hibernate.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RPM repositories: ingest a yum repository directory ({@link #sync}) and publish a version as one
 * ({@link #publish}, through {@link RpmPublisher}).
 */
public final class RpmRepositories {

    private static final Logger LOG = LoggerFactory.getLogger(RpmRepositories.class);

    /**
     * A batch of units is written once it holds this much metadata (bytes read for its units), even
     * with fewer than {@link ContentWriter#BATCH_SIZE} units: large units (up to
     * {@link io.airlock.plugin.rpm.repodata.Limits#UNIT_BYTES} each) must not pile up in memory.
     */
    static final long FLUSH_BYTES = 16L << 20;

    /** Metadata read ahead of the database writes, in KiB: the batch being filled and the queue. */
    private static final int AHEAD_KIB = 32 << 10;

    /** What a cancelled sync says was cancelled. */
    private static final String CANCEL = "rpm sync";

    private final Airlock airlock;

    public RpmRepositories(Airlock airlock) {
        this.airlock = requireNonNull(airlock, "airlock");
    }

    /**
     * What a sync did: the new version (empty when the repository already equalled the directory),
     * units read per type, package files stored, packages without a file (on demand), and warnings.
     */
    public record SyncResult(Optional<RepositoryVersion> version, Map<String, Long> units, long artifacts, long onDemand,
            List<String> warnings) {
        public SyncResult {
            units = Map.copyOf(units);
            warnings = List.copyOf(warnings);
        }
    }

    /** {@link #sync(String, Path, LocalDirectory.Options, ProgressListener)} refusing symbolic links. */
    public SyncResult sync(String repository, Path directory, ProgressListener progress) {
        return sync(repository, directory, LocalDirectory.Options.DEFAULT, progress);
    }

    /**
     * Makes a new version of {@code repository} holding exactly the yum repository at {@code directory}:
     * packages from primary metadata, advisories, module builds and defaults, comps. Package files
     * found under the directory are stored, verified against their checksum; absent ones make
     * on-demand units. All metadata is verified against repomd.xml before anything changes, and the
     * whole sync is one transaction: on any error (an {@link Error} too) nothing is left behind.
     * Only regular files are read; a symbolic link (a package file, a {@code Packages/} directory,
     * a metadata file) is refused unless {@code options} follow links, and then only one whose target
     * stays inside the directory. The readers stop at the {@link io.airlock.plugin.rpm.repodata.Limits}.
     */
    public SyncResult sync(String repository, Path directory, LocalDirectory.Options options, ProgressListener progress) {
        return Cancellation.guard(CANCEL, () -> airlock.withArtifactBatch(artifacts -> airlock.inTransaction(session -> {
            checkRpmRepository(session, repository);
            Repodata repodata = Repodata.open(LocalDirectory.open(directory, options));
            repodata.warnings().forEach(w -> LOG.warn("{}", w));
            return new Sync(session, repodata, artifacts, progress).run(repository);
        })));
    }

    private final class Sync {
        private final Session session;
        private final Repodata repodata;
        private final ArtifactBatch artifacts;
        private final ProgressListener progress;
        private final Map<String, Long> counts = new TreeMap<>();
        private final List<NewUnit> pending = new ArrayList<>(ContentWriter.BATCH_SIZE);
        private final Semaphore ahead = new Semaphore(AHEAD_KIB);
        private long pendingBytes;
        private int pendingKib;
        private VersionDraft draft;
        private long stored;
        private long onDemand;
        private long done;

        Sync(Session session, Repodata repodata, ArtifactBatch artifacts, ProgressListener progress) {
            this.session = session;
            this.repodata = repodata;
            this.artifacts = artifacts;
            this.progress = progress;
        }

        SyncResult run(String repository) {
            draft = airlock.repositories().draft(session, repository, VersionDraft.Mode.REPLACE, OptionalInt.empty());
            readPackagesAhead();
            repodata.readAdvisories((unit, size) -> add(new NewUnit(unit, List.of()), size));
            repodata.readModules((unit, size) -> add(new NewUnit(unit, List.of()), size));
            repodata.readComps((unit, size) -> add(new NewUnit(unit, List.of()), size));
            flush();
            progress.progress("units", done, done);
            artifacts.sync();
            Optional<RepositoryVersion> version = draft.commit();
            return new SyncResult(version, counts, stored, onDemand, repodata.warnings());
        }

        /** A package read ahead, with the permits of {@link #ahead} it holds until it is written. */
        private record Ahead(NewUnit unit, long size, int kib) {
        }

        /**
         * Parses primary metadata and stores package files on a second thread, a bounded queue ahead
         * of the database writes on this one, so that the two overlap. What is read ahead and not yet
         * written is bounded by count and by size ({@link #AHEAD_KIB} of metadata). The reader is
         * stopped and joined before this returns, whatever happens, so it never outlives the transaction.
         */
        private void readPackagesAhead() {
            BlockingQueue<Object> queue = new ArrayBlockingQueue<>(2 * ContentWriter.BATCH_SIZE);
            Object end = new Object();
            AtomicReference<Throwable> readerFailure = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                try {
                    repodata.readPackages((unit, size) -> {
                        int kib = (int) Math.max(1, (size + 1023) >> 10);
                        try {
                            ahead.acquire(kib);
                            queue.put(new Ahead(new NewUnit(unit, List.of(packageFile(unit))), size, kib));
                        } catch (InterruptedException e) {
                            throw Cancellation.cancelled(CANCEL, e);
                        }
                    });
                } catch (Throwable t) {
                    readerFailure.set(t);
                } finally {
                    try {
                        queue.put(end); // put, not offer: a full queue is still being drained
                    } catch (InterruptedException e) {
                        // The consumer stopped and no longer takes.
                    }
                }
            }, "rpm-sync-primary");
            reader.setDaemon(true);
            reader.start();
            boolean finished = false;
            try {
                for (Object item = queue.take(); item != end; item = queue.take()) {
                    Ahead read = (Ahead) item;
                    pendingKib += read.kib();
                    add(read.unit(), read.size());
                }
                finished = true;
            } catch (InterruptedException e) {
                throw Cancellation.cancelled(CANCEL, e);
            } finally {
                if (!finished) {
                    reader.interrupt();
                    queue.clear(); // unblocks a reader waiting to put
                }
                joinQuietly(reader);
            }
            Throwable failure = readerFailure.get();
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            } else if (failure instanceof Error error) {
                throw error;
            } else if (failure != null) {
                throw new IllegalStateException(failure);
            }
        }

        private static void joinQuietly(Thread thread) {
            boolean interrupted = false;
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * Adds a unit to the batch, written when it holds {@link ContentWriter#BATCH_SIZE} units or
         * {@link #FLUSH_BYTES} of metadata ({@code size}: what the reader read for the unit).
         */
        private void add(NewUnit newUnit, long size) {
            Content unit = newUnit.unit();
            pending.add(newUnit);
            pendingBytes += size;
            counts.merge(unit.typeId(), 1L, Long::sum);
            if (pending.size() == ContentWriter.BATCH_SIZE || pendingBytes >= FLUSH_BYTES) {
                flush();
            }
        }

        private void flush() {
            if (pending.isEmpty()) {
                return;
            }
            Cancellation.check(CANCEL);
            draft.add(airlock.contentWriter().save(session, pending).ids());
            done += pending.size();
            progress.progress("units", done, -1);
            pending.clear();
            pendingBytes = 0;
            ahead.release(pendingKib);
            pendingKib = 0;
        }

        /** The package's file, stored when it is under the directory, otherwise on demand. */
        private UnitFile packageFile(RpmPackage unit) {
            String where = "package " + unit.nevra() + " (location " + unit.locationHref() + ")";
            String href = RelativePaths.check(unit.locationHref(), where);
            Optional<Path> file = unit.locationBase() != null ? Optional.empty() : repodata.directory().file(href, where);
            if (file.isEmpty()) {
                onDemand++;
                return new UnitFile(href, Optional.empty());
            }
            stored++;
            return new UnitFile(href, Optional.of(store(unit, file.get(), where)));
        }

        private StoredArtifact store(RpmPackage unit, Path file, String where) {
            boolean sha256 = unit.checksumType().equals("sha256");
            MessageDigest digest = sha256 ? null : Checksums.digest(unit.checksumType()).orElseThrow();
            try (InputStream in = repodata.directory().open(file)) {
                StoredArtifact artifact;
                try {
                    artifact = sha256
                            ? artifacts.put(in, Optional.of(unit.pkgId()))
                            : artifacts.put(new DigestInputStream(in, digest), Optional.empty());
                } catch (AirlockException e) {
                    if (e.code() == ErrorCode.CHECKSUM_MISMATCH) {
                        throw new AirlockException(ErrorCode.CHECKSUM_MISMATCH, where + ": the file does not match its checksum "
                                + unit.pkgId() + " in primary metadata", e);
                    }
                    throw e;
                }
                if (!sha256) {
                    String actual = HexFormat.of().formatHex(digest.digest());
                    if (!actual.equalsIgnoreCase(unit.pkgId())) {
                        throw new AirlockException(ErrorCode.CHECKSUM_MISMATCH, where + ": its " + unit.checksumType() + " is "
                                + actual + ", but primary metadata says " + unit.pkgId());
                    }
                }
                return artifact;
            } catch (IOException e) {
                throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot read " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Writes a version as a yum repository under {@code outputDirectory} (which must not exist or be
     * empty); see {@link RpmPublisher#publish}.
     */
    public Publication publish(VersionRef ref, Path outputDirectory, PublishOptions options, ProgressListener progress) {
        return new RpmPublisher(airlock).publish(ref, outputDirectory, options, progress);
    }

    private void checkRpmRepository(Session session, String name) {
        Repository repository = airlock.repositories().get(session, name);
        if (!repository.family().equals(RpmPlugin.NAME)) {
            throw new AirlockException(ErrorCode.CONFLICT, "repository '" + name + "' holds " + repository.family()
                    + " content, not rpm content");
        }
    }
}
