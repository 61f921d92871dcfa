package io.airlock.plugin.rpm;

import io.airlock.spi.Content;
import io.airlock.spi.NaturalKey;
import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.Mutability;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.java.Immutability;

/**
 * What repomd.xml says of the repository besides its files: the {@code <revision>} and the
 * {@code <tags>} ({@code content}, {@code repo}, and {@code distro} with its optional
 * {@code cpeid}). A version holds at most one: the label is constant ({@value #LABEL}), so each sync
 * replaces it; identified by the digest of its values. A unit rather than a property of the version
 * so that it travels through export, import and copy like any other.
 */
@Entity
@Table(name = "rpm_repo_metadata")
@DiscriminatorValue(RepoMetadata.TYPE)
public class RepoMetadata extends Content {

    public static final String TYPE = "rpm.repo_metadata";
    public static final String LABEL = "repomd";

    @NaturalKey
    @Column(name = "digest", nullable = false, length = 64)
    private String digest;

    /** {@code <revision>}; null when repomd.xml has none. */
    @Column(name = "revision", length = 1024)
    private String revision;

    /** {@code <tags><content>} values, in order. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    private List<String> contentTags = new ArrayList<>();

    /** {@code <tags><repo>} values, in order. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    private List<String> repoTags = new ArrayList<>();

    /** {@code <tags><distro>} values with their {@code cpeid}, in order. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    private List<Distro> distroTags = new ArrayList<>();

    protected RepoMetadata() {
    }

    public RepoMetadata(String revision, List<String> contentTags, List<String> repoTags, List<Distro> distroTags) {
        this.revision = revision;
        this.contentTags = contentTags;
        this.repoTags = repoTags;
        this.distroTags = distroTags;
        this.digest = Digests.of(revision, contentTags, repoTags, distroTags);
    }

    @Override
    public String label() {
        return LABEL;
    }

    public String digest() { return digest; }
    public String revision() { return revision; }
    public List<String> contentTags() { return contentTags; }
    public List<String> repoTags() { return repoTags; }
    public List<Distro> distroTags() { return distroTags; }

    /** {@code <distro cpeid="…">name</distro>}; {@code cpeid} null when not given. */
    public record Distro(String cpeid, String name) {
    }
}
