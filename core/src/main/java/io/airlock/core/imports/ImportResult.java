package io.airlock.core.imports;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an import did (or, for a dry run, would do).
 *
 * @param repositories each destination and the version created (empty when it already matched)
 * @param created new units per content type
 * @param reused units per content type that already existed
 * @param artifactsWritten artifacts stored
 * @param artifactsReused artifacts already in the store
 * @param bytesWritten bytes of the stored artifacts
 * @param signedBy the fingerprint of the trusted key whose signature was checked; empty when no keys are trusted
 */
public record ImportResult(List<ImportedRepository> repositories, Map<String, Long> created, Map<String, Long> reused,
        long artifactsWritten, long artifactsReused, long bytesWritten, boolean dryRun, Optional<String> signedBy) {

    public ImportResult {
        repositories = List.copyOf(repositories);
        created = Map.copyOf(created);
        reused = Map.copyOf(reused);
        java.util.Objects.requireNonNull(signedBy, "signedBy");
    }

    /** The result of an import whose signature was not checked. */
    public ImportResult(List<ImportedRepository> repositories, Map<String, Long> created, Map<String, Long> reused,
            long artifactsWritten, long artifactsReused, long bytesWritten, boolean dryRun) {
        this(repositories, created, reused, artifactsWritten, artifactsReused, bytesWritten, dryRun, Optional.empty());
    }

    /** This result, for an export signed by the key with this fingerprint. */
    public ImportResult signedBy(Optional<String> fingerprint) {
        return new ImportResult(repositories, created, reused, artifactsWritten, artifactsReused, bytesWritten, dryRun, fingerprint);
    }

    /** One destination repository. */
    public record ImportedRepository(String source, String destination, boolean createdRepository,
            Optional<Integer> version, long contentCount) {
    }

    public long units() {
        return created.values().stream().mapToLong(Long::longValue).sum() + reused.values().stream().mapToLong(Long::longValue).sum();
    }
}
