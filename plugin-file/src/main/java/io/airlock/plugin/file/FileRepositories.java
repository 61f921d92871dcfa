package io.airlock.plugin.file;

import static java.util.Objects.requireNonNull;

import io.airlock.core.Airlock;
import io.airlock.core.content.ContentFiles;
import io.airlock.core.content.ContentWriter.UnitFile;
import io.airlock.core.ingest.Ingest;
import io.airlock.core.ingest.IngestFile;
import io.airlock.core.ingest.IngestSink;
import io.airlock.core.remote.DownloadPolicy;
import io.airlock.core.remote.DownloadedFiles;
import io.airlock.core.remote.Downloader;
import io.airlock.core.remote.RemoteFile;
import io.airlock.core.remote.RemoteOptions;
import io.airlock.core.model.Repository;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.core.repository.VersionRef;
import io.airlock.core.store.LocalDirectory;
import io.airlock.core.store.OutputDirectory;
import io.airlock.core.store.RelativePaths;
import io.airlock.core.store.StagingDirectory;
import io.airlock.core.store.StoredArtifact;
import io.airlock.spi.AirlockException;
import io.airlock.spi.Cancellation;
import io.airlock.spi.Content;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ProgressListener;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.Session;

/**
 * File repositories: ingest a directory ({@link #add}, {@link #sync}) or a published repository from a
 * server ({@link #sync(String, URI, RemoteOptions, DownloadPolicy, ProgressListener)}) and publish a version as a
 * directory tree with a {@code PULP_MANIFEST} ({@link #publish}). Interrupting the thread cancels
 * any of them within about a second: it ends with {@link ErrorCode#CANCELLED} and leaves no
 * version, rows, stored files, staging folders or output.
 */
public final class FileRepositories {

    /** Name of the manifest a publication carries: one {@code relative_path,sha256,size} line per file. */
    public static final String MANIFEST = "PULP_MANIFEST";

    private final Airlock airlock;

    public FileRepositories(Airlock airlock) {
        this.airlock = requireNonNull(airlock, "airlock");
    }

    /** A new version: the latest plus every file under {@code directory} (same paths replaced); symbolic links refused. */
    public Optional<RepositoryVersion> add(String repository, Path directory, ProgressListener progress) {
        return add(repository, directory, LocalDirectory.Options.DEFAULT, progress);
    }

    /**
     * A new version: the latest plus every file under {@code directory} (same paths replaced). Only
     * regular files are read; symbolic links are refused unless {@code options} follow them, and
     * then only those whose target stays inside the directory. Nothing changes when one is refused.
     */
    public Optional<RepositoryVersion> add(String repository, Path directory, LocalDirectory.Options options,
            ProgressListener progress) {
        return Cancellation.guard("file add", () -> ingest(repository, directory, options, Ingest.Mode.ADD, progress));
    }

    /** A new version holding exactly the files under {@code directory}; symbolic links refused. */
    public Optional<RepositoryVersion> sync(String repository, Path directory, ProgressListener progress) {
        return sync(repository, directory, LocalDirectory.Options.DEFAULT, progress);
    }

    /** A new version holding exactly the files under {@code directory}, read as {@link #add} reads it. */
    public Optional<RepositoryVersion> sync(String repository, Path directory, LocalDirectory.Options options,
            ProgressListener progress) {
        return Cancellation.guard("file sync", () -> ingest(repository, directory, options, Ingest.Mode.MIRROR, progress));
    }

    /** Largest {@value #MANIFEST} downloaded. */
    static final long MANIFEST_BYTES = 1L << 30;

    /**
     * A new version holding exactly the files of the file repository published at {@code url} (an
     * http:// or https:// base holding a {@value #MANIFEST}, as {@link #publish} writes one). With
     * {@link DownloadPolicy#IMMEDIATE} every file is downloaded ({@link RemoteOptions#connections()}
     * at once) and verified against its sha256 and size before it is stored; with
     * {@link DownloadPolicy#ON_DEMAND} each is recorded with its URL for {@code Airlock.download}.
     * Files already in the artifact store are not downloaded again. All or nothing in the database:
     * a bad manifest line, a file that cannot be downloaded or does not match leaves no version, and
     * the error names the line or the file and URL; the files downloaded and verified before the
     * failure stay in the artifact store ({@link DownloadedFiles}), so the next sync does not
     * download them again ({@code airlock cleanup} removes them if none follows).
     */
    public Optional<RepositoryVersion> sync(String repository, URI url, RemoteOptions options, DownloadPolicy policy,
            ProgressListener progress) {
        requireNonNull(policy, "policy");
        return Cancellation.guard("file sync", () -> {
            checkFileRepository(repository);
            URI base = Downloader.check(url);
            try (StagingDirectory work = airlock.workArea().temporary("file-sync-");
                    DownloadedFiles downloads = DownloadedFiles.open(airlock);
                    Downloader downloader = Downloader.open(options, progress)) {
                Path manifest = work.path().resolve(MANIFEST);
                URI manifestUrl = Downloader.resolve(base, MANIFEST);
                try {
                    downloader.fetch(manifestUrl, Downloader.Expected.unverified(MANIFEST_BYTES), manifest);
                } catch (AirlockException e) {
                    if (e.code() == ErrorCode.NOT_FOUND) {
                        throw new AirlockException(ErrorCode.NOT_FOUND, base + " is not a file repository: " + manifestUrl
                                + " is not found", e);
                    }
                    throw e;
                }
                Optional<RepositoryVersion> version = airlock.ingest(repository, Ingest.Mode.MIRROR, ProgressListener.NONE,
                        sink -> new RemoteSync(sink, downloader, downloads, base, policy, work.path()).run(manifest, manifestUrl))
                        .version();
                downloader.reportProgress();
                return version;
            }
        });
    }

    /** One sync from a server: the manifest's files given to the sink, downloads a bounded window ahead. */
    private final class RemoteSync {
        private final IngestSink sink;
        private final Downloader downloader;
        private final DownloadedFiles downloads;
        private final URI base;
        private final DownloadPolicy policy;
        private final Path work;
        private final java.util.ArrayDeque<Map.Entry<Manifest.Entry, Future<StoredArtifact>>> window = new java.util.ArrayDeque<>();
        private final int ahead;
        private long next;

        RemoteSync(IngestSink sink, Downloader downloader, DownloadedFiles downloads, URI base, DownloadPolicy policy, Path work) {
            this.sink = sink;
            this.downloader = downloader;
            this.downloads = downloads;
            this.base = base;
            this.policy = policy;
            this.work = work;
            this.ahead = 4 * downloader.options().connections();
        }

        void run(Path manifest, URI manifestUrl) {
            try (java.io.Reader in = Files.newBufferedReader(manifest, StandardCharsets.UTF_8)) {
                Manifest.read(in, manifestUrl.toString(), this::file);
            } catch (IOException e) {
                throw new AirlockException(ErrorCode.INVALID_INPUT, manifestUrl + ": cannot be read as UTF-8 text: " + e.getMessage(), e);
            }
            while (!window.isEmpty()) {
                addOldest();
            }
            downloads.sync(); // before the ingest commits rows naming the files
        }

        private void file(Manifest.Entry entry) {
            String path = entry.relativePath();
            URI url = Downloader.resolve(base, path);
            RemoteFile remote = new RemoteFile(url, "SHA-256", entry.sha256(), java.util.OptionalLong.of(entry.size()));
            Optional<StoredArtifact> stored = downloads.find(remote);
            if (stored.isPresent()) {
                sink.add(new FileContent(path, entry.sha256()), IngestFile.stored(path, stored.get()));
                return;
            }
            if (policy == DownloadPolicy.ON_DEMAND) {
                sink.add(new FileContent(path, entry.sha256()), IngestFile.remote(path, remote));
                return;
            }
            // Kept in the store as soon as it is verified, even if the sync fails afterwards.
            window.add(Map.entry(entry, downloads.download(downloader, remote, entry.size(), work.resolve(next++ + ".part"))));
            if (window.size() >= ahead) {
                addOldest();
            }
        }

        /** Waits for the oldest download and gives its file to the sink. */
        private void addOldest() {
            Map.Entry<Manifest.Entry, Future<StoredArtifact>> oldest = window.poll();
            String path = oldest.getKey().relativePath();
            StoredArtifact file;
            try {
                file = oldest.getValue().get();
            } catch (InterruptedException e) {
                throw Cancellation.cancelled("file sync", e);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof AirlockException failure && failure.code() != ErrorCode.CANCELLED) {
                    throw new AirlockException(failure.code(), "file '" + RelativePaths.printable(path) + "': " + failure.getMessage(),
                            failure);
                }
                throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
            }
            sink.add(new FileContent(path, file.sha256()), IngestFile.stored(path, file));
        }
    }

    private Optional<RepositoryVersion> ingest(String name, Path directory, LocalDirectory.Options options, Ingest.Mode mode,
            ProgressListener progress) {
        checkFileRepository(name);
        LocalDirectory local = LocalDirectory.open(directory, options);
        long[] done = {0};
        Optional<RepositoryVersion> version = airlock.ingest(name, mode, ProgressListener.NONE, sink -> local.walk((relativePath, file) -> {
            IngestFile stored;
            try {
                stored = sink.store(IngestFile.of(relativePath, local.open(file)));
            } catch (IOException e) {
                throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot read " + file + ": " + e.getMessage(), e);
            }
            sink.add(new FileContent(relativePath, stored.sha256().orElseThrow()), stored);
            if (++done[0] % Ingest.BATCH_SIZE == 0) {
                progress.progress("files", done[0], -1);
            }
        })).version();
        progress.progress("files", done[0], done[0]);
        return version;
    }

    /** What a publication wrote. */
    public record Publication(Path directory, long files, long bytes) {
    }

    /**
     * Writes a version's files under {@code outputDirectory} (which must not exist or be empty) and
     * a {@value #MANIFEST}. Written to a temporary sibling first, so a failure leaves nothing.
     */
    public Publication publish(VersionRef ref, Path outputDirectory) {
        // One read-only transaction: the version and the links of its units are read on one connection.
        return Cancellation.guard("file publish", () -> airlock.inRolledBackTransaction(session -> publish(session, ref, outputDirectory)));
    }

    private Publication publish(Session session, VersionRef ref, Path outputDirectory) {
        checkFileRepository(session, ref.repository());
        RepositoryVersion version = airlock.repositories().versionForReading(session, ref); // kept until published
        Path target = outputDirectory.toAbsolutePath().normalize();
        return OutputDirectory.write(airlock.workArea(), outputDirectory, ref.toString(), staging -> {
            long[] totals = {0, 0};
            try (BufferedWriter manifest = Files.newBufferedWriter(staging.resolve(MANIFEST), StandardCharsets.UTF_8)) {
                airlock.repositories().scanContent(session, version, FileContent.class, Ingest.BATCH_SIZE,
                        batch -> writeBatch(session, batch, staging, manifest, totals));
            }
            return new Publication(target, totals[0], totals[1]);
        });
    }

    private void writeBatch(Session session, List<FileContent> batch, Path staging, BufferedWriter manifest, long[] totals) {
        List<UUID> ids = batch.stream().map(Content::id).toList();
        Map<UUID, List<UnitFile>> files = ContentFiles.of(session, ids);
        try {
            for (FileContent file : batch) {
                Cancellation.check("file publish");
                for (UnitFile unitFile : files.getOrDefault(file.id(), List.of())) {
                    StoredArtifact artifact = unitFile.artifact().orElseThrow(() -> new AirlockException(ErrorCode.NOT_FOUND,
                            "file " + file.relativePath() + " is on demand: its bytes are not in the artifact store"));
                    Path destination = RelativePaths.resolve(staging, unitFile.relativePath(), "file " + file.relativePath());
                    Files.createDirectories(destination.getParent());
                    try (InputStream in = airlock.artifacts().open(artifact.sha256())) {
                        Files.copy(in, destination);
                    }
                    manifest.write(csv(unitFile.relativePath()) + "," + artifact.sha256() + "," + artifact.size() + "\n");
                    totals[0]++;
                    totals[1] += artifact.size();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Quotes a CSV field when it holds a comma, quote or line break. */
    private static String csv(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    private void checkFileRepository(String name) {
        checkFileRepository(airlock.repositories().get(name));
    }

    private void checkFileRepository(Session session, String name) {
        checkFileRepository(airlock.repositories().get(session, name));
    }

    private static void checkFileRepository(Repository repository) {
        String name = repository.name();
        if (!repository.family().equals(FilePlugin.NAME)) {
            throw new AirlockException(ErrorCode.CONFLICT, "repository '" + name + "' holds " + repository.family()
                    + " content, not file content");
        }
    }
}
