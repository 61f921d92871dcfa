package io.airlock.core.export;

import io.airlock.spi.Ids;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * One repository version a named exporter exported successfully: the base of its next incremental
 * export, and a line of the export history ({@link ExportHistory}). What the export was (full or
 * incremental, its files, their size) is empty in records made before Airlock recorded it.
 */
@Entity
@Table(name = "export_record", indexes = @Index(name = "ix_export_record_exporter", columnList = "exporter,repository_id"))
public class ExportRecord {

    /** Longest list of file names a record keeps (newline-separated). */
    static final int FILES_LENGTH = 1_000_000;

    @Id
    @Column(name = "id", nullable = false, updatable = false)
    private UUID id = Ids.next();

    @Column(name = "exporter", nullable = false, length = 255)
    private String exporter;

    @Column(name = "repository_id", nullable = false)
    private UUID repositoryId;

    @Column(name = "version_number", nullable = false)
    private int versionNumber;

    @Column(name = "export_name", nullable = false, length = 255)
    private String exportName;

    @Column(name = "created", nullable = false)
    private Instant created;

    @Column(name = "incremental")
    private Boolean incremental;

    @Column(name = "base_version")
    private Integer baseVersion;

    /** The export's files, newline-separated: the TOC, the tar or chunks, the signature when signed. */
    @Column(name = "files", length = FILES_LENGTH)
    private String files;

    @Column(name = "total_bytes")
    private Long totalBytes;

    protected ExportRecord() {
    }

    ExportRecord(String exporter, UUID repositoryId, int versionNumber, String exportName, Instant created,
            OptionalInt baseVersion) {
        this.exporter = exporter;
        this.repositoryId = repositoryId;
        this.versionNumber = versionNumber;
        this.exportName = exportName;
        this.created = created;
        this.incremental = baseVersion.isPresent();
        this.baseVersion = baseVersion.isPresent() ? baseVersion.getAsInt() : null;
    }

    public UUID id() {
        return id;
    }

    public String exporter() {
        return exporter;
    }

    public UUID repositoryId() {
        return repositoryId;
    }

    public int versionNumber() {
        return versionNumber;
    }

    public String exportName() {
        return exportName;
    }

    public Instant created() {
        return created;
    }

    /** True for an incremental export, false for a full one; empty when not recorded. */
    public Optional<Boolean> incremental() {
        return Optional.ofNullable(incremental);
    }

    /** The version an incremental export carried the changes since. */
    public OptionalInt baseVersion() {
        return baseVersion == null ? OptionalInt.empty() : OptionalInt.of(baseVersion);
    }

    /** The names of the export's files (TOC, tar or chunks, signature); empty when not recorded. */
    public List<String> files() {
        return files == null || files.isEmpty() ? List.of() : List.of(files.split("\n"));
    }

    /** The total size of the export's files; empty when not recorded. */
    public OptionalLong totalBytes() {
        return totalBytes == null ? OptionalLong.empty() : OptionalLong.of(totalBytes);
    }
}
