package io.airlock.core.model;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import java.util.UUID;

/**
 * Membership of a unit in a repository from {@code version_added} until {@code version_removed}
 * (exclusive; null while present). Version N holds every row with added ≤ N and (removed null or
 * removed > N), so a version costs rows only for what changed.
 */
@Entity
@Table(name = "repository_content", indexes = {
        @Index(name = "ix_repository_content_added", columnList = "repository_id,version_added"),
        @Index(name = "ix_repository_content_content", columnList = "content_id")})
public class RepositoryContent {

    @EmbeddedId
    private Key key;

    @Column(name = "version_removed")
    private Integer versionRemoved;

    protected RepositoryContent() {
    }

    public UUID repositoryId() {
        return key.repositoryId;
    }

    public UUID contentId() {
        return key.contentId;
    }

    public int versionAdded() {
        return key.versionAdded;
    }

    public Integer versionRemoved() {
        return versionRemoved;
    }

    /** The primary key: a unit can re-enter a repository, so the version added is part of it. */
    @Embeddable
    public static class Key {
        @Column(name = "repository_id", nullable = false)
        private UUID repositoryId;

        @Column(name = "content_id", nullable = false)
        private UUID contentId;

        @Column(name = "version_added", nullable = false)
        private int versionAdded;

        protected Key() {
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key other && repositoryId.equals(other.repositoryId)
                    && contentId.equals(other.contentId) && versionAdded == other.versionAdded;
        }

        @Override
        public int hashCode() {
            return (repositoryId.hashCode() * 31 + contentId.hashCode()) * 31 + versionAdded;
        }
    }
}
