package io.airlock.core.ingest;

import static java.util.Objects.requireNonNull;

import io.airlock.core.model.RepositoryVersion;
import java.util.Optional;

/**
 * What an ingest did: the new version (empty when the content equals the latest version's), how
 * many units were given and how many of them were new to the installation.
 */
public record IngestResult(Optional<RepositoryVersion> version, long units, long created) {

    public IngestResult {
        requireNonNull(version, "version");
    }
}
