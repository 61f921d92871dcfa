package io.airlock.plugin.rpm;

import io.airlock.spi.Content;
import io.airlock.spi.NaturalKey;
import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.Mutability;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.java.Immutability;

/**
 * A module stream build ({@code document: modulemd}), labelled {@code N:S:V:C:A}. Keeps the original
 * YAML document, so a publication can reproduce it exactly; the parsed fields serve copy (artifacts
 * bring their packages) and display.
 */
@Entity
@Table(name = "rpm_modulemd")
@DiscriminatorValue(Modulemd.TYPE)
public class Modulemd extends Content {

    public static final String TYPE = "rpm.modulemd";

    @NaturalKey
    @Column(name = "name", nullable = false, length = 255)
    private String name;

    @NaturalKey
    @Column(name = "stream", nullable = false, length = 255)
    private String stream;

    @NaturalKey
    @Column(name = "version", nullable = false)
    private long version;

    @NaturalKey
    @Column(name = "context", nullable = false, length = 255)
    private String context;

    @NaturalKey
    @Column(name = "arch", nullable = false, length = 32)
    private String arch;

    private Boolean staticContext;

    @Column(name = "summary", length = RpmText.LONG)
    private String summary;

    @Column(name = "description", length = RpmText.LONG)
    private String description;

    /** The {@code dependencies} list as written: each entry maps buildrequires/requires to module → streams. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    private List<Map<String, Map<String, List<String>>>> dependencies = new ArrayList<>();

    /** The packages of the build as {@code name-epoch:version-release.arch}. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    private List<String> artifacts = new ArrayList<>();

    /** Profile name → package names. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    private Map<String, List<String>> profiles = new LinkedHashMap<>();

    /** The original YAML document, from {@code ---} to {@code ...}. */
    @Column(name = "snippet", nullable = false, length = RpmText.DOCUMENT)
    private String snippet;

    protected Modulemd() {
    }

    public Modulemd(String name, String stream, long version, String context, String arch, String snippet) {
        this.name = name;
        this.stream = stream;
        this.version = version;
        this.context = context;
        this.arch = arch;
        this.snippet = snippet;
    }

    public Modulemd details(Boolean staticContext, String summary, String description,
            List<Map<String, Map<String, List<String>>>> dependencies, List<String> artifacts,
            Map<String, List<String>> profiles) {
        this.staticContext = staticContext;
        this.summary = summary;
        this.description = description;
        this.dependencies = dependencies;
        this.artifacts = artifacts;
        this.profiles = profiles;
        return this;
    }

    @Override
    public String label() {
        return name + ":" + stream + ":" + version + ":" + context + ":" + arch;
    }

    public String name() { return name; }
    public String stream() { return stream; }
    public long version() { return version; }
    public String context() { return context; }
    public String arch() { return arch; }
    public Boolean staticContext() { return staticContext; }
    public String summary() { return summary; }
    public String description() { return description; }
    public List<Map<String, Map<String, List<String>>>> dependencies() { return dependencies; }
    public List<String> artifacts() { return artifacts; }
    public Map<String, List<String>> profiles() { return profiles; }
    public String snippet() { return snippet; }
}
