package io.airlock.core.imports;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;

/**
 * What to import: an export ({@code NAME-toc.json} or {@code NAME.tar}), where each exported
 * repository goes ({@code mapping} from exported name to destination name; unmapped ones go to the
 * same name), whether missing destinations may be created, and whether to change nothing.
 */
public record ImportRequest(Path path, Map<String, String> mapping, boolean createRepositories, boolean dryRun) {

    public ImportRequest {
        requireNonNull(path, "path");
        mapping = Map.copyOf(mapping);
    }

    public static ImportRequest of(Path path) {
        return new ImportRequest(path, Map.of(), false, false);
    }

    public ImportRequest mapping(String source, String destination) {
        Map<String, String> map = new java.util.HashMap<>(mapping);
        map.put(source, destination);
        return new ImportRequest(path, map, createRepositories, dryRun);
    }

    public ImportRequest creatingRepositories() {
        return new ImportRequest(path, mapping, true, dryRun);
    }

    public ImportRequest asDryRun() {
        return new ImportRequest(path, mapping, createRepositories, true);
    }
}
