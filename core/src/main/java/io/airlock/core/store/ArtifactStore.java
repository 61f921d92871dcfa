package io.airlock.core.store;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Content-addressed storage of artifact files. Writes are atomic and durable: a file appears under
 * its sha256 only once its bytes are verified and on disk, and writing an artifact that is already
 * stored changes nothing.
 */
public interface ArtifactStore {

    /**
     * Stores the bytes of {@code in} (read to the end, not closed). When {@code expectedSha256} is
     * given, bytes with another digest are refused with a {@code CHECKSUM_MISMATCH} error and nothing
     * is stored.
     */
    StoredArtifact put(InputStream in, Optional<String> expectedSha256);

    /** Stores a copy of a file. */
    StoredArtifact put(Path file, Optional<String> expectedSha256);

    /** Starts a group of writes that are made durable together; see {@link ArtifactBatch}. */
    ArtifactBatch batch();

    boolean contains(String sha256);

    /** Opens a stored artifact for reading; {@code NOT_FOUND} if absent. */
    InputStream open(String sha256);

    /** The file holding a stored artifact, for zero-copy transfers; {@code NOT_FOUND} if absent. */
    Path path(String sha256);

    /** Removes a stored artifact; no-op when absent. */
    void delete(String sha256);

    /** Visits every stored artifact last modified before {@code olderThan}, in no particular order. */
    void forEach(Instant olderThan, Consumer<String> sha256Visitor);
}
