package io.airlock.core.copy;

import io.airlock.spi.Content;
import io.airlock.spi.NaturalKey;
import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A test unit of family {@code faulty}, whose copy policy always fails. */
@Entity
@Table(name = "test_faulty_thing")
@DiscriminatorValue("faulty.thing")
public class FaultyThing extends Content {

    @NaturalKey
    @Column(name = "name", nullable = false)
    private String name;

    protected FaultyThing() {
    }

    FaultyThing(String name) {
        this.name = name;
    }

    @Override
    public String label() {
        return name;
    }
}
