package io.airlock.core;

import io.airlock.spi.Content;
import io.airlock.spi.NaturalKey;
import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A test content type: a named widget of some revision; the label is the name. */
@Entity
@Table(name = "test_widget")
@DiscriminatorValue("test.widget")
public class Widget extends Content {

    @NaturalKey
    @Column(name = "name", nullable = false)
    private String name;

    @NaturalKey
    @Column(name = "revision", nullable = false)
    private int revision;

    protected Widget() {
    }

    public Widget(String name, int revision) {
        this.name = name;
        this.revision = revision;
    }

    public String name() {
        return name;
    }

    public int revision() {
        return revision;
    }

    @Override
    public String label() {
        return name;
    }
}
