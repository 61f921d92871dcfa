package io.airlock.testing.kit;

import io.airlock.spi.Content;
import io.airlock.spi.NaturalKey;
import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A tool that releases refer to. */
@Entity
@Table(name = "kit_tool")
@DiscriminatorValue("kit.tool")
public class KitTool extends Content {

    @NaturalKey
    @Column(name = "name", nullable = false)
    String name;

    @Column(name = "homepage")
    String homepage;

    protected KitTool() {
    }

    KitTool(String name, String homepage) {
        this.name = name;
        this.homepage = homepage;
    }

    @Override
    public String label() {
        return name;
    }
}
