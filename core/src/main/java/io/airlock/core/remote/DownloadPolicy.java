package io.airlock.core.remote;

/** When a sync from a remote repository downloads the units' files. */
public enum DownloadPolicy {
    /** Every file is downloaded (and verified) during the sync. */
    IMMEDIATE,
    /**
     * Metadata only: each file is recorded with its remote URL, checksum and size, to be downloaded
     * later ({@code airlock download}, {@code export --download}).
     */
    ON_DEMAND
}
