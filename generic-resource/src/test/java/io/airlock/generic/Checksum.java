package io.airlock.generic;

import jakarta.persistence.Embeddable;
import java.util.Objects;

@Embeddable
class Checksum {

    private String algorithm;

    private String hex;

    protected Checksum() {
    }

    Checksum(String algorithm, String hex) {
        this.algorithm = algorithm;
        this.hex = hex;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checksum c && Objects.equals(algorithm, c.algorithm) && Objects.equals(hex, c.hex);
    }

    @Override
    public int hashCode() {
        return Objects.hash(algorithm, hex);
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
