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

/** A {@code <reference>} of an advisory: a link to a bug, CVE or other advisory. */
@Entity
@Table(name = "rpm_advisory_reference")
public class AdvisoryReference {

    @Id
    private UUID id = Ids.next();

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "advisory_id", nullable = false)
    private RpmAdvisory advisory;

    private int position;

    @Column(name = "href", length = 2048)
    private String href;
    @Column(name = "ref_id", length = 1024)
    private String refId;
    @Column(name = "ref_type", length = 64)
    private String refType;
    @Column(name = "title", length = 4096)
    private String title;

    protected AdvisoryReference() {
    }

    AdvisoryReference(RpmAdvisory advisory, int position, Values values) {
        this.advisory = advisory;
        this.position = position;
        this.href = values.href();
        this.refId = values.id();
        this.refType = values.type();
        this.title = values.title();
    }

    /** What a reference says, independent of storage. */
    public record Values(String href, String id, String type, String title) {
    }

    public Values values() {
        return new Values(href, refId, refType, title);
    }

    public UUID id() { return id; }
    public int position() { return position; }
}
