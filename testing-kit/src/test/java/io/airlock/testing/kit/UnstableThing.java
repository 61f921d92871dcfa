package io.airlock.testing.kit;

import io.airlock.spi.Content;
import io.airlock.spi.NaturalKey;
import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.util.UUID;

/** A type whose natural key is drawn anew for every instance: the same thing twice is two units. */
@Entity
@Table(name = "unstable_thing")
@DiscriminatorValue("unstable.thing")
public class UnstableThing extends Content {

    @NaturalKey
    @Column(name = "token", nullable = false)
    String token = UUID.randomUUID().toString();

    @Column(name = "name", nullable = false)
    String name;

    protected UnstableThing() {
    }

    UnstableThing(String name) {
        this.name = name;
    }

    @Override
    public String label() {
        return name;
    }
}
