package io.airlock.plugin.rpm;

import io.airlock.spi.Ids;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.util.UUID;

/** A {@code <package>} of an advisory collection: the NEVRA it fixes with, its file name and checksum, and what it asks after installation. */
@Entity
@Table(name = "rpm_advisory_package")
public class AdvisoryPackage {

    @Id
    private UUID id = Ids.next();

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "collection_id", nullable = false)
    private AdvisoryCollection collection;

    private int position;

    @Column(name = "name", nullable = false, length = 255)
    private String name;
    @Column(name = "epoch", length = 32)
    private String epoch;
    @Column(name = "version", length = 255)
    private String version;
    @Column(name = "release", length = 255)
    private String release;
    @Column(name = "arch", length = 32)
    private String arch;
    @Column(name = "src", length = 1024)
    private String src;
    @Column(name = "filename", length = 1024)
    private String filename;
    @Column(name = "sum", length = 128)
    private String sum;
    @Column(name = "sum_type", length = 16)
    private String sumType;
    private Boolean rebootSuggested;
    private Boolean restartSuggested;
    private Boolean reloginSuggested;

    protected AdvisoryPackage() {
    }

    AdvisoryPackage(AdvisoryCollection collection, int position, Values values) {
        this.collection = collection;
        this.position = position;
        this.name = values.name();
        this.epoch = values.epoch();
        this.version = values.version();
        this.release = values.release();
        this.arch = values.arch();
        this.src = values.src();
        this.filename = values.filename();
        this.sum = values.sum();
        this.sumType = values.sumType();
        this.rebootSuggested = values.rebootSuggested();
        this.restartSuggested = values.restartSuggested();
        this.reloginSuggested = values.reloginSuggested();
    }

    /** What a package entry says, independent of storage. */
    public record Values(String name, String epoch, String version, String release, String arch, String src,
            String filename, String sum, String sumType, Boolean rebootSuggested, Boolean restartSuggested,
            Boolean reloginSuggested) {
        public Values {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("advisory package name is missing");
            }
        }
    }

    public Values values() {
        return new Values(name, epoch, version, release, arch, src, filename, sum, sumType, rebootSuggested,
                restartSuggested, reloginSuggested);
    }

    public UUID id() { return id; }
    public int position() { return position; }
}
