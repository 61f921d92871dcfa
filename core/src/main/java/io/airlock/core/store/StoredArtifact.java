package io.airlock.core.store;

import static java.util.Objects.requireNonNull;

/** An artifact file in the store: its sha256 (lower-case hex) and size in bytes. */
public record StoredArtifact(String sha256, long size) {

    public StoredArtifact {
        requireNonNull(sha256, "sha256");
        if (!Sha256.isHex(sha256)) {
            throw new IllegalArgumentException("not a lower-case hex sha256: " + sha256);
        }
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size + " for " + sha256);
        }
    }
}
