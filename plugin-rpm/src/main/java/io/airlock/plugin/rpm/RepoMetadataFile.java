package io.airlock.plugin.rpm;

import io.airlock.plugin.rpm.repodata.Checksums;
import io.airlock.spi.Content;
import io.airlock.spi.FileDigest;
import io.airlock.spi.NaturalKey;
import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/**
 * A metadata file repomd.xml lists that Airlock does not read itself ({@code productid} and the
 * like), kept as an artifact, byte for byte (compressed as it came). Labelled with its data type,
 * which repomd.xml lists once; identified by type, location and repomd's checksum of the file.
 */
@Entity
@Table(name = "rpm_repo_metadata_file")
@DiscriminatorValue(RepoMetadataFile.TYPE)
public class RepoMetadataFile extends Content {

    public static final String TYPE = "rpm.repo_metadata_file";

    /** repomd's {@code <data type="…">}. */
    @NaturalKey
    @Column(name = "data_type", nullable = false, length = 255)
    private String dataType;

    /** Where the file was, relative to the repository root ({@code repodata/…-productid.gz}). */
    @NaturalKey
    @Column(name = "relative_path", nullable = false, length = 2048)
    private String relativePath;

    /** repomd's checksum type of the file ({@code sha256}, {@code sha1}, …). */
    @NaturalKey
    @Column(name = "checksum_type", nullable = false, length = 16)
    private String checksumType;

    @NaturalKey
    @Column(name = "checksum", nullable = false, length = 128)
    private String checksum;

    protected RepoMetadataFile() {
    }

    public RepoMetadataFile(String dataType, String relativePath, String checksumType, String checksum) {
        this.dataType = dataType;
        this.relativePath = relativePath;
        this.checksumType = checksumType;
        this.checksum = checksum;
    }

    @Override
    public String label() {
        return dataType;
    }

    /** The digest its file must have: repomd's checksum, under the JDK's name for its algorithm. */
    public FileDigest fileDigest() {
        return new FileDigest(Checksums.algorithm(checksumType).orElse(checksumType), checksum);
    }

    /** The file's name without the checksum prefix createrepo gives it ({@code productid.gz}). */
    public String baseName() {
        String name = relativePath.substring(relativePath.lastIndexOf('/') + 1);
        int dash = name.indexOf('-');
        return dash >= 32 && name.substring(0, dash).matches("[0-9a-fA-F]+") ? name.substring(dash + 1) : name;
    }

    public String dataType() { return dataType; }
    public String relativePath() { return relativePath; }
    public String checksumType() { return checksumType; }
    public String checksum() { return checksum; }
}
