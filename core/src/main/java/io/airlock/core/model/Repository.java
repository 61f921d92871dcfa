package io.airlock.core.model;

import io.airlock.spi.Ids;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.UUID;

/** A named repository of one content family; its versions are numbered 0, 1, 2 … */
@Entity
@Table(name = "repository", uniqueConstraints = @UniqueConstraint(name = "uk_repository_name", columnNames = "name"))
public class Repository {

    @Id
    @Column(name = "id", nullable = false, updatable = false)
    private UUID id = Ids.next();

    @Column(name = "name", nullable = false, length = 255)
    private String name;

    @Column(name = "family", nullable = false, length = 64)
    private String family;

    @Column(name = "description", length = 4000)
    private String description;

    /** Number of the newest version; only changed under the repository's row lock. */
    @Column(name = "latest_version", nullable = false)
    private int latestVersion;

    /** How many versions to keep (the newest); null keeps them all. */
    @Column(name = "retain_versions")
    private Integer retainVersions;

    protected Repository() {
    }

    public Repository(String name, String family, String description) {
        this.name = Objects.requireNonNull(name, "name");
        this.family = Objects.requireNonNull(family, "family");
        this.description = description;
    }

    /** A detached copy of a stored row, as Airlock reads it by plain JDBC (see {@code Airlock#readOnly}). */
    public static Repository ofRow(UUID id, String name, String family, String description, int latestVersion,
            Integer retainVersions) {
        Repository repository = new Repository(name, family, description);
        repository.id = Objects.requireNonNull(id, "id");
        repository.latestVersion = latestVersion;
        repository.retainVersions = retainVersions;
        return repository;
    }

    public UUID id() {
        return id;
    }

    public String name() {
        return name;
    }

    /** The content family (plugin name) the repository holds: {@code file}, {@code rpm}. */
    public String family() {
        return family;
    }

    public String description() {
        return description;
    }

    public int latestVersion() {
        return latestVersion;
    }

    /** How many versions are kept when a new one is made (the oldest others are deleted); empty keeps all. */
    public OptionalInt retainVersions() {
        return retainVersions == null ? OptionalInt.empty() : OptionalInt.of(retainVersions);
    }

    @Override
    public String toString() {
        return name + " (" + family + ")";
    }
}
