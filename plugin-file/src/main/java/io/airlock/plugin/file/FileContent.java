package io.airlock.plugin.file;

import io.airlock.spi.Content;
import io.airlock.spi.NaturalKey;
import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.util.Objects;

/**
 * A file at a relative path with its sha256. Served by the generic resource: it has no
 * hand-written one. Its label is the relative path, so a new file at a path replaces the old one.
 */
@Entity
@Table(name = "file_content")
@DiscriminatorValue(FileContent.TYPE)
public class FileContent extends Content {

    public static final String TYPE = "file.file";

    @NaturalKey
    @Column(name = "relative_path", nullable = false, length = 2048)
    private String relativePath;

    @NaturalKey
    @Column(name = "sha256", nullable = false, length = 64)
    private String sha256;

    protected FileContent() {
    }

    public FileContent(String relativePath, String sha256) {
        this.relativePath = Objects.requireNonNull(relativePath, "relativePath");
        this.sha256 = Objects.requireNonNull(sha256, "sha256");
    }

    public String relativePath() {
        return relativePath;
    }

    public String sha256() {
        return sha256;
    }

    @Override
    public String label() {
        return relativePath;
    }
}
