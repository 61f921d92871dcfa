package io.airlock.plugin.rpm;

import io.airlock.core.Airlock;
import io.airlock.core.Throwables;
import io.airlock.core.ingest.IngestFile;
import io.airlock.core.remote.DownloadPolicy;
import io.airlock.core.remote.DownloadedFiles;
import io.airlock.core.remote.Downloader;
import io.airlock.core.remote.RemoteFile;
import io.airlock.core.remote.RemoteOptions;
import io.airlock.core.store.LocalDirectory;
import io.airlock.core.store.RelativePaths;
import io.airlock.core.store.StagingDirectory;
import io.airlock.core.store.StoredArtifact;
import io.airlock.plugin.rpm.repodata.Checksums;
import io.airlock.plugin.rpm.repodata.Limits;
import io.airlock.plugin.rpm.repodata.Repomd;
import io.airlock.spi.AirlockException;
import io.airlock.spi.Cancellation;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ProgressListener;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * A yum repository on a server, for a sync: its metadata is downloaded into a work folder laid out
 * as the repository is (so the directory readers read it unchanged), each file verified against
 * repomd.xml's checksum; its package files are downloaded on the download threads as the packages
 * are read, verified against primary's checksum and size, and moved into the artifact store as
 * each completes ({@link DownloadedFiles}: kept there when the sync fails, so the next one does not
 * download them again), or recorded with their URL (on demand). Files already in the artifact
 * store (by SHA-256, or primary's other checksum through the store's index) are not downloaded
 * again. Closing it stops the downloads, makes the kept files durable and removes the work folder.
 */
final class RemoteYumRepository implements AutoCloseable {

    /** Largest metadata file downloaded (repomd.xml has its own, smaller limit). */
    static final long METADATA_BYTES = 4L << 30;
    /** Largest package file downloaded when primary gives no size. */
    static final long PACKAGE_BYTES = 64L << 30;

    private final Airlock airlock;
    private final URI base;
    private final DownloadPolicy policy;
    private final StagingDirectory work;
    private final Downloader downloader;
    private final DownloadedFiles downloads;
    private final Path mirror;
    private final Path packages;
    /** Package files downloaded and not yet stored: bounds the work folder's size. */
    private final Semaphore ahead;
    private long next;

    private RemoteYumRepository(Airlock airlock, URI base, DownloadPolicy policy, StagingDirectory work, Downloader downloader) {
        this.airlock = airlock;
        this.base = base;
        this.policy = policy;
        this.work = work;
        this.downloader = downloader;
        this.downloads = DownloadedFiles.open(airlock);
        this.mirror = work.path().resolve("repository");
        this.packages = work.path().resolve("packages");
        this.ahead = new Semaphore(4 * downloader.options().connections());
    }

    static RemoteYumRepository open(Airlock airlock, URI url, RemoteOptions options, DownloadPolicy policy, ProgressListener progress) {
        URI base = Downloader.check(url);
        StagingDirectory work = airlock.workArea().temporary("rpm-sync-");
        try {
            return new RemoteYumRepository(airlock, base, policy, work, Downloader.open(options, progress));
        } catch (RuntimeException | Error e) {
            work.close();
            throw e;
        }
    }

    Downloader downloader() {
        return downloader;
    }

    /**
     * Downloads repomd.xml and the metadata files it lists (but the SQLite and zchunk variants),
     * each verified against repomd's checksum; a file the server does not have is left out, as
     * an absent file of a directory is. Returns the folder holding them.
     */
    LocalDirectory fetchMetadata() {
        try {
            Files.createDirectories(mirror.resolve("repodata"));
            Files.createDirectories(packages);
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot write " + mirror + ": " + e.getMessage(), e);
        }
        URI repomdUrl = Downloader.resolve(base, Repomd.PATH);
        try {
            downloader.fetch(repomdUrl, Downloader.Expected.unverified(Limits.REPOMD_BYTES), mirror.resolve(Repomd.PATH));
        } catch (AirlockException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                throw new AirlockException(ErrorCode.NOT_FOUND, base + " is not a yum repository: " + repomdUrl + " is not found", e);
            }
            throw e;
        }
        LocalDirectory directory = LocalDirectory.open(mirror, LocalDirectory.Options.DEFAULT);
        Repomd repomd = Repomd.read(directory);
        List<Future<Downloader.Downloaded>> metadata = new ArrayList<>();
        for (Repomd.Entry entry : repomd.entries()) {
            String type = entry.type().toLowerCase(Locale.ROOT);
            if (type.endsWith("_db") || type.endsWith("_zck") || entry.location().equals(Repomd.PATH)) {
                continue; // what Airlock never reads, and large
            }
            String algorithm = Checksums.algorithm(entry.checksumType()).orElseThrow(() -> new AirlockException(
                    ErrorCode.INVALID_INPUT, Repomd.PATH + ": <data type=\"" + entry.type() + "\"> has an unknown checksum type '"
                    + entry.checksumType() + "'"));
            Path target = RelativePaths.resolve(mirror, entry.location(), Repomd.PATH + " <data type=\"" + entry.type() + "\">");
            try {
                Files.createDirectories(target.getParent());
            } catch (IOException e) {
                throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot write " + target + ": " + e.getMessage(), e);
            }
            metadata.add(downloader.submit(Downloader.resolve(base, entry.location()),
                    Downloader.Expected.checksum(algorithm, entry.checksum(), OptionalLong.empty(), METADATA_BYTES), target));
        }
        for (Future<Downloader.Downloaded> file : metadata) {
            try {
                await(file);
            } catch (AirlockException e) {
                if (e.code() != ErrorCode.NOT_FOUND) {
                    throw e;
                }
            }
        }
        return directory;
    }

    /** Forces the package files moved into the store so far to disk: before the sync's commit. */
    void syncDownloads() {
        downloads.sync();
    }

    /**
     * The file of a package: already stored (found by primary's checksum), downloading (immediate
     * policy) or recorded with its URL (on demand). A {@code location_base} that is an http(s) URL is
     * where the file is; another base (a local medium) makes an on-demand file without a URL.
     */
    Future<IngestFile> packageFile(RpmPackage unit, String href, String where) throws InterruptedException {
        URI url;
        if (unit.locationBase() == null) {
            url = Downloader.resolve(base, href);
        } else {
            URI locationBase;
            try {
                locationBase = new URI(unit.locationBase());
            } catch (java.net.URISyntaxException e) {
                throw new AirlockException(ErrorCode.INVALID_INPUT, where + ": its xml:base is not a URL");
            }
            String scheme = locationBase.getScheme() == null ? "" : locationBase.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                return CompletableFuture.completedFuture(IngestFile.onDemand(href));
            }
            url = Downloader.resolve(Downloader.check(locationBase), href);
        }
        String algorithm = Checksums.algorithm(unit.checksumType()).orElseThrow();
        Long declared = unit.sizePackage();
        OptionalLong size = declared == null || declared <= 0 ? OptionalLong.empty() : OptionalLong.of(declared);
        RemoteFile remote = new RemoteFile(url, algorithm, unit.pkgId(), size);
        Optional<StoredArtifact> stored = downloads.find(remote);
        if (stored.isPresent()) {
            return CompletableFuture.completedFuture(IngestFile.stored(href, stored.get()));
        }
        if (policy == DownloadPolicy.ON_DEMAND) {
            return CompletableFuture.completedFuture(IngestFile.remote(href, remote));
        }
        ahead.acquire();
        Path target = packages.resolve(next++ + ".rpm");
        // Moved into the store as soon as it is verified, and kept there if the sync fails afterwards.
        return new Downloading(downloads.download(downloader, remote, PACKAGE_BYTES, target), href, where);
    }

    /** A package file being downloaded: the file to give the ingest once it is verified. */
    private final class Downloading extends CompletableFuture<IngestFile> {
        private final Future<StoredArtifact> download;
        private final String href;
        private final String where;

        Downloading(Future<StoredArtifact> download, String href, String where) {
            this.download = download;
            this.href = href;
            this.where = where;
        }

        @Override
        public IngestFile get() {
            StoredArtifact file;
            try {
                file = await(download);
            } catch (AirlockException e) {
                if (e.code() == ErrorCode.CANCELLED) {
                    throw e;
                }
                throw new AirlockException(e.code(), where + ": " + e.getMessage(), e);
            }
            return IngestFile.stored(href, file);
        }
    }

    /** Once the ingest took a file this gave: one more download may start. */
    void stored(Future<IngestFile> given, IngestFile file) {
        if (given instanceof Downloading) {
            ahead.release();
        }
    }

    private static <T> T await(Future<T> download) {
        try {
            return download.get();
        } catch (InterruptedException e) {
            throw Cancellation.cancelled("download", e);
        } catch (ExecutionException e) {
            throw Throwables.unchecked(e.getCause());
        }
    }

    @Override
    public void close() {
        try {
            downloader.close();
        } finally {
            try {
                downloads.close();
            } finally {
                work.close();
            }
        }
    }
}
