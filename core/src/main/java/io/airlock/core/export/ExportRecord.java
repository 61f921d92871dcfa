package io.airlock.core.export;

import io.airlock.spi.Ids;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One repository version a named exporter exported successfully: the base of its next incremental export. */
@Entity
@Table(name = "export_record", indexes = @Index(name = "ix_export_record_exporter", columnList = "exporter,repository_id"))
public class ExportRecord {

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

    protected ExportRecord() {
    }

    ExportRecord(String exporter, UUID repositoryId, int versionNumber, String exportName, Instant created) {
        this.exporter = exporter;
        this.repositoryId = repositoryId;
        this.versionNumber = versionNumber;
        this.exportName = exportName;
        this.created = created;
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
}
