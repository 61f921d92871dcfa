package io.airlock.core.imports;

import io.airlock.spi.Content;
import io.airlock.spi.NaturalKey;
import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A test content type that others refer to; its id sorts after the type referring to it. */
@Entity
@Table(name = "test_python_project")
@DiscriminatorValue("python.project")
public class PythonProject extends Content {

    @NaturalKey
    @Column(name = "name", nullable = false)
    String name;

    @Column(name = "summary")
    String summary;

    protected PythonProject() {
    }

    public PythonProject(String name, String summary) {
        this.name = name;
        this.summary = summary;
    }

    public String summary() {
        return summary;
    }

    @Override
    public String label() {
        return name;
    }
}
