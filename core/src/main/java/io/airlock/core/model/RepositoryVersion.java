package io.airlock.core.model;

import io.airlock.spi.Ids;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.UUID;

/** One immutable version of a repository: its content is every membership row valid at its number. */
@Entity
@Table(name = "repository_version",
        uniqueConstraints = @UniqueConstraint(name = "uk_repository_version", columnNames = {"repository_id", "number"}))
public class RepositoryVersion {

    @Id
    @Column(name = "id", nullable = false, updatable = false)
    private UUID id = Ids.next();

    @Column(name = "repository_id", nullable = false, updatable = false)
    private UUID repositoryId;

    @Column(name = "number", nullable = false, updatable = false)
    private int number;

    @Column(name = "base_number")
    private Integer baseNumber;

    @Column(name = "created", nullable = false, updatable = false)
    private Instant created;

    @Column(name = "complete", nullable = false)
    private boolean complete;

    @Column(name = "content_count", nullable = false)
    private long contentCount;

    @Column(name = "added_count", nullable = false)
    private long addedCount;

    @Column(name = "removed_count", nullable = false)
    private long removedCount;

    protected RepositoryVersion() {
    }

    public RepositoryVersion(UUID repositoryId, int number, Integer baseNumber, Instant created,
            long contentCount, long addedCount, long removedCount) {
        this.repositoryId = repositoryId;
        this.number = number;
        this.baseNumber = baseNumber;
        this.created = created;
        this.complete = true;
        this.contentCount = contentCount;
        this.addedCount = addedCount;
        this.removedCount = removedCount;
    }

    /** A detached copy of a stored row, as Airlock reads it by plain JDBC (see {@code Airlock#readOnly}). */
    public static RepositoryVersion ofRow(UUID id, UUID repositoryId, int number, Integer baseNumber, Instant created,
            boolean complete, long contentCount, long addedCount, long removedCount) {
        RepositoryVersion version = new RepositoryVersion(repositoryId, number, baseNumber, created, contentCount, addedCount,
                removedCount);
        version.id = java.util.Objects.requireNonNull(id, "id");
        version.complete = complete;
        return version;
    }

    public UUID id() {
        return id;
    }

    public UUID repositoryId() {
        return repositoryId;
    }

    public int number() {
        return number;
    }

    /** The version this one was built from; empty for version 0. */
    public OptionalInt baseNumber() {
        return baseNumber == null ? OptionalInt.empty() : OptionalInt.of(baseNumber);
    }

    public Instant created() {
        return created;
    }

    public boolean complete() {
        return complete;
    }

    public long contentCount() {
        return contentCount;
    }

    /** Units added relative to the previous version (number − 1). */
    public long addedCount() {
        return addedCount;
    }

    /** Units removed relative to the previous version (number − 1). */
    public long removedCount() {
        return removedCount;
    }
}
