package io.airlock.core.export;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an export wrote (or, for a dry run, would write).
 *
 * @param name the export's base name
 * @param toc the table of contents written; empty for a dry run
 * @param repositories each exported repository version and its base
 * @param content units per content type carried
 * @param artifacts artifact files carried
 * @param artifactBytes their total size
 * @param contentArtifacts content–artifact links carried
 * @param files the files written (chunks, or the one tar); estimated for a dry run
 * @param bytes the size of the tar stream; estimated for a dry run
 */
public record ExportResult(String name, Optional<Path> toc, List<ExportedRepository> repositories,
        Map<String, Long> content, long artifacts, long artifactBytes, long contentArtifacts, int files, long bytes) {

    public ExportResult {
        repositories = List.copyOf(repositories);
        content = Map.copyOf(content);
    }

    /** One exported repository version. */
    public record ExportedRepository(String name, String family, int version, Optional<Integer> baseVersion, long contentCount) {
    }

    public long units() {
        return content.values().stream().mapToLong(Long::longValue).sum();
    }
}
