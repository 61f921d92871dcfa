package io.airlock.core.imports;

import static java.util.Objects.requireNonNull;

import io.airlock.core.trust.TrustedKeys;
import java.nio.file.Path;
import java.util.Map;

/**
 * What to import: an export ({@code NAME-toc.json} or {@code NAME.tar}), where each exported
 * repository goes ({@code mapping} from exported name to destination name; unmapped ones go to the
 * same name), whether missing destinations may be created, whether to change nothing, and the keys
 * trusted to sign it (added to the installation's own, {@link io.airlock.core.Airlock.Builder#trustedKeys}):
 * with any trusted key, only an export signed by one of them is read.
 */
public record ImportRequest(Path path, Map<String, String> mapping, boolean createRepositories, boolean dryRun,
        TrustedKeys trustedKeys) {

    public ImportRequest {
        requireNonNull(path, "path");
        mapping = Map.copyOf(mapping);
        requireNonNull(trustedKeys, "trustedKeys");
    }

    /** A request that adds no trusted keys to the installation's. */
    public ImportRequest(Path path, Map<String, String> mapping, boolean createRepositories, boolean dryRun) {
        this(path, mapping, createRepositories, dryRun, TrustedKeys.none());
    }

    public static ImportRequest of(Path path) {
        return new ImportRequest(path, Map.of(), false, false);
    }

    public ImportRequest mapping(String source, String destination) {
        Map<String, String> map = new java.util.HashMap<>(mapping);
        map.put(source, destination);
        return new ImportRequest(path, map, createRepositories, dryRun, trustedKeys);
    }

    public ImportRequest creatingRepositories() {
        return new ImportRequest(path, mapping, true, dryRun, trustedKeys);
    }

    public ImportRequest asDryRun() {
        return new ImportRequest(path, mapping, createRepositories, true, trustedKeys);
    }

    /** Also trusts these keys: the export must then be signed by one of them (or by a key of the installation). */
    public ImportRequest trusting(TrustedKeys keys) {
        return new ImportRequest(path, mapping, createRepositories, dryRun, trustedKeys.and(keys));
    }
}
