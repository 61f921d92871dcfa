package io.airlock.plugin.rpm;

import static java.util.Objects.requireNonNull;

import io.airlock.spi.Ids;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A {@code <collection>} of an advisory's package list: a named set of packages, optionally of one module build. */
@Entity
@Table(name = "rpm_advisory_collection")
public class AdvisoryCollection {

    @Id
    private UUID id = Ids.next();

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "advisory_id", nullable = false)
    private RpmAdvisory advisory;

    private int position;

    @Column(name = "name", length = 1024)
    private String name;
    @Column(name = "short_name", length = 1024)
    private String shortName;
    @Column(name = "module_name", length = 255)
    private String moduleName;
    @Column(name = "module_stream", length = 255)
    private String moduleStream;
    private Long moduleVersion;
    @Column(name = "module_context", length = 255)
    private String moduleContext;
    @Column(name = "module_arch", length = 32)
    private String moduleArch;

    @OneToMany(mappedBy = "collection", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("position")
    private List<AdvisoryPackage> packages = new ArrayList<>();

    protected AdvisoryCollection() {
    }

    AdvisoryCollection(RpmAdvisory advisory, int position, Values values) {
        this.advisory = advisory;
        this.position = position;
        this.name = values.name();
        this.shortName = values.shortName();
        Module m = values.module();
        if (m != null) {
            this.moduleName = m.name();
            this.moduleStream = m.stream();
            this.moduleVersion = m.version();
            this.moduleContext = m.context();
            this.moduleArch = m.arch();
        }
        for (int i = 0; i < values.packages().size(); i++) {
            packages.add(new AdvisoryPackage(this, i, values.packages().get(i)));
        }
    }

    /** What a collection says, independent of storage; the module is null for plain collections. */
    public record Values(String name, String shortName, Module module, List<AdvisoryPackage.Values> packages) {
        public Values {
            packages = List.copyOf(requireNonNull(packages, "packages"));
        }
    }

    /** The module build a collection belongs to ({@code <module name stream version context arch/>}). */
    public record Module(String name, String stream, Long version, String context, String arch) {
    }

    public Values values() {
        Module module = moduleName == null && moduleStream == null && moduleVersion == null
                && moduleContext == null && moduleArch == null
                ? null
                : new Module(moduleName, moduleStream, moduleVersion, moduleContext, moduleArch);
        return new Values(name, shortName, module, packages.stream().map(AdvisoryPackage::values).toList());
    }

    public UUID id() { return id; }
    public RpmAdvisory advisory() { return advisory; }
    public int position() { return position; }
    public List<AdvisoryPackage> packages() { return packages; }
}
