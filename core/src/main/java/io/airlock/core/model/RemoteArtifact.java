package io.airlock.core.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Where the file of an on-demand {@link ContentArtifact} can be downloaded from: its URL, checksum
 * ({@link java.security.MessageDigest} algorithm name and hex) and size when known. Written by syncs
 * with the on-demand policy; never exported.
 */
@Entity
@Table(name = "remote_artifact")
public class RemoteArtifact {

    @Id
    @Column(name = "content_artifact_id", nullable = false, updatable = false)
    private UUID contentArtifactId;

    @Column(name = "url", nullable = false, length = 4096)
    private String url;

    @Column(name = "algorithm", nullable = false, length = 32)
    private String algorithm;

    @Column(name = "checksum", nullable = false, length = 128)
    private String checksum;

    @Column(name = "size")
    private Long size;

    protected RemoteArtifact() {
    }

    public UUID contentArtifactId() {
        return contentArtifactId;
    }

    public String url() {
        return url;
    }

    public String algorithm() {
        return algorithm;
    }

    public String checksum() {
        return checksum;
    }

    public OptionalLong size() {
        return size == null ? OptionalLong.empty() : OptionalLong.of(size);
    }
}
