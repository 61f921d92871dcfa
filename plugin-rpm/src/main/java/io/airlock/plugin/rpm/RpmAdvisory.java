package io.airlock.plugin.rpm;

import io.airlock.spi.Content;
import io.airlock.spi.NaturalKey;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import java.util.ArrayList;
import java.util.List;

/**
 * An errata record from {@code updateinfo.xml}, with its package collections and references as
 * child records (not content of their own). Labelled with its id ({@code RHSA-2024:0001}); identified
 * by id and a digest of everything it says, since an advisory may be reissued under the same id.
 * Exported through {@link AdvisoryResource}: the generic resource does not express child tables.
 */
@Entity
@Table(name = "rpm_advisory")
@DiscriminatorValue(RpmAdvisory.TYPE)
public class RpmAdvisory extends Content {

    public static final String TYPE = "rpm.advisory";

    @NaturalKey
    @Column(name = "advisory_id", nullable = false, length = 255)
    private String advisoryId;

    @NaturalKey
    @Column(name = "digest", nullable = false, length = 64)
    private String digest;

    @Column(name = "issuer", length = 1024)
    private String issuer;
    @Column(name = "status", length = 64)
    private String status;
    @Column(name = "advisory_type", length = 64)
    private String advisoryType;
    @Column(name = "advisory_version", length = 64)
    private String advisoryVersion;
    @Column(name = "title", length = RpmText.LONG)
    private String title;
    @Column(name = "issued", length = 64)
    private String issued;
    @Column(name = "updated", length = 64)
    private String updated;
    @Column(name = "rights", length = RpmText.LONG)
    private String rights;
    @Column(name = "release_name", length = 1024)
    private String releaseName;
    @Column(name = "pushcount", length = 64)
    private String pushcount;
    @Column(name = "severity", length = 64)
    private String severity;
    @Column(name = "summary", length = RpmText.LONG)
    private String summary;
    @Column(name = "description", length = RpmText.LONG)
    private String description;
    @Column(name = "solution", length = RpmText.LONG)
    private String solution;
    private Boolean rebootSuggested;

    @OneToMany(mappedBy = "advisory", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("position")
    private List<AdvisoryCollection> collections = new ArrayList<>();

    @OneToMany(mappedBy = "advisory", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("position")
    private List<AdvisoryReference> references = new ArrayList<>();

    protected RpmAdvisory() {
    }

    /** The header fields of an advisory, as updateinfo names them; all but the id may be null. */
    public record Header(String id, String issuer, String status, String type, String version, String title,
            String issued, String updated, String rights, String release, String pushcount, String severity,
            String summary, String description, String solution, Boolean rebootSuggested) {

        public Header {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("advisory id is missing");
            }
        }
    }

    /** A new advisory; its digest is computed from the header and the children given. */
    public RpmAdvisory(Header header, List<AdvisoryCollection.Values> collections, List<AdvisoryReference.Values> references) {
        this.advisoryId = header.id();
        this.issuer = header.issuer();
        this.status = header.status();
        this.advisoryType = header.type();
        this.advisoryVersion = header.version();
        this.title = header.title();
        this.issued = header.issued();
        this.updated = header.updated();
        this.rights = header.rights();
        this.releaseName = header.release();
        this.pushcount = header.pushcount();
        this.severity = header.severity();
        this.summary = header.summary();
        this.description = header.description();
        this.solution = header.solution();
        this.rebootSuggested = header.rebootSuggested();
        for (int i = 0; i < collections.size(); i++) {
            this.collections.add(new AdvisoryCollection(this, i, collections.get(i)));
        }
        for (int i = 0; i < references.size(); i++) {
            this.references.add(new AdvisoryReference(this, i, references.get(i)));
        }
        this.digest = Digests.of(header, collections, references);
    }

    @Override
    public String label() {
        return advisoryId;
    }

    public Header header() {
        return new Header(advisoryId, issuer, status, advisoryType, advisoryVersion, title, issued, updated, rights,
                releaseName, pushcount, severity, summary, description, solution, rebootSuggested);
    }

    public String advisoryId() { return advisoryId; }
    public String digest() { return digest; }
    public List<AdvisoryCollection> collections() { return collections; }
    public List<AdvisoryReference> references() { return references; }
}
