package io.airlock.generic;

import io.airlock.spi.Content;
import io.airlock.spi.NaturalKey;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

@Entity
@Table(name = "child_unit")
@DiscriminatorValue("test.child")
class ChildUnit extends Content {

    @NaturalKey
    String name;

    @ManyToOne(fetch = FetchType.LAZY)
    ParentUnit parent;

    protected ChildUnit() {
    }

    ChildUnit(String name, ParentUnit parent) {
        this.name = name;
        this.parent = parent;
    }

    @Override
    public String label() {
        return name;
    }
}
