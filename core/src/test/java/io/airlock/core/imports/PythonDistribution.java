package io.airlock.core.imports;

import io.airlock.spi.Content;
import io.airlock.spi.NaturalKey;
import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** A test content type referring to {@link PythonProject}, whose id sorts before it ("distribution" &lt; "project"). */
@Entity
@Table(name = "test_python_distribution")
@DiscriminatorValue("python.distribution")
public class PythonDistribution extends Content {

    @NaturalKey
    @Column(name = "filename", nullable = false)
    String filename;

    @ManyToOne(fetch = FetchType.LAZY)
    PythonProject project;

    protected PythonDistribution() {
    }

    public PythonDistribution(String filename, PythonProject project) {
        this.filename = filename;
        this.project = project;
    }

    /** The project it refers to (a lazy proxy when loaded). */
    public PythonProject project() {
        return project;
    }

    @Override
    public String label() {
        return filename;
    }
}
