package io.airlock.spi;

/** What kind of failure an {@link AirlockException} reports; callers branch on this, not on classes. */
public enum ErrorCode {
    /** A request or file is malformed or contradicts itself. */
    INVALID_INPUT,
    /** A named thing (repository, version, unit, file) does not exist. */
    NOT_FOUND,
    /** The request conflicts with existing state (a repository name taken, a type mismatch). */
    CONFLICT,
    /** A plugin is missing, broken, duplicated or declares something Airlock cannot handle. */
    PLUGIN_INVALID,
    /** An archive is damaged, truncated, tampered with or of an unknown format. */
    ARCHIVE_INVALID,
    /**
     * An export is not signed by a trusted key while signatures are required: unsigned, a signature
     * that does not match, or one by a key that is not trusted.
     */
    UNTRUSTED,
    /** Bytes do not match their declared checksum or size. */
    CHECKSUM_MISMATCH,
    /** The artifact store could not read or write. */
    STORAGE_FAILURE,
    /** The database could not be reached or refused a statement. */
    DATABASE_FAILURE,
    /**
     * A remote server (a mirror being synced from) could not be reached, kept failing after the
     * retries, or answered a request with an error status.
     */
    REMOTE_FAILURE,
    /** The work was cancelled (the thread was interrupted). */
    CANCELLED,
    /**
     * The database could not give a lock in time, or gave up a transaction to resolve a conflict
     * with a concurrent one (lock timeout, deadlock, serialization failure). Nothing was changed;
     * the same request can be retried.
     */
    BUSY;

    /** Whether the same request may succeed when simply tried again later ({@link #BUSY}). */
    public boolean retryable() {
        return this == BUSY;
    }
}
