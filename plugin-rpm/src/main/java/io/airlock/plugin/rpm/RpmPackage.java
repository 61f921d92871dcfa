package io.airlock.plugin.rpm;

import io.airlock.spi.Content;
import io.airlock.spi.NaturalKey;
import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.Mutability;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.java.Immutability;

/**
 * A binary or source RPM as primary metadata describes it. Identified by NEVRA plus its checksum
 * (two builds of one NEVRA are two units); labelled {@code name-[epoch:]version-release.arch}.
 *
 * <p>The eight dependency lists and the file list are JSON columns: they are read and written with
 * the package as a whole (ingest, export, solving) and never queried one entry at a time, so one row
 * per package keeps ingest and export fast.
 */
@Entity
@Table(name = "rpm_package", indexes = @Index(name = "ix_rpm_package_name", columnList = "name"))
@DiscriminatorValue(RpmPackage.TYPE)
public class RpmPackage extends Content {

    public static final String TYPE = "rpm.package";

    @NaturalKey
    @Column(name = "name", nullable = false, length = 255)
    private String name;

    @NaturalKey
    @Column(name = "epoch", nullable = false, length = 32)
    private String epoch;

    @NaturalKey
    @Column(name = "version", nullable = false, length = 255)
    private String version;

    @NaturalKey
    @Column(name = "release", nullable = false, length = 255)
    private String release;

    @NaturalKey
    @Column(name = "arch", nullable = false, length = 32)
    private String arch;

    @NaturalKey
    @Column(name = "pkg_id", nullable = false, length = 128)
    private String pkgId;

    @NaturalKey
    @Column(name = "checksum_type", nullable = false, length = 16)
    private String checksumType;

    @Column(name = "summary", length = RpmText.LONG)
    private String summary;

    @Column(name = "description", length = RpmText.LONG)
    private String description;

    @Column(name = "url", length = 2048)
    private String url;

    @Column(name = "packager", length = 1024)
    private String packager;

    @Column(name = "location_href", nullable = false, length = 2048)
    private String locationHref;

    @Column(name = "location_base", length = 2048)
    private String locationBase;

    private Long sizePackage;
    private Long sizeInstalled;
    private Long sizeArchive;
    private Long timeFile;
    private Long timeBuild;

    @Column(name = "rpm_license", length = 4096)
    private String rpmLicense;

    @Column(name = "rpm_vendor", length = 1024)
    private String rpmVendor;

    @Column(name = "rpm_group", length = 1024)
    private String rpmGroup;

    @Column(name = "rpm_buildhost", length = 1024)
    private String rpmBuildhost;

    @Column(name = "rpm_sourcerpm", length = 1024)
    private String rpmSourcerpm;

    private Long rpmHeaderStart;
    private Long rpmHeaderEnd;

    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    private List<RpmDependency> requires = new ArrayList<>();
    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    private List<RpmDependency> provides = new ArrayList<>();
    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    private List<RpmDependency> conflicts = new ArrayList<>();
    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    private List<RpmDependency> obsoletes = new ArrayList<>();
    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    private List<RpmDependency> recommends = new ArrayList<>();
    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    private List<RpmDependency> suggests = new ArrayList<>();
    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    private List<RpmDependency> enhances = new ArrayList<>();
    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    private List<RpmDependency> supplements = new ArrayList<>();

    /** The files primary metadata lists (not the whole payload: filelists has that). */
    @JdbcTypeCode(SqlTypes.JSON)
    @Mutability(Immutability.class)
    private List<RpmFile> files = new ArrayList<>();

    /**
     * The complete file list of filelists.xml, packed ({@link PackedLists}); null when it equals
     * primary's {@link #files} (kept once), or when the repository's filelists had no entry for the
     * package (primary's files are all there is).
     */
    @Column(name = "file_list", length = PackedLists.COLUMN_BYTES)
    private byte[] fileList;

    /** The changelog entries of other.xml, packed ({@link PackedLists}); null when there were none. */
    @Column(name = "changelog", length = PackedLists.COLUMN_BYTES)
    private byte[] changelog;

    protected RpmPackage() {
    }

    public RpmPackage(String name, String epoch, String version, String release, String arch, String pkgId,
            String checksumType, String locationHref) {
        this.name = requireText(name, "name");
        this.epoch = epoch == null || epoch.isEmpty() ? "0" : epoch;
        this.version = requireText(version, "version");
        this.release = requireText(release, "release");
        this.arch = requireText(arch, "arch");
        this.pkgId = requireText(pkgId, "pkgId");
        this.checksumType = requireText(checksumType, "checksumType");
        this.locationHref = requireText(locationHref, "locationHref");
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("package " + what + " is missing");
        }
        return value;
    }

    @Override
    public String label() {
        return nevra();
    }

    /** {@code name-[epoch:]version-release.arch}, the epoch only when it is not 0. */
    public String nevra() {
        return nevra(name, epoch, version, release, arch);
    }

    /** {@code name-[epoch:]version-release.arch} as packages are labelled; a null or empty epoch is 0. */
    public static String nevra(String name, String epoch, String version, String release, String arch) {
        boolean zero = epoch == null || epoch.isEmpty() || epoch.equals("0");
        return name + "-" + (zero ? "" : epoch + ":") + version + "-" + release + "." + arch;
    }

    public String name() { return name; }
    public String epoch() { return epoch; }
    public String version() { return version; }
    public String release() { return release; }
    public String arch() { return arch; }
    public String pkgId() { return pkgId; }

    /**
     * The package file's own digest: {@code pkgId} by its checksum type. An unknown type keeps its
     * name, which no digest algorithm has, so a link to this package is refused rather than unchecked.
     */
    public io.airlock.spi.FileDigest fileDigest() {
        return new io.airlock.spi.FileDigest(io.airlock.plugin.rpm.repodata.Checksums.algorithm(checksumType).orElse(checksumType), pkgId);
    }
    public String checksumType() { return checksumType; }
    public String summary() { return summary; }
    public String description() { return description; }
    public String url() { return url; }
    public String packager() { return packager; }
    public String locationHref() { return locationHref; }
    public String locationBase() { return locationBase; }
    public Long sizePackage() { return sizePackage; }
    public Long sizeInstalled() { return sizeInstalled; }
    public Long sizeArchive() { return sizeArchive; }
    public Long timeFile() { return timeFile; }
    public Long timeBuild() { return timeBuild; }
    public String rpmLicense() { return rpmLicense; }
    public String rpmVendor() { return rpmVendor; }
    public String rpmGroup() { return rpmGroup; }
    public String rpmBuildhost() { return rpmBuildhost; }
    public String rpmSourcerpm() { return rpmSourcerpm; }
    public Long rpmHeaderStart() { return rpmHeaderStart; }
    public Long rpmHeaderEnd() { return rpmHeaderEnd; }
    public List<RpmDependency> requires() { return requires; }
    public List<RpmDependency> provides() { return provides; }
    public List<RpmDependency> conflicts() { return conflicts; }
    public List<RpmDependency> obsoletes() { return obsoletes; }
    public List<RpmDependency> recommends() { return recommends; }
    public List<RpmDependency> suggests() { return suggests; }
    public List<RpmDependency> enhances() { return enhances; }
    public List<RpmDependency> supplements() { return supplements; }
    public List<RpmFile> files() { return files; }

    /** The packed complete file list ({@link PackedLists}), null when filelists did not give one. */
    public byte[] packedFileList() { return fileList; }

    /** The packed changelog entries ({@link PackedLists}), null when there were none. */
    public byte[] packedChangelog() { return changelog; }

    /** Every file of the package: filelists' complete list when kept, else the files primary lists. */
    public List<RpmFile> completeFiles() {
        return fileList == null ? files : PackedLists.unpackFiles(fileList, "package " + nevra());
    }

    /** The changelog entries, oldest as other.xml lists them first. */
    public List<RpmChangelog> changelogs() {
        return changelog == null ? List.of() : PackedLists.unpackChangelogs(changelog, "package " + nevra());
    }

    /** Sets the packed complete file list and changelog (either may be null), as read or imported. */
    public RpmPackage details(byte[] packedFileList, byte[] packedChangelog) {
        this.fileList = packedFileList;
        this.changelog = packedChangelog;
        return this;
    }

    public RpmPackage describe(String summary, String description, String url, String packager) {
        this.summary = summary;
        this.description = description;
        this.url = url;
        this.packager = packager;
        return this;
    }

    public RpmPackage sizes(Long sizePackage, Long sizeInstalled, Long sizeArchive) {
        this.sizePackage = sizePackage;
        this.sizeInstalled = sizeInstalled;
        this.sizeArchive = sizeArchive;
        return this;
    }

    public RpmPackage times(Long timeFile, Long timeBuild) {
        this.timeFile = timeFile;
        this.timeBuild = timeBuild;
        return this;
    }

    public RpmPackage locationBase(String locationBase) {
        this.locationBase = locationBase;
        return this;
    }

    public RpmPackage header(String license, String vendor, String group, String buildhost, String sourcerpm,
            Long headerStart, Long headerEnd) {
        this.rpmLicense = license;
        this.rpmVendor = vendor;
        this.rpmGroup = group;
        this.rpmBuildhost = buildhost;
        this.rpmSourcerpm = sourcerpm;
        this.rpmHeaderStart = headerStart;
        this.rpmHeaderEnd = headerEnd;
        return this;
    }

    /** The dependency list of {@code kind}, mutable: used while metadata is read. */
    public List<RpmDependency> dependencies(DependencyKind kind) {
        return switch (kind) {
            case REQUIRES -> requires;
            case PROVIDES -> provides;
            case CONFLICTS -> conflicts;
            case OBSOLETES -> obsoletes;
            case RECOMMENDS -> recommends;
            case SUGGESTS -> suggests;
            case ENHANCES -> enhances;
            case SUPPLEMENTS -> supplements;
        };
    }

    /** The eight dependency lists of primary metadata, named as its elements are. */
    public enum DependencyKind {
        REQUIRES, PROVIDES, CONFLICTS, OBSOLETES, RECOMMENDS, SUGGESTS, ENHANCES, SUPPLEMENTS;

        /** The element name in primary.xml, e.g. {@code requires}. */
        public String element() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
