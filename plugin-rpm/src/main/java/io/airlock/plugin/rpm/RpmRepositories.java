package io.airlock.plugin.rpm;

import static java.util.Objects.requireNonNull;

import io.airlock.core.Airlock;
import io.airlock.core.Throwables;
import io.airlock.core.ingest.Ingest;
import io.airlock.core.ingest.IngestFile;
import io.airlock.core.ingest.IngestResult;
import io.airlock.core.ingest.IngestSink;
import io.airlock.core.model.Repository;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.core.remote.DownloadPolicy;
import io.airlock.core.remote.Downloader;
import io.airlock.core.remote.RemoteOptions;
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
import java.net.URI;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RPM repositories: ingest a yum repository from a directory or a server ({@link #sync}) and publish a version as one
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
            List<String> warnings, long downloads, long downloadedBytes) {
        public SyncResult {
            units = Map.copyOf(units);
            warnings = List.copyOf(warnings);
        }

        /** A sync that downloaded nothing (from a directory). */
        public SyncResult(Optional<RepositoryVersion> version, Map<String, Long> units, long artifacts, long onDemand,
                List<String> warnings) {
            this(version, units, artifacts, onDemand, warnings, 0, 0);
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
            Sync sync = new Sync(repodata, null);
            IngestResult result = airlock.ingest(repository, Ingest.Mode.MIRROR, progress, sync::run);
            return new SyncResult(result.version(), sync.counts, sync.stored, sync.onDemand, repodata.warnings());
        });
    }

    /**
     * Makes a new version of {@code repository} holding exactly the yum repository at {@code url}
     * (an http:// or https:// base: {@code URL/repodata/repomd.xml}), as {@link #sync(String, Path,
     * LocalDirectory.Options, ProgressListener)} does for a directory, with the same result for the
     * same tree. The metadata is downloaded to a work folder first, each file verified against
     * repomd.xml; with {@link DownloadPolicy#IMMEDIATE} every package file is then downloaded
     * ({@link RemoteOptions#connections()} at once, while the packages are written) and verified
     * against primary's checksum and size before it is stored; with {@link DownloadPolicy#ON_DEMAND}
     * each is recorded with its URL, checksum and size for {@code Airlock.download}. Files already
     * in the artifact store (by SHA-256) are not downloaded again. All or nothing, as the directory
     * sync: on any failure (a package that cannot be downloaded, a wrong body) nothing is left, and
     * the error names the package and URL. {@code progress} receives {@link Downloader#PHASE}.
     */
    public SyncResult sync(String repository, URI url, RemoteOptions options, DownloadPolicy policy, ProgressListener progress) {
        return Cancellation.guard(CANCEL, () -> {
            checkRpmRepository(repository);
            try (RemoteYumRepository remote = RemoteYumRepository.open(airlock, url, options, policy, progress)) {
                Repodata repodata = Repodata.open(remote.fetchMetadata());
                repodata.warnings().forEach(w -> LOG.warn("{}", w));
                Sync sync = new Sync(repodata, remote);
                IngestResult result = airlock.ingest(repository, Ingest.Mode.MIRROR, ProgressListener.NONE, sync::run);
                remote.downloader().reportProgress();
                return new SyncResult(result.version(), sync.counts, sync.stored, sync.onDemand, repodata.warnings(),
                        remote.downloader().files(), remote.downloader().bytes());
            }
        });
    }

    /** One sync's reading: the units it gives the ingest's sink, and what it counted. */
    private static final class Sync {
        private final Repodata repodata;
        /** Where package files come from when the repository is on a server; null for a directory. */
        private final RemoteYumRepository remote;
        private final Map<String, Long> counts = new TreeMap<>();
        private final Semaphore ahead = new Semaphore(AHEAD_KIB);
        private int pendingUnits;
        private long pendingBytes;
        private int pendingKib;
        private long stored;
        private long onDemand;

        Sync(Repodata repodata, RemoteYumRepository remote) {
            this.repodata = repodata;
            this.remote = remote;
        }

        void run(IngestSink sink) {
            readPackagesAhead(sink);
            repodata.readAdvisories((unit, size) -> add(sink, unit, List.of(), size));
            repodata.readModules((unit, size) -> add(sink, unit, List.of(), size));
            repodata.readComps((unit, size) -> add(sink, unit, List.of(), size));
            repodata.readMetadataFiles(sink, (unit, file) -> add(sink, unit, List.of(file), 0));
            repodata.repoMetadata().ifPresent(unit -> add(sink, unit, List.of(), 0));
            flush(sink);
            if (remote != null) {
                remote.syncDownloads(); // with the ingest's own files, before its commit
            }
        }

        /** A package read ahead with its file, and the permits of {@link #ahead} it holds until it is written. */
        private record Ahead(RpmPackage unit, Future<IngestFile> file, long size, int kib) {
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
                    IngestFile file = file(read.file());
                    add(sink, read.unit(), List.of(file), read.size());
                    if (file.onDemand()) {
                        onDemand++;
                    } else {
                        stored++;
                    }
                    if (remote != null) {
                        remote.stored(read.file(), file);
                    }
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
            if (failure != null) {
                throw Throwables.unchecked(failure);
            }
        }

        /** The file of a package read ahead, once stored (local) or downloaded and verified (remote). */
        private static IngestFile file(Future<IngestFile> file) throws InterruptedException {
            try {
                return file.get();
            } catch (ExecutionException e) {
                throw Throwables.unchecked(e.getCause());
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

        /**
         * The package's file: from a server, downloading (or on demand); from a directory, stored now
         * (on the reader's thread) when it is under the directory, otherwise on demand.
         */
        private Future<IngestFile> packageFile(IngestSink sink, RpmPackage unit) throws InterruptedException {
            String where = "package " + unit.nevra() + " (location " + unit.locationHref() + ")";
            String href = RelativePaths.check(unit.locationHref(), where);
            if (remote != null) {
                return remote.packageFile(unit, href, where);
            }
            Optional<Path> file = unit.locationBase() != null ? Optional.empty() : repodata.directory().file(href, where);
            if (file.isEmpty()) {
                return CompletableFuture.completedFuture(IngestFile.onDemand(href));
            }
            return CompletableFuture.completedFuture(store(sink, unit, href, file.get(), where));
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
