package io.airlock.core.ingest;

import io.airlock.spi.Content;
import java.util.List;

/**
 * Takes the units of one ingest ({@link Ingest}). A unit may refer (many-to-one) to a unit stored
 * in the installation, to a unit given earlier or later in the same ingest, or to a new instance
 * that only carries the referenced unit's natural-key fields: references are resolved by natural
 * key when the units are stored, whatever the order they were given in.
 */
public interface IngestSink {

    /**
     * Adds a unit with its files. The files' bytes are stored (and checked) before this returns;
     * the unit is written to the database in batches. The unit instance must not be changed after.
     */
    void add(Content unit, List<IngestFile> files);

    /**
     * Writes the units given so far now rather than once {@value Ingest#BATCH_SIZE} are pending:
     * for units so large that a full batch of them would not fit in memory, or for a plugin that
     * must know they are written before it frees what it holds for them. Units waiting for a
     * referenced unit keep waiting. Progress is reported ({@code "units"}, units given so far) when
     * something was written; nothing happens when no unit is pending.
     */
    void flush();

    /** Adds a unit with its files. */
    default void add(Content unit, IngestFile... files) {
        add(unit, List.of(files));
    }

    /**
     * Stores a file's bytes now and returns it as stored, with its SHA-256 and size: for a unit
     * that records its file's digest, which is known only once the bytes are read. Give the result
     * to {@link #add}; bytes stored but never added are removed if the ingest fails and otherwise
     * left to the orphan cleanup.
     *
     * <p>Unlike {@link #add}, this may be called from a second thread (one that reads and stores
     * files ahead while the ingest's thread adds units), provided that thread is stopped before the
     * work given to {@link Ingest#run} returns: the files it stored are then part of the ingest and
     * removed with it when it fails.
     */
    IngestFile store(IngestFile file);
}
