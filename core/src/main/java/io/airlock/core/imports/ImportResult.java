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
 */
public record ImportResult(List<ImportedRepository> repositories, Map<String, Long> created, Map<String, Long> reused,
        long artifactsWritten, long artifactsReused, long bytesWritten, boolean dryRun) {

    public ImportResult {
        repositories = List.copyOf(repositories);
        created = Map.copyOf(created);
        reused = Map.copyOf(reused);
    }

    /** One destination repository. */
    public record ImportedRepository(String source, String destination, boolean createdRepository,
            Optional<Integer> version, long contentCount) {
    }

    public long units() {
        return created.values().stream().mapToLong(Long::longValue).sum() + reused.values().stream().mapToLong(Long::longValue).sum();
    }
}
