package io.airlock.plugin.rpm;

import static java.util.Objects.requireNonNull;

import io.airlock.core.Airlock;
import io.airlock.core.ingest.Ingest;
import io.airlock.core.ingest.IngestFile;
import io.airlock.core.ingest.IngestResult;
import io.airlock.core.ingest.IngestSink;
import io.airlock.core.model.Repository;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.core.repository.VersionRef;
import io.airlock.core.store.LocalDirectory;
import io.airlock.core.store.RelativePaths;
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
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RPM repositories: ingest a yum repository directory ({@link #sync}) and publish a version as one
 * ({@link #publish}, through {@link RpmPublisher}).
 */
public final class RpmRepositories {

    private static final Logger LOG = LoggerFactory.getLogger(RpmRepositories.class);

    /**
     * The ingest writes the units given so far once they hold this much metadata (bytes read for
     * them), even fewer than {@link Ingest#BATCH_SIZE} units: large units (up to
     * {@link io.airlock.plugin.rpm.repodata.Limits#UNIT_BYTES} each) must not pile up in memory.
     */
    static final long FLUSH_BYTES = 16L << 20;

    /** Metadata read ahead of the database writes, in KiB: the units not written yet and the queue. */
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
     * packages from primary metadata, advisories, module builds, defaults and obsoletes, comps, the
     * other metadata files repomd.xml lists (productid and the like), repomd's revision and tags. Package files
     * found under the directory are stored, verified against their checksum; absent ones make
     * on-demand units. All metadata is verified against repomd.xml before anything changes, and the
     * whole sync is one {@link Ingest} in {@link Ingest.Mode#MIRROR} mode: on any error (an
     * {@link Error} too) nothing is left behind, not even the package files it stored.
     * Only regular files are read; a symbolic link (a package file, a {@code Packages/} directory,
     * a metadata file) is refused unless {@code options} follow links, and then only one whose target
     * stays inside the directory. The readers stop at the {@link io.airlock.plugin.rpm.repodata.Limits}.
     */
    public SyncResult sync(String repository, Path directory, LocalDirectory.Options options, ProgressListener progress) {
        return Cancellation.guard(CANCEL, () -> {
            checkRpmRepository(repository);
            Repodata repodata = Repodata.open(LocalDirectory.open(directory, options));
            repodata.warnings().forEach(w -> LOG.warn("{}", w));
            Sync sync = new Sync(repodata);
            IngestResult result = airlock.ingest(repository, Ingest.Mode.MIRROR, progress, sync::run);
            return new SyncResult(result.version(), sync.counts, sync.stored, sync.onDemand, repodata.warnings());
        });
    }

    /** One sync's reading: the units it gives the ingest's sink, and what it counted. */
    private static final class Sync {
        private final Repodata repodata;
        private final Map<String, Long> counts = new TreeMap<>();
        private final Semaphore ahead = new Semaphore(AHEAD_KIB);
        private int pendingUnits;
        private long pendingBytes;
        private int pendingKib;
        private long stored;
        private long onDemand;

        Sync(Repodata repodata) {
            this.repodata = repodata;
        }

        void run(IngestSink sink) {
            readPackagesAhead(sink);
            repodata.readAdvisories((unit, size) -> add(sink, unit, List.of(), size));
            repodata.readModules((unit, size) -> add(sink, unit, List.of(), size));
            repodata.readComps((unit, size) -> add(sink, unit, List.of(), size));
            repodata.readMetadataFiles(sink, (unit, file) -> add(sink, unit, List.of(file), 0));
            repodata.repoMetadata().ifPresent(unit -> add(sink, unit, List.of(), 0));
            flush(sink);
        }

        /** A package read ahead with its file, and the permits of {@link #ahead} it holds until it is written. */
        private record Ahead(RpmPackage unit, IngestFile file, long size, int kib) {
        }

        /**
         * Parses primary metadata and stores package files on a second thread, a bounded queue ahead
         * of the database writes on this one, so that the two overlap. What is read ahead and not yet
         * written is bounded by count and by size ({@link #AHEAD_KIB} of metadata). The reader is
         * stopped and joined before this returns, whatever happens, so it never outlives the ingest
         * (whose sink lets one other thread {@link IngestSink#store store} files).
         */
        private void readPackagesAhead(IngestSink sink) {
            BlockingQueue<Object> queue = new ArrayBlockingQueue<>(2 * Ingest.BATCH_SIZE);
            Object end = new Object();
            AtomicReference<Throwable> readerFailure = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                try {
                    repodata.readPackages((unit, size) -> {
                        int kib = (int) Math.max(1, (size + 1023) >> 10);
                        try {
                            ahead.acquire(kib);
                            queue.put(new Ahead(unit, packageFile(sink, unit), size, kib));
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
                    add(sink, read.unit(), List.of(read.file()), read.size());
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
         * Gives a unit to the sink, and has the sink write what it holds once that is
         * {@link Ingest#BATCH_SIZE} units or {@link #FLUSH_BYTES} of metadata ({@code size}: what
         * the reader read for the unit).
         */
        private void add(IngestSink sink, Content unit, List<IngestFile> files, long size) {
            sink.add(unit, files);
            counts.merge(unit.typeId(), 1L, Long::sum);
            pendingUnits++;
            pendingBytes += size;
            if (pendingUnits == Ingest.BATCH_SIZE || pendingBytes >= FLUSH_BYTES) {
                flush(sink);
            }
        }

        /** Has the sink write the units given since the last flush, then lets the reader read that much further. */
        private void flush(IngestSink sink) {
            if (pendingUnits == 0) {
                return;
            }
            sink.flush();
            pendingUnits = 0;
            pendingBytes = 0;
            ahead.release(pendingKib);
            pendingKib = 0;
        }

        /** The package's file, stored now (on the reader's thread) when it is under the directory, otherwise on demand. */
        private IngestFile packageFile(IngestSink sink, RpmPackage unit) {
            String where = "package " + unit.nevra() + " (location " + unit.locationHref() + ")";
            String href = RelativePaths.check(unit.locationHref(), where);
            Optional<Path> file = unit.locationBase() != null ? Optional.empty() : repodata.directory().file(href, where);
            if (file.isEmpty()) {
                onDemand++;
                return IngestFile.onDemand(href);
            }
            IngestFile stored = store(sink, unit, href, file.get(), where);
            this.stored++;
            return stored;
        }

        /**
         * Stores a package file, verified against its checksum in primary metadata: by the sink for a
         * SHA-256, here for another type (the stored file is removed with the ingest if it does not match).
         */
        private IngestFile store(IngestSink sink, RpmPackage unit, String href, Path file, String where) {
            boolean sha256 = unit.checksumType().equals("sha256");
            MessageDigest digest = sha256 ? null : Checksums.digest(unit.checksumType()).orElseThrow();
            InputStream in;
            try {
                in = repodata.directory().open(file);
            } catch (IOException e) {
                throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot read " + file + ": " + e.getMessage(), e);
            }
            IngestFile stored;
            try {
                stored = sink.store(sha256 ? IngestFile.of(href, in, unit.pkgId())
                        : IngestFile.of(href, new DigestInputStream(in, digest)));
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
            return stored;
        }
    }

    /**
     * Writes a version as a yum repository under {@code outputDirectory} (which must not exist or be
     * empty); see {@link RpmPublisher#publish}.
     */
    public Publication publish(VersionRef ref, Path outputDirectory, PublishOptions options, ProgressListener progress) {
        return new RpmPublisher(airlock).publish(ref, outputDirectory, options, progress);
    }

    private void checkRpmRepository(String name) {
        Repository repository = airlock.repositories().get(name);
        if (!repository.family().equals(RpmPlugin.NAME)) {
            throw new AirlockException(ErrorCode.CONFLICT, "repository '" + name + "' holds " + repository.family()
                    + " content, not rpm content");
        }
    }
}
