package org.example.airlock;

import io.airlock.spi.Content;
import io.airlock.spi.NaturalKey;
import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/**
 * A file of a project, such as {@code requests-2.31.0.tar.gz}. Identified by its file name and
 * SHA-256; refers to its {@link Project}. Its type id sorts before the project's, which is why
 * Airlock derives the import order from references rather than from names.
 */
@Entity
@Table(name = "example_distribution")
@DiscriminatorValue(Distribution.TYPE)
public class Distribution extends Content {

    public static final String TYPE = "example.distribution";

    @NaturalKey
    @Column(name = "filename", nullable = false, length = 500)
    private String filename;

    @NaturalKey
    @Column(name = "sha256", nullable = false, length = 64)
    private String sha256;

    @Column(name = "version", nullable = false, length = 100)
    private String version;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "project_id", nullable = false)
    private Project project;

    /** For Hibernate. */
    protected Distribution() {
    }

    public Distribution(String filename, String sha256, String version, Project project) {
        this.filename = filename;
        this.sha256 = sha256;
        this.version = version;
        this.project = project;
    }

    public String filename() {
        return filename;
    }

    public String sha256() {
        return sha256;
    }

    public String version() {
        return version;
    }

    /** The project (a lazy proxy when loaded: its id is read without loading it). */
    public Project project() {
        return project;
    }

    @Override
    public String label() {
        return filename;
    }
}
