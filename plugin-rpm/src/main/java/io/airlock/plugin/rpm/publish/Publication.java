package io.airlock.plugin.rpm.publish;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link RpmPublisher} wrote: the directory, the packages in its metadata, how many of their
 * files it placed (and their bytes) and how many are on demand (metadata only), and the
 * {@code repodata/} files repomd.xml lists, in its order.
 */
public record Publication(Path directory, String version, long packages, long packageFiles, long packageBytes, long onDemand,
        List<RepodataFile> metadata, boolean signed) {

    public Publication {
        requireNonNull(directory, "directory");
        requireNonNull(version, "version");
        metadata = List.copyOf(metadata);
    }
}
