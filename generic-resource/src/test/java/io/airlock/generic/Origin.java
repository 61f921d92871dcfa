package io.airlock.generic;

import jakarta.persistence.Embeddable;
import jakarta.persistence.Embedded;
import java.util.Objects;

/** An embeddable holding another one, to cover nesting. */
@Embeddable
class Origin {

    private String host;

    @Embedded
    private Checksum signature;

    protected Origin() {
    }

    Origin(String host, Checksum signature) {
        this.host = host;
        this.signature = signature;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Origin other && Objects.equals(host, other.host) && Objects.equals(signature, other.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, signature);
    }

    @Override
    public String toString() {
        return host + "/" + signature;
    }
}
