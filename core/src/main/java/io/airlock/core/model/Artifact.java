package io.airlock.core.model;

import io.airlock.spi.Ids;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.util.UUID;

/** A file in the artifact store, identified by its sha256. */
@Entity
@Table(name = "artifact", uniqueConstraints = @UniqueConstraint(name = "uk_artifact_sha256", columnNames = "sha256"))
public class Artifact {

    @Id
    @Column(name = "id", nullable = false, updatable = false)
    private UUID id = Ids.next();

    @Column(name = "sha256", nullable = false, length = 64, updatable = false)
    private String sha256;

    @Column(name = "size", nullable = false, updatable = false)
    private long size;

    protected Artifact() {
    }

    public UUID id() {
        return id;
    }

    public String sha256() {
        return sha256;
    }

    public long size() {
        return size;
    }
}
