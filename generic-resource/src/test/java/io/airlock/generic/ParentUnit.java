package io.airlock.generic;

import io.airlock.spi.Content;
import io.airlock.spi.NaturalKey;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

@Entity
@Table(name = "parent_unit")
@DiscriminatorValue("test.parent")
class ParentUnit extends Content {

    @NaturalKey
    String name;

    @NaturalKey
    java.time.Instant created;

    protected ParentUnit() {
    }

    ParentUnit(String name, java.time.Instant created) {
        this.name = name;
        this.created = created;
    }

    @Override
    public String label() {
        return name;
    }
}
