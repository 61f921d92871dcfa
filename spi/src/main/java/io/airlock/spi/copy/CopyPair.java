package io.airlock.spi.copy;

import io.airlock.spi.Content;
import java.util.List;

/** One source → destination entry of a copy request, with the units selected from its source. */
public interface CopyPair {

    /** Position of the entry in the request's {@code config} list, from 0. */
    int index();

    /** The source repository version. */
    VersionContent source();

    /**
     * The destination at its base version, as it is before the copy. Several pairs may share a
     * destination; what it provides counts as satisfied for every pair.
     */
    VersionContent destination();

    /**
     * The units the request names from the source (the whole version when the entry has no
     * {@code content}; none for {@code content: []}), sorted by type and label. Loaded into
     * {@link CopyProblem#session()} on the first call.
     */
    List<Content> selected();

    /**
     * Whether the entry selects its source's whole version (no {@code content}). A policy that can
     * work from {@link #source()} alone should then not call {@link #selected()}, which loads every
     * unit of the version at once.
     */
    default boolean wholeVersion() {
        return false;
    }
}
