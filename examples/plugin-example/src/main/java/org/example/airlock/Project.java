package org.example.airlock;

import io.airlock.spi.Content;
import io.airlock.spi.NaturalKey;
import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A project, such as {@code requests}: what distributions belong to. Identified by its name. */
@Entity
@Table(name = "example_project")
@DiscriminatorValue(Project.TYPE)
public class Project extends Content {

    public static final String TYPE = "example.project";

    @NaturalKey
    @Column(name = "name", nullable = false, length = 200)
    private String name;

    @Column(name = "summary", length = 1000)
    private String summary;

    /** For Hibernate. */
    protected Project() {
    }

    public Project(String name, String summary) {
        this.name = name;
        this.summary = summary;
    }

    /** A project known only by its name: enough for a distribution to refer to it. */
    public static Project named(String name) {
        return new Project(name, null);
    }

    public String name() {
        return name;
    }

    public String summary() {
        return summary;
    }

    @Override
    public String label() {
        return name;
    }
}
