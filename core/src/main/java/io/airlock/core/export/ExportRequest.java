package io.airlock.core.export;

import static java.util.Objects.requireNonNull;

import io.airlock.core.repository.VersionRef;
import io.airlock.core.trust.SigningKey;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What to export: repository versions, where, and against which bases.
 *
 * @param versions the versions to export (a repository at most once)
 * @param directory where the export's files go
 * @param name the export's base name; generated from the time when empty
 * @param exporter a named exporter that remembers what it exported, for {@link Base#LAST_EXPORT}
 * @param base full, against the exporter's last export, or against {@code since}
 * @param since with {@link Base#SINCE}: the base version of each incrementally exported repository
 * @param chunkSize cut the stream into files of this size; one {@code .tar} when empty
 * @param allowOnDemand export units whose files are not in the store as metadata only
 * @param dryRun report what would be exported and write nothing
 * @param meta user metadata for the TOC
 * @param signingKey sign the TOC with this key ({@code NAME-toc.json.sig}); unsigned when empty
 * @param fullMembership an incremental export carries each version's complete membership list instead
 *        of its delta against the base, so it can be imported into a destination that does not hold the base
 */
public record ExportRequest(List<VersionRef> versions, Path directory, Optional<String> name, Optional<String> exporter,
        Base base, List<VersionRef> since, OptionalLong chunkSize, boolean allowOnDemand, boolean dryRun,
        Map<String, String> meta, Optional<SigningKey> signingKey, boolean fullMembership) {

    /** What an export is relative to. */
    public enum Base {
        FULL,
        LAST_EXPORT,
        SINCE
    }

    public ExportRequest {
        versions = List.copyOf(versions);
        requireNonNull(directory, "directory");
        requireNonNull(name, "name");
        requireNonNull(exporter, "exporter");
        requireNonNull(base, "base");
        since = List.copyOf(since);
        requireNonNull(chunkSize, "chunkSize");
        meta = Map.copyOf(meta);
        requireNonNull(signingKey, "signingKey");
    }

    /** An export whose incremental memberships are deltas. */
    public ExportRequest(List<VersionRef> versions, Path directory, Optional<String> name, Optional<String> exporter,
            Base base, List<VersionRef> since, OptionalLong chunkSize, boolean allowOnDemand, boolean dryRun,
            Map<String, String> meta, Optional<SigningKey> signingKey) {
        this(versions, directory, name, exporter, base, since, chunkSize, allowOnDemand, dryRun, meta, signingKey, false);
    }

    /** An unsigned export. */
    public ExportRequest(List<VersionRef> versions, Path directory, Optional<String> name, Optional<String> exporter,
            Base base, List<VersionRef> since, OptionalLong chunkSize, boolean allowOnDemand, boolean dryRun,
            Map<String, String> meta) {
        this(versions, directory, name, exporter, base, since, chunkSize, allowOnDemand, dryRun, meta, Optional.empty());
    }

    /** A full export of these versions into a directory. */
    public static ExportRequest full(List<VersionRef> versions, Path directory) {
        return new ExportRequest(versions, directory, Optional.empty(), Optional.empty(), Base.FULL, List.of(),
                OptionalLong.empty(), false, false, Map.of());
    }

    public ExportRequest withName(String value) {
        return new ExportRequest(versions, directory, Optional.of(value), exporter, base, since, chunkSize, allowOnDemand, dryRun, meta, signingKey, fullMembership);
    }

    public ExportRequest withExporter(String value) {
        return new ExportRequest(versions, directory, name, Optional.of(value), base, since, chunkSize, allowOnDemand, dryRun, meta, signingKey, fullMembership);
    }

    public ExportRequest incremental() {
        return new ExportRequest(versions, directory, name, exporter, Base.LAST_EXPORT, List.of(), chunkSize, allowOnDemand, dryRun, meta, signingKey, fullMembership);
    }

    public ExportRequest since(List<VersionRef> bases) {
        return new ExportRequest(versions, directory, name, exporter, Base.SINCE, bases, chunkSize, allowOnDemand, dryRun, meta, signingKey, fullMembership);
    }

    public ExportRequest withChunkSize(long bytes) {
        return new ExportRequest(versions, directory, name, exporter, base, since, OptionalLong.of(bytes), allowOnDemand, dryRun, meta, signingKey, fullMembership);
    }

    public ExportRequest allowingOnDemand() {
        return new ExportRequest(versions, directory, name, exporter, base, since, chunkSize, true, dryRun, meta, signingKey, fullMembership);
    }

    public ExportRequest asDryRun() {
        return new ExportRequest(versions, directory, name, exporter, base, since, chunkSize, allowOnDemand, true, meta, signingKey, fullMembership);
    }

    public ExportRequest signedWith(SigningKey key) {
        return new ExportRequest(versions, directory, name, exporter, base, since, chunkSize, allowOnDemand, dryRun, meta,
                Optional.of(key), fullMembership);
    }

    /** Incremental memberships as complete lists (not deltas against the base). */
    public ExportRequest withFullMembership() {
        return new ExportRequest(versions, directory, name, exporter, base, since, chunkSize, allowOnDemand, dryRun, meta, signingKey, true);
    }
}
