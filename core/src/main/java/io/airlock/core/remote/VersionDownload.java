package io.airlock.core.remote;

import static java.util.Objects.requireNonNull;

import io.airlock.core.Airlock;
import io.airlock.core.Throwables;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.core.repository.VersionRef;
import io.airlock.core.store.StagingDirectory;
import io.airlock.core.store.StoredArtifact;
import io.airlock.spi.AirlockException;
import io.airlock.spi.Cancellation;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ProgressListener;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Downloads the files of a version's on-demand units from the remote locations their sync
 * recorded ({@code remote_artifact}), verifies each against its checksum and size, stores it and
 * fills its link, so the version can be exported or published with its files.
 *
 * <p>Resumable rather than all or nothing: the files are handled {@value #CHUNK} at a time, and
 * each group is made durable and recorded in one transaction before the next begins. A failure
 * (or cancellation) keeps the groups recorded before it and records nothing of the group it
 * interrupted, but the files of that group already downloaded stay in the artifact store
 * ({@link DownloadedFiles}); running the download again fetches only what is still missing. Files
 * already in the artifact store (by their checksum) are linked without a download; downloaded
 * files are moved, not copied, into the store.
 */
public final class VersionDownload {

    /** Files downloaded and recorded together. */
    static final int CHUNK = 500;
    /** Largest file downloaded when its size is not recorded. */
    static final long MAX_BYTES = 64L << 30;

    private final Airlock airlock;

    public VersionDownload(Airlock airlock) {
        this.airlock = requireNonNull(airlock, "airlock");
    }

    /** What a download did: the version, files downloaded (and their bytes), files found already stored. */
    public record Result(VersionRef version, long downloaded, long bytes, long alreadyStored) {
        public Result {
            requireNonNull(version, "version");
        }
    }

    /** An on-demand link of the version with its remote location. */
    private record Link(UUID id, String unit, String path, RemoteFile remote) {
    }

    /**
     * Downloads the on-demand files of {@code ref}. Refused before anything is downloaded, naming the
     * first one and the count, when some on-demand file has no remote location (synced from a
     * directory, or imported).
     */
    public Result run(VersionRef ref, RemoteOptions options, ProgressListener progress) {
        requireNonNull(ref, "ref");
        requireNonNull(options, "options");
        requireNonNull(progress, "progress");
        String what = "download of " + ref;
        return Cancellation.guard(what, () -> {
            RepositoryVersion version = airlock.repositories().version(ref);
            VersionRef pinned = VersionRef.of(ref.repository(), version.number());
            long[] totals = checkRemotes(version, pinned);
            long downloaded = 0;
            long bytes = 0;
            long alreadyStored = 0;
            try (StagingDirectory work = airlock.workArea().temporary("download-");
                    DownloadedFiles downloads = DownloadedFiles.open(airlock);
                    Downloader downloader = Downloader.open(options, progress)) {
                downloader.expectBytes(totals[1]);
                // The next group's downloads start before this group is stored, so the network never waits for the disk.
                long[] names = {0};
                List<Link> current = chunk(version, pinned, new UUID(0, 0)); // the least in the databases' order (unsigned bytes)
                List<Pending> files = submit(current, downloads, downloader, work.path(), names);
                while (!current.isEmpty()) {
                    List<Link> next = chunk(version, pinned, current.get(current.size() - 1).id());
                    List<Pending> nextFiles = submit(next, downloads, downloader, work.path(), names);
                    long[] done = store(current, files, downloads, what);
                    downloaded += done[0];
                    bytes += done[1];
                    alreadyStored += done[2];
                    current = next;
                    files = nextFiles;
                }
                downloader.reportProgress();
            }
            return new Result(pinned, downloaded, bytes, alreadyStored);
        });
    }

    private static final String LINKS = " from repository_content rc join content_artifact ca on ca.content_id = rc.content_id"
            + " join content c on c.id = ca.content_id left join remote_artifact r on r.content_artifact_id = ca.id"
            + " where rc.repository_id = ? and rc.version_added <= ? and (rc.version_removed is null or rc.version_removed > ?)"
            + " and ca.artifact_id is null";

    /** Refuses on-demand files without a remote location; returns their count and the bytes to download. */
    private long[] checkRemotes(RepositoryVersion version, VersionRef pinned) {
        return airlock.inRolledBackTransaction(session -> session.doReturningWork(c -> {
            long missing;
            String first = null;
            try (PreparedStatement count = prepare(c, "select count(*)" + LINKS + " and r.content_artifact_id is null", version);
                    ResultSet rows = count.executeQuery()) {
                rows.next();
                missing = rows.getLong(1);
            }
            if (missing > 0) {
                try (PreparedStatement one = prepare(c, "select c.content_type, c.label, ca.relative_path" + LINKS
                        + " and r.content_artifact_id is null order by c.label, ca.relative_path", version)) {
                    one.setMaxRows(1);
                    try (ResultSet rows = one.executeQuery()) {
                        rows.next();
                        first = rows.getString(1) + ":" + rows.getString(2) + " (file " + rows.getString(3) + ")";
                    }
                }
                throw new AirlockException(ErrorCode.NOT_FOUND, String.format(java.util.Locale.ROOT,
                        "%,d on-demand %s of %s %s no remote location to download from, the first %s; sync it from a URL with"
                        + " the on-demand policy first", missing, missing == 1 ? "file" : "files", pinned, missing == 1 ? "has" : "have",
                        first));
            }
            try (PreparedStatement sum = prepare(c, "select count(*), coalesce(sum(r.size), 0)" + LINKS, version);
                    ResultSet rows = sum.executeQuery()) {
                rows.next();
                return new long[] {rows.getLong(1), rows.getLong(2)};
            }
        }));
    }

    private static PreparedStatement prepare(Connection c, String sql, RepositoryVersion version) throws SQLException {
        PreparedStatement statement = c.prepareStatement(sql);
        statement.setObject(1, version.repositoryId());
        statement.setInt(2, version.number());
        statement.setInt(3, version.number());
        return statement;
    }

    /** The next {@value #CHUNK} on-demand links after {@code after}, by id. */
    private List<Link> chunk(RepositoryVersion version, VersionRef pinned, UUID after) {
        return airlock.inRolledBackTransaction(session -> {
            // Not deleted while its links are read (NOT_FOUND when it was deleted since the last group).
            airlock.repositories().versionForReading(session, pinned);
            return session.doReturningWork(c -> links(c, version, after));
        });
    }

    private static List<Link> links(Connection c, RepositoryVersion version, UUID after) throws SQLException {
        List<Link> links = new ArrayList<>();
        try (PreparedStatement select = prepare(c, "select ca.id, c.content_type, c.label, ca.relative_path, r.url, r.algorithm,"
                + " r.checksum, r.size" + LINKS + " and ca.id > ? order by ca.id", version)) {
            select.setObject(4, after);
            select.setMaxRows(CHUNK);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    long size = rows.getLong(8);
                    OptionalLong known = rows.wasNull() ? OptionalLong.empty() : OptionalLong.of(size);
                    String unit = rows.getString(2) + ":" + rows.getString(3);
                    RemoteFile remote;
                    try {
                        remote = new RemoteFile(URI.create(rows.getString(5)), rows.getString(6), rows.getString(7), known);
                    } catch (IllegalArgumentException | AirlockException e) {
                        throw new AirlockException(ErrorCode.INVALID_INPUT, unit + " (file " + rows.getString(4)
                                + "): its recorded remote location is not valid: " + e.getMessage(), e);
                    }
                    links.add(new Link(rows.getObject(1, UUID.class), unit, rows.getString(4), remote));
                }
            }
        }
        return links;
    }

    /** A file of a group: found in the store, or being downloaded. */
    private record Pending(StoredArtifact found, Future<StoredArtifact> download) {
    }

    /** Starts the downloads of a group, but of files already stored. */
    private List<Pending> submit(List<Link> chunk, DownloadedFiles downloads, Downloader downloader, Path work, long[] names) {
        List<Pending> files = new ArrayList<>(chunk.size());
        for (Link link : chunk) {
            RemoteFile remote = link.remote();
            Optional<StoredArtifact> found = downloads.find(remote);
            files.add(found.isPresent() ? new Pending(found.get(), null)
                    : new Pending(null, downloads.download(downloader, remote, MAX_BYTES, work.resolve(names[0]++ + ".part"))));
        }
        return files;
    }

    /**
     * Waits for a group's downloads (each moved into the store as it completed, and kept there
     * whatever happens to the others), then makes them durable and fills the group's links in one transaction;
     * returns files, bytes, already stored.
     */
    private long[] store(List<Link> chunk, List<Pending> files, DownloadedFiles downloads, String what) {
        long alreadyStored = 0;
        long downloaded = 0;
        long bytes = 0;
        Map<UUID, StoredArtifact> stored = new LinkedHashMap<>();
        for (int i = 0; i < chunk.size(); i++) {
            Cancellation.check(what);
            Link link = chunk.get(i);
            Pending file = files.get(i);
            if (file.found() != null) {
                alreadyStored++;
                stored.put(link.id(), file.found());
                continue;
            }
            StoredArtifact download = await(file.download(), link, what); // kept as it completed
            downloaded++;
            bytes += download.size();
            stored.put(link.id(), download);
        }
        downloads.sync();
        airlock.inTransaction(session -> session.doReturningWork(c -> record(c, stored)));
        return new long[] {downloaded, bytes, alreadyStored};
    }

    private int record(Connection c, Map<UUID, StoredArtifact> stored) throws SQLException {
        Map<String, StoredArtifact> artifacts = new LinkedHashMap<>();
        stored.values().forEach(a -> artifacts.putIfAbsent(a.sha256(), a));
        Map<String, UUID> ids = airlock.contentWriter().artifactIds(c, artifacts);
        try (PreparedStatement fill = c.prepareStatement("update content_artifact set artifact_id = ? where id = ? and artifact_id is null")) {
            for (Map.Entry<UUID, StoredArtifact> link : stored.entrySet()) {
                fill.setObject(1, ids.get(link.getValue().sha256()));
                fill.setObject(2, link.getKey());
                fill.addBatch();
            }
            int filled = 0;
            for (int n : fill.executeBatch()) {
                filled += Math.max(n, 0);
            }
            return filled;
        }
    }

    private static StoredArtifact await(Future<StoredArtifact> file, Link link, String what) {
        try {
            return file.get();
        } catch (InterruptedException e) {
            throw Cancellation.cancelled(what, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AirlockException failure && failure.code() != ErrorCode.CANCELLED) {
                throw new AirlockException(failure.code(), link.unit() + " (file " + link.path() + "): " + failure.getMessage(), failure);
            }
            throw Throwables.unchecked(e.getCause());
        }
    }
}
