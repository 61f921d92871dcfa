package io.airlock.core.copy;

import io.airlock.spi.Content;
import io.airlock.spi.NaturalKey;
import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.util.Arrays;
import java.util.List;

/**
 * A test unit of family {@code gadget} for copy policies: a gadget may have parts (children, named
 * by label), need a capability and provide one. The label is the name.
 */
@Entity
@Table(name = "test_gadget")
@DiscriminatorValue("gadget.gadget")
public class Gadget extends Content {

    @NaturalKey
    @Column(name = "name", nullable = false)
    private String name;

    @Column(name = "parts")
    private String parts;

    @Column(name = "needs")
    private String needs;

    @Column(name = "provides")
    private String provides;

    protected Gadget() {
    }

    Gadget(String name, String parts, String needs, String provides) {
        this.name = name;
        this.parts = parts;
        this.needs = needs;
        this.provides = provides;
    }

    static Gadget plain(String name) {
        return new Gadget(name, null, null, null);
    }

    static Gadget kit(String name, String... parts) {
        return new Gadget(name, String.join(",", parts), null, null);
    }

    static Gadget needing(String name, String capability) {
        return new Gadget(name, null, capability, null);
    }

    static Gadget providing(String name, String capability) {
        return new Gadget(name, null, null, capability);
    }

    List<String> parts() {
        return parts == null || parts.isEmpty() ? List.of() : Arrays.asList(parts.split(","));
    }

    String needs() {
        return needs;
    }

    String provides() {
        return provides;
    }

    @Override
    public String label() {
        return name;
    }
}
