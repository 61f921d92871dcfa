package io.airlock.core.model;

import io.airlock.spi.Ids;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.util.Optional;
import java.util.UUID;

/**
 * A file of a content unit at a relative path. A null artifact means on demand: the unit's metadata
 * is known but its file is not in the store.
 */
@Entity
@Table(name = "content_artifact",
        uniqueConstraints = @UniqueConstraint(name = "uk_content_artifact_path", columnNames = {"content_id", "relative_path"}),
        indexes = @Index(name = "ix_content_artifact_artifact", columnList = "artifact_id"))
public class ContentArtifact {

    @Id
    @Column(name = "id", nullable = false, updatable = false)
    private UUID id = Ids.next();

    @Column(name = "content_id", nullable = false, updatable = false)
    private UUID contentId;

    @Column(name = "relative_path", nullable = false, length = 2048, updatable = false)
    private String relativePath;

    @Column(name = "artifact_id")
    private UUID artifactId;

    protected ContentArtifact() {
    }

    public UUID id() {
        return id;
    }

    public UUID contentId() {
        return contentId;
    }

    public String relativePath() {
        return relativePath;
    }

    public Optional<UUID> artifactId() {
        return Optional.ofNullable(artifactId);
    }
}
