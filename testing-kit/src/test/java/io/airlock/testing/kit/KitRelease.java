package io.airlock.testing.kit;

import io.airlock.spi.Content;
import io.airlock.spi.NaturalKey;
import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** A release of a {@link KitTool}; its type id sorts before the type it refers to. */
@Entity
@Table(name = "kit_release")
@DiscriminatorValue("kit.a_release")
public class KitRelease extends Content {

    @NaturalKey
    @Column(name = "file_name", nullable = false)
    String fileName;

    @ManyToOne(fetch = FetchType.LAZY)
    KitTool tool;

    protected KitRelease() {
    }

    KitRelease(String fileName, KitTool tool) {
        this.fileName = fileName;
        this.tool = tool;
    }

    @Override
    public String label() {
        return fileName;
    }
}
