package io.airlock.core.store;

import java.io.InputStream;
import java.util.Optional;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A group of artifact writes made durable together: each file is verified and renamed into place
 * as it is written, but forced to disk only by {@link #sync()}, once for the whole group, which is
 * several times faster than forcing each small file. Call {@code sync()} before committing rows
 * that name the files; after a failure, {@link #discard} removes what the batch created.
 */
public interface ArtifactBatch extends AutoCloseable {

    /**
     * Like {@link ArtifactStore#put(InputStream, Optional)}, without forcing the file to disk yet.
     * Safe to call from several threads at once (an import stores small artifacts from two).
     */
    StoredArtifact put(InputStream in, Optional<String> expectedSha256);

    /**
     * Like {@link #put(InputStream, Optional)} for bytes already in memory, which must have the
     * sha256 {@code expectedSha256}; a store may write them with fewer file operations.
     */
    default StoredArtifact put(byte[] bytes, String expectedSha256) {
        return put(new java.io.ByteArrayInputStream(bytes), Optional.of(expectedSha256));
    }

    /**
     * Moves {@code file} into the store as the artifact {@code sha256}, which the caller computed
     * while writing it (a verified download): renamed into place when it is on the store's
     * filesystem (its work area is), copied and verified otherwise. The file is gone afterwards.
     * Like {@link #put}, not forced to disk before {@link #sync()}.
     */
    StoredArtifact adopt(java.nio.file.Path file, String sha256);

    /** Forces every file written by this batch, and their directories, to disk. */
    void sync();

    /**
     * Removes the files this batch created, except those {@code keep} returns: it is called with
     * up to 1,000 sha256s at a time and answers which to keep (e.g. those rows still name).
     */
    void discard(Function<List<String>, Set<String>> keep);

    /** Number of files this batch created (not counting artifacts that were already stored). */
    long created();

    /** Releases the batch's bookkeeping; does not remove files. */
    @Override
    void close();
}
