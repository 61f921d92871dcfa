package io.airlock.core.remote;

import static java.util.Objects.requireNonNull;

import io.airlock.core.Airlock;
import io.airlock.core.store.ArtifactBatch;
import io.airlock.core.store.FileSystemArtifactStore;
import io.airlock.core.store.StoredArtifact;
import io.airlock.spi.AirlockException;
import io.airlock.spi.Cancellation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a sync from a URL puts the files it downloads: each verified download is moved (renamed,
 * not copied) into the artifact store as soon as it completes, and kept there when the sync fails
 * or is cancelled, so the next sync finds it and does not download it again. The database is not
 * touched: a kept file no row names is an orphan that the next sync links, or that
 * {@code airlock cleanup} removes. The files are made durable together ({@link #sync()}, which the
 * sync calls before its commit, and again on {@link #close()}, so a kept file is never a leftover
 * cut short by a crash); a file whose durability cannot be ensured is removed.
 *
 * <p>Files whose metadata checksum is not SHA-256 (an RPM repository made with
 * {@code createrepo_c --checksum sha512}, sha1 or md5) are found through a small index in the store,
 * {@code digests/ALGORITHM/ab/cdef…} holding the SHA-256 the file is stored under; a file found
 * there is hashed again with the metadata's algorithm before it is used, so the index is only ever a
 * hint (a stale or damaged entry costs a download, never a wrong file).
 */
public final class DownloadedFiles implements AutoCloseable {

    /** The index's folder under the artifact store's root. */
    public static final String DIGESTS = "digests";
    private static final Logger LOG = LoggerFactory.getLogger(DownloadedFiles.class);

    private final Airlock airlock;
    private final ArtifactBatch batch;
    private final Path digests;
    private boolean closed;

    private DownloadedFiles(Airlock airlock) {
        this.airlock = airlock;
        this.digests = ((FileSystemArtifactStore) airlock.artifacts()).root().resolve(DIGESTS);
        this.batch = airlock.artifacts().batch();
    }

    /** Starts keeping downloads in {@code airlock}'s store; close it when the sync ends, however it ends. */
    public static DownloadedFiles open(Airlock airlock) {
        return new DownloadedFiles(requireNonNull(airlock, "airlock"));
    }

    /**
     * The stored file that {@code remote} describes, when the store has it: by its SHA-256, or, for
     * another algorithm, through the index and hashed again to check it.
     */
    public Optional<StoredArtifact> find(RemoteFile remote) {
        String sha256 = remote.algorithm().equals("SHA-256") ? remote.checksum() : indexed(remote).orElse(null);
        if (sha256 == null || !airlock.artifacts().contains(sha256)) {
            return Optional.empty();
        }
        try {
            Path file = airlock.artifacts().path(sha256);
            long size = Files.size(file);
            if (!remote.algorithm().equals("SHA-256")) {
                // Found through the index, a hint: the file must be what the metadata describes.
                if (remote.size().isPresent() && remote.size().getAsLong() != size
                        || !remote.checksum().equals(digest(file, remote.algorithm()))) {
                    return Optional.empty();
                }
            }
            return Optional.of(new StoredArtifact(sha256, size));
        } catch (IOException | AirlockException e) {
            return Optional.empty(); // removed meanwhile: downloaded again
        }
    }

    /**
     * Downloads {@code remote} to {@code target} on one of {@code downloader}'s threads and keeps it
     * there as soon as it is verified ({@link #keep}).
     */
    public Future<StoredArtifact> download(Downloader downloader, RemoteFile remote, long maxBytes, Path target) {
        return downloader.submit(remote.url(), remote.expected(maxBytes), target, file -> keep(file, remote));
    }

    /**
     * Moves a verified download of {@code remote} into the store (the downloaded file is gone
     * afterwards) and, when its checksum is not SHA-256, records it in the index. Safe to call from
     * several threads.
     */
    public synchronized StoredArtifact keep(Downloader.Downloaded file, RemoteFile remote) {
        StoredArtifact stored = batch.adopt(file.file(), file.sha256());
        if (!remote.algorithm().equals("SHA-256")) {
            index(remote, stored.sha256());
        }
        return stored;
    }

    /** Forces the files kept so far to disk: before the commit of rows that name them. */
    public synchronized void sync() {
        batch.sync();
    }

    /**
     * Makes the kept files durable (removing them, as a failed batch's, if that fails) and ends
     * the bookkeeping. Runs with the interrupt status cleared: a cancelled sync keeps its files too.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Cancellation.runUninterrupted(() -> {
            try {
                batch.sync();
            } catch (RuntimeException | Error e) {
                LOG.warn("cannot force downloaded files to disk, removing them: {}", e.toString());
                airlock.discardUnrecorded(batch);
            } finally {
                batch.close();
            }
        });
    }

    private Path entry(String algorithm, String checksum) {
        String name = algorithm.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        return digests.resolve(name).resolve(checksum.substring(0, 2)).resolve(checksum.substring(2));
    }

    private Optional<String> indexed(RemoteFile remote) {
        try {
            String sha256 = Files.readString(entry(remote.algorithm(), remote.checksum()), StandardCharsets.US_ASCII).strip();
            return io.airlock.core.store.Sha256.isHex(sha256) ? Optional.of(sha256) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Best effort: without an entry the file is downloaded again next time, nothing worse. */
    private void index(RemoteFile remote, String sha256) {
        Path entry = entry(remote.algorithm(), remote.checksum());
        try {
            Files.createDirectories(entry.getParent());
            Path temporary = entry.resolveSibling(entry.getFileName() + "." + io.airlock.spi.Ids.next() + ".part");
            Files.writeString(temporary, sha256, StandardCharsets.US_ASCII);
            Files.move(temporary, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.debug("cannot index {} {}: {}", remote.algorithm(), remote.checksum(), e.toString());
        }
    }

    private static String digest(Path file, String algorithm) throws IOException {
        MessageDigest digest = Downloader.digest(algorithm);
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
