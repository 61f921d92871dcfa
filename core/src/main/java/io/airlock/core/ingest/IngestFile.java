package io.airlock.core.ingest;

import static java.util.Objects.requireNonNull;

import io.airlock.core.remote.RemoteFile;
import io.airlock.core.store.StoredArtifact;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A file of a unit given to an {@link IngestSink}: its path relative to the unit (as a client will
 * see it) and where its bytes come from — a local file, a stream (read to its end and closed by the
 * sink), bytes the sink already stored ({@link IngestSink#store}), or nothing for a file fetched on
 * demand later. When a SHA-256 is given, the bytes are checked against it and a mismatch is refused
 * with {@code CHECKSUM_MISMATCH}.
 */
public final class IngestFile {

    private final String relativePath;
    private final Path file;
    private final InputStream stream;
    private final StoredArtifact stored;
    private final String sha256;
    private final RemoteFile remote;

    private IngestFile(String relativePath, Path file, InputStream stream, StoredArtifact stored, String sha256) {
        this(relativePath, file, stream, stored, sha256, null);
    }

    private IngestFile(String relativePath, Path file, InputStream stream, StoredArtifact stored, String sha256, RemoteFile remote) {
        this.relativePath = requireNonNull(relativePath, "relativePath");
        this.file = file;
        this.stream = stream;
        this.stored = stored;
        this.sha256 = sha256;
        this.remote = remote;
    }

    /** The bytes of a local file. */
    public static IngestFile of(String relativePath, Path file) {
        return new IngestFile(relativePath, requireNonNull(file, "file"), null, null, null);
    }

    /** The bytes of a local file, which must have this SHA-256 (lower-case hex). */
    public static IngestFile of(String relativePath, Path file, String sha256) {
        return new IngestFile(relativePath, requireNonNull(file, "file"), null, null, requireNonNull(sha256, "sha256"));
    }

    /** The bytes of a stream; the sink reads it to its end and closes it. */
    public static IngestFile of(String relativePath, InputStream stream) {
        return new IngestFile(relativePath, null, requireNonNull(stream, "stream"), null, null);
    }

    /** The bytes of a stream, which must have this SHA-256; the sink reads it to its end and closes it. */
    public static IngestFile of(String relativePath, InputStream stream, String sha256) {
        return new IngestFile(relativePath, null, requireNonNull(stream, "stream"), null, requireNonNull(sha256, "sha256"));
    }

    /** A file whose bytes are not stored now (on demand): the unit and its file are recorded, no artifact. */
    public static IngestFile onDemand(String relativePath) {
        return new IngestFile(relativePath, null, null, null, null);
    }

    /**
     * A file whose bytes are not stored now but can be downloaded later from {@code remote}: the unit
     * and its file are recorded without an artifact, and the remote location beside them
     * ({@code airlock download} fetches it).
     */
    public static IngestFile remote(String relativePath, RemoteFile remote) {
        return new IngestFile(relativePath, null, null, null, null, requireNonNull(remote, "remote"));
    }

    /**
     * Bytes already in the installation's artifact store (found there by their SHA-256, e.g. with
     * {@link io.airlock.core.store.ArtifactStore#contains}): nothing is read or written again.
     */
    public static IngestFile stored(String relativePath, StoredArtifact artifact) {
        return new IngestFile(relativePath, null, null, requireNonNull(artifact, "artifact"), artifact.sha256());
    }

    public String relativePath() {
        return relativePath;
    }

    /** The SHA-256 the bytes must have (given, or computed once {@link IngestSink#store stored}). */
    public Optional<String> sha256() {
        return Optional.ofNullable(sha256);
    }

    /** The size of bytes already stored; empty otherwise. */
    public OptionalLong size() {
        return stored == null ? OptionalLong.empty() : OptionalLong.of(stored.size());
    }

    /** Whether this file is recorded without bytes (on demand). */
    public boolean onDemand() {
        return file == null && stream == null && stored == null;
    }

    /** Where an on-demand file can be downloaded from, when known. */
    public Optional<RemoteFile> remote() {
        return Optional.ofNullable(remote);
    }

    Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    Optional<InputStream> stream() {
        return Optional.ofNullable(stream);
    }

    Optional<StoredArtifact> storedArtifact() {
        return Optional.ofNullable(stored);
    }

    @Override
    public String toString() {
        return relativePath + (file != null ? " from " + file : stream != null ? " from a stream" : stored != null
                ? " stored as " + stored.sha256() : remote != null ? " on demand from " + remote.url() : " on demand");
    }
}
