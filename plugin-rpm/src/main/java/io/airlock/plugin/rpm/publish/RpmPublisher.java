package io.airlock.plugin.rpm.publish;

import static java.util.Objects.requireNonNull;

import io.airlock.core.Airlock;
import io.airlock.core.model.Repository;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.core.repository.VersionMembership;
import io.airlock.core.repository.VersionRef;
import io.airlock.core.store.OutputDirectory;
import io.airlock.core.store.RelativePaths;
import io.airlock.core.store.StoredArtifact;
import io.airlock.plugin.rpm.Modulemd;
import io.airlock.plugin.rpm.ModulemdDefaults;
import io.airlock.plugin.rpm.ModulemdObsolete;
import io.airlock.plugin.rpm.PackageCategory;
import io.airlock.plugin.rpm.PackageEnvironment;
import io.airlock.plugin.rpm.PackageGroup;
import io.airlock.plugin.rpm.PackageLangpacks;
import io.airlock.plugin.rpm.RepoMetadata;
import io.airlock.plugin.rpm.RepoMetadataFile;
import io.airlock.plugin.rpm.RpmAdvisory;
import io.airlock.plugin.rpm.RpmPackage;
import io.airlock.plugin.rpm.RpmPlugin;
import io.airlock.plugin.rpm.publish.PublishOptions.Compression;
import io.airlock.plugin.rpm.repodata.Repodata;
import io.airlock.spi.AirlockException;
import io.airlock.spi.Content;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.Messages;
import io.airlock.spi.ProgressListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.Session;

/**
 * Publishes an rpm repository version as a yum repository that dnf installs from: package files
 * under {@code Packages/}, and {@code repodata/} with primary, filelists, other, comps
 * ({@code group}, and compressed), updateinfo, {@code modules.yaml}, the other metadata files the
 * version keeps ({@link RepoMetadataFile}: productid and the like) and repomd.xml, optionally a
 * detached signature of repomd.xml and a {@code .repo} file. Written in a staging folder beside the
 * output directory and moved into place when complete ({@link OutputDirectory}).
 *
 * <p><b>Deterministic.</b> The same version gives the same repodata bytes: units are read in the
 * order of their natural attributes (packages by name, version, release, arch, epoch), times come
 * from the version's creation, and compressed files carry no time of their own.
 *
 * <p><b>Streaming.</b> Packages are read in batches of {@value #BATCH} with plain JDBC
 * ({@link PackageScan}: no entities) and written to primary, filelists and other at once, on two
 * threads while the next batch is read ({@link PackageWriters}); other units in batches too.
 * Memory does not grow with the version.
 *
 * <p><b>Where each file's content comes from</b> — the places to extend when units keep more:
 * <ul>
 * <li>{@link PackageScan} reads a package's columns and {@code row()} turns it into a
 *     {@link PackageRow}: the files primary.xml lists (as the package came with them), the
 *     complete file list (filelists.xml; primary's list for a package synced without filelists),
 *     the changelog entries (other.xml) and the dependency lists, unpacked from the package's own
 *     columns ({@link io.airlock.plugin.rpm.PackedLists}, JSON) by the writer that needs them.
 * <li>{@code modulesDocuments()} writes modules.yaml: each module build's, defaults' and
 *     obsolete's original document; another document kind is one more scan there.
 * <li>{@code head()} gives repomd.xml's revision and tags: those of the version's
 *     {@link RepoMetadata} unit, else the version's creation time and none.
 *     {@code writeMetadataFiles()} copies each kept metadata file byte for byte (its compression
 *     as it came), listed in repomd.xml like the rest.
 * </ul>
 * Each metadata file has one writer ({@link PrimaryXml}, {@link FilelistsXml}, {@link OtherXml},
 * {@link UpdateinfoXml}, {@link CompsXml}, {@link ModulesYaml}, {@link RepomdXml}) that takes
 * rows and knows nothing of the database.
 */
public final class RpmPublisher {

    static final int BATCH = 500;

    private final Airlock airlock;

    public RpmPublisher(Airlock airlock) {
        this.airlock = requireNonNull(airlock, "airlock");
    }

    /**
     * Writes the version {@code ref} names to {@code outputDirectory}, which must not exist or be
     * empty. Refused, before anything is written: a repository of another family, a version with
     * packages whose files are not in the store unless {@link PublishOptions#allowOnDemand()} (naming
     * the first and the count), an unreadable public key. Refused while writing, leaving nothing:
     * two packages that would be published at one path (both named), a value XML cannot carry, a
     * signing command that fails.
     */
    public Publication publish(VersionRef ref, Path outputDirectory, PublishOptions options, ProgressListener progress) {
        requireNonNull(options, "options");
        requireNonNull(progress, "progress");
        // One read-only transaction: every query sees the same database state.
        return airlock.inRolledBackTransaction(session -> {
            Repository repository = airlock.repositories().get(session, ref.repository());
            if (!repository.family().equals(RpmPlugin.NAME)) {
                throw new AirlockException(ErrorCode.CONFLICT, "repository '" + ref.repository() + "' holds "
                        + repository.family() + " content, not rpm content");
            }
            RepositoryVersion version = airlock.repositories().versionForReading(session, ref); // kept until published
            VersionRef pinned = VersionRef.of(ref.repository(), version.number());
            if (!options.allowOnDemand()) {
                refuseOnDemand(session, version, pinned);
            }
            options.signing().ifPresent(signing -> {
                if (!Files.isRegularFile(signing.publicKey()) || !Files.isReadable(signing.publicKey())) {
                    throw new AirlockException(ErrorCode.NOT_FOUND, "public key " + signing.publicKey()
                            + " is not a readable file");
                }
            });
            OutputDirectory.checkUsable(outputDirectory);
            Path target = outputDirectory.toAbsolutePath().normalize();
            return OutputDirectory.write(airlock.workArea(), outputDirectory, pinned.toString(),
                    staging -> new Run(session, version, pinned, staging, target, options, progress).run());
        });
    }

    private void refuseOnDemand(Session session, RepositoryVersion version, VersionRef ref) {
        String where = " from RepositoryContent rc join RpmPackage c on c.id = rc.key.contentId where "
                + VersionMembership.hql("rc", ":r", ":n")
                + " and not exists (select 1 from ContentArtifact ca where ca.contentId = c.id and ca.artifactId is not null)";
        long count = session.createSelectionQuery("select count(*)" + where, Long.class)
                .setParameter("r", version.repositoryId()).setParameter("n", version.number()).getSingleResult();
        if (count == 0) {
            return;
        }
        RpmPackage first = session.createSelectionQuery("select c" + where
                        + " order by c.name, c.version, c.release, c.arch, c.epoch, c.id", RpmPackage.class)
                .setParameter("r", version.repositoryId()).setParameter("n", version.number())
                .setMaxResults(1).getSingleResult();
        throw new AirlockException(ErrorCode.INVALID_INPUT, ref + " has " + count + (count == 1 ? " package" : " packages")
                + " whose file is not in the artifact store (on demand), the first " + first.nevra()
                + "; use --allow-on-demand to publish them as metadata only");
    }

    /** One publication being written. */
    private final class Run {
        private final Session session;
        private final RepositoryVersion version;
        private final VersionRef ref;
        private final Path staging;
        private final Path target;
        private final Path repodata;
        private final PublishOptions options;
        private final ProgressListener progress;
        private final OrderedScan scan;
        private final long timestamp;
        private final List<RepodataFile> files = new ArrayList<>();
        private final Map<String, Long> counts;
        private long packages;
        private long packageFiles;
        private long packageBytes;
        private long onDemand;
        private boolean linking = true;
        private String previousHref;
        private String previousNevra;
        private Path createdDirectory;

        Run(Session session, RepositoryVersion version, VersionRef ref, Path staging, Path target, PublishOptions options,
                ProgressListener progress) {
            this.session = session;
            this.version = version;
            this.ref = ref;
            this.staging = staging;
            this.target = target;
            this.repodata = staging.resolve("repodata");
            this.options = options;
            this.progress = progress;
            this.scan = new OrderedScan(airlock, session, version);
            this.timestamp = version.created().getEpochSecond();
            this.counts = scan.counts();
        }

        private long count(String type) {
            return counts.getOrDefault(type, 0L);
        }

        Publication run() throws IOException {
            Files.createDirectories(repodata);
            writePackages();
            writeComps();
            writeUpdateinfo();
            modulesDocuments();
            writeMetadataFiles();
            Path repomd = repodata.resolve("repomd.xml");
            try (Writer out = Files.newBufferedWriter(repomd, StandardCharsets.UTF_8)) {
                RepomdXml.write(out, head(), files);
            }
            if (options.signing().isPresent()) {
                Signer.sign(options.signing().get(), repomd, repodata.resolve("repomd.xml.asc"), staging);
                Files.copy(options.signing().get().publicKey(), repodata.resolve("repomd.xml.key"));
            }
            if (options.repoFile().isPresent()) {
                writeRepoFile(options.repoFile().get());
            }
            return new Publication(target, ref.toString(), packages, packageFiles, packageBytes, onDemand, files,
                    options.signing().isPresent());
        }

        private MetadataFile file(String type, String name) throws IOException {
            return new MetadataFile(repodata, type, name, options.checksum(), options.compression());
        }

        private void writePackages() throws IOException {
            long total = count(RpmPackage.TYPE);
            try (MetadataFile primaryFile = file("primary", "primary.xml");
                    MetadataFile filelistsFile = file("filelists", "filelists.xml");
                    MetadataFile otherFile = file("other", "other.xml");
                    PackageWriters writers = new PackageWriters(new PrimaryXml(new XmlOut(primaryFile.writer())),
                            new FilelistsXml(new XmlOut(filelistsFile.writer())), new OtherXml(new XmlOut(otherFile.writer())))) {
                writers.begin(total);
                session.doWork(connection -> new PackageScan(connection, version, BATCH).scan(batch -> {
                    List<PackageRow> rows = new ArrayList<>(batch.size());
                    for (PackageScan.Stored stored : batch) {
                        rows.add(row(stored));
                    }
                    writers.add(rows);
                    packages += batch.size();
                    progress.progress("packages", packages, total);
                }));
                writers.end();
                files.add(primaryFile.finish(timestamp));
                files.add(filelistsFile.finish(timestamp));
                files.add(otherFile.finish(timestamp));
            }
        }

        /**
         * The row the writers get for a package: the package and its published location, its file
         * placed there (a hard link into the store, else a copy) unless it is on demand.
         */
        private PackageRow row(PackageScan.Stored stored) {
            RpmPackage unit = stored.unit();
            String href = href(unit);
            if (stored.artifact().isPresent()) {
                place(stored.artifact().get(), RelativePaths.resolve(staging, href, "package " + unit.nevra()));
            } else {
                onDemand++;
            }
            return new PackageRow(unit, href, stored.dependencies());
        }

        /**
         * {@code Packages/[<letter>/]name-version-release.arch.rpm}. Packages come ordered by name,
         * version, release and arch, so two that would share a path are neighbours.
         */
        private String href(RpmPackage unit) {
            String fileName = unit.name() + "-" + unit.version() + "-" + unit.release() + "." + unit.arch() + ".rpm";
            if (fileName.indexOf('/') >= 0) {
                throw new AirlockException(ErrorCode.INVALID_INPUT, "package " + Messages.cut(unit.nevra())
                        + ": its file name would hold a '/'");
            }
            String href = switch (options.layout()) {
                case LETTER -> "Packages/" + fileName.substring(0, Character.charCount(fileName.codePointAt(0)))
                        .toLowerCase(Locale.ROOT) + "/" + fileName;
                case FLAT -> "Packages/" + fileName;
            };
            RelativePaths.check(href, "package " + unit.nevra());
            if (href.equals(previousHref)) {
                throw new AirlockException(ErrorCode.CONFLICT, "packages " + previousNevra + " and " + unit.nevra()
                        + " would both be published as " + href);
            }
            previousHref = href;
            previousNevra = unit.nevra();
            return href;
        }

        private void place(StoredArtifact artifact, Path destination) {
            try {
                Path directory = destination.getParent();
                if (!directory.equals(createdDirectory)) {
                    Files.createDirectories(directory);
                    createdDirectory = directory;
                }
                Path source = airlock.artifacts().path(artifact.sha256());
                if (linking) {
                    try {
                        Files.createLink(destination, source);
                    } catch (UnsupportedOperationException | FileSystemException e) {
                        linking = false; // another filesystem, or no hard links: copy from now on
                    }
                }
                if (!linking) {
                    Files.copy(source, destination);
                }
                packageFiles++;
                packageBytes += artifact.size();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        private void writeComps() throws IOException {
            if (count(PackageGroup.TYPE) + count(PackageCategory.TYPE) + count(PackageEnvironment.TYPE)
                    + count(PackageLangpacks.TYPE) == 0) {
                return;
            }
            RepodataFile plain;
            try (MetadataFile comps = new MetadataFile(repodata, "group", "comps.xml", options.checksum(), Compression.NONE)) {
                CompsXml xml = new CompsXml(new XmlOut(comps.writer()));
                xml.begin();
                each(PackageGroup.class, List.of("groupId"), xml::group);
                each(PackageCategory.class, List.of("categoryId"), xml::category);
                each(PackageEnvironment.class, List.of("environmentId"), xml::environment);
                each(PackageLangpacks.class, List.of("digest"), xml::langpacks);
                xml.end();
                plain = comps.finish(timestamp);
            }
            files.add(plain);
            if (options.compression() != Compression.NONE) {
                try (InputStream in = Files.newInputStream(staging.resolve(plain.href()))) {
                    copyFile("group_" + options.compression().suffix().substring(1), "comps.xml", in);
                }
            }
        }

        private void writeUpdateinfo() throws IOException {
            if (count(RpmAdvisory.TYPE) == 0) {
                return;
            }
            try (MetadataFile file = file("updateinfo", "updateinfo.xml")) {
                UpdateinfoXml xml = new UpdateinfoXml(new XmlOut(file.writer()));
                xml.begin();
                scan.scan(RpmAdvisory.class, List.of("advisoryId"), BATCH, (reader, batch) -> {
                    // Children in three queries per batch, as an export reads them.
                    airlock.plugins().resource(RpmAdvisory.class).prepareForWrite(reader, batch);
                    for (RpmAdvisory advisory : batch) {
                        write(advisory.label(), () -> xml.add(advisory));
                    }
                });
                xml.end();
                files.add(file.finish(timestamp));
            }
        }

        /** modules.yaml: module builds, then defaults, then obsoletes, each document as the unit kept it. */
        private void modulesDocuments() throws IOException {
            if (count(Modulemd.TYPE) + count(ModulemdDefaults.TYPE) + count(ModulemdObsolete.TYPE) == 0) {
                return;
            }
            try (MetadataFile file = file("modules", "modules.yaml")) {
                ModulesYaml yaml = new ModulesYaml(file.writer());
                each(Modulemd.class, List.of("name", "stream", "version", "context", "arch"), unit -> yaml.document(unit.snippet()));
                each(ModulemdDefaults.class, List.of("module"), unit -> yaml.document(unit.snippet()));
                // Not by context: databases sort its nulls differently, and the digest orders the rest.
                each(ModulemdObsolete.class, List.of("module", "stream", "modified", "digest"), unit -> yaml.document(unit.snippet()));
                files.add(file.finish(timestamp));
            }
        }

        /**
         * The other metadata files (productid and the like), by type: each copied as it is, named
         * {@code <checksum>-<name>} with the name it came with (compression suffix included); a
         * compressed one also gets the open-checksum and open-size of its content, as modifyrepo_c
         * writes them. One whose file is not in the store is left out with {@code allowOnDemand},
         * refused otherwise.
         */
        private void writeMetadataFiles() {
            if (count(RepoMetadataFile.TYPE) == 0) {
                return;
            }
            scan.scan(RepoMetadataFile.class, List.of("dataType"), BATCH, (reader, batch) -> {
                Map<UUID, StoredArtifact> stored = storedFiles(reader, batch);
                for (RepoMetadataFile unit : batch) {
                    StoredArtifact artifact = stored.get(unit.id());
                    if (artifact == null) {
                        if (options.allowOnDemand()) {
                            continue;
                        }
                        throw new AirlockException(ErrorCode.INVALID_INPUT, RepoMetadataFile.TYPE + ":" + Messages.cut(unit.label())
                                + ": its file is not in the artifact store (on demand); use --allow-on-demand to publish without it");
                    }
                    write(unit.typeId() + ":" + unit.label(), () -> files.add(copyAsIs(unit, artifact)));
                }
            });
        }

        /** The stored file of each unit of the batch that has one, in one query. */
        private Map<UUID, StoredArtifact> storedFiles(Session reader, List<? extends Content> batch) {
            Map<UUID, StoredArtifact> stored = new HashMap<>();
            List<UUID> ids = batch.stream().map(Content::id).toList();
            for (Object[] row : reader.createSelectionQuery("select ca.contentId, a.sha256, a.size from ContentArtifact ca"
                    + " join Artifact a on a.id = ca.artifactId where ca.contentId in :ids", Object[].class)
                    .setParameter("ids", ids).getResultList()) {
                stored.put((UUID) row[0], new StoredArtifact((String) row[1], (Long) row[2]));
            }
            return stored;
        }

        private RepodataFile copyAsIs(RepoMetadataFile unit, StoredArtifact artifact) throws IOException {
            String name = unit.baseName();
            RepodataFile copied;
            try (MetadataFile file = new MetadataFile(repodata, unit.dataType(), name, options.checksum(), Compression.NONE);
                    InputStream in = airlock.artifacts().open(artifact.sha256())) {
                file.copy(in);
                copied = file.finish(timestamp);
            }
            if (!Repodata.compressed(name)) {
                return copied;
            }
            java.security.MessageDigest digest = MetadataFile.digest(options.checksum());
            long size = 0;
            try (InputStream content = Repodata.decompressed(Files.newInputStream(staging.resolve(copied.href())), copied.size(), name)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = content.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                    size += n;
                }
            }
            return new RepodataFile(copied.type(), copied.href(), copied.checksumType(), copied.checksum(), copied.size(),
                    Optional.of(HexFormat.of().formatHex(digest.digest())), Optional.of(size), copied.timestamp());
        }

        /**
         * Writes {@code in} as repodata file {@code type}, named {@code <checksum>-<name>} plus the
         * compression's suffix for {@code _gz}/{@code _zst} types.
         */
        private void copyFile(String type, String name, InputStream in) throws IOException {
            Compression compression = type.endsWith("_gz") ? Compression.GZ : type.endsWith("_zst") ? Compression.ZSTD
                    : Compression.NONE;
            try (MetadataFile file = new MetadataFile(repodata, type, name, options.checksum(), compression)) {
                file.copy(in);
                files.add(file.finish(timestamp));
            }
        }

        /**
         * repomd.xml's revision and tags: those the version's {@link RepoMetadata} keeps (a version
         * holds at most one), else the version's creation time in seconds and no tags.
         */
        private RepomdXml.Head head() {
            List<RepomdXml.Head> kept = new ArrayList<>(1);
            each(RepoMetadata.class, List.of("digest"), unit -> kept.add(new RepomdXml.Head(
                    unit.revision() != null ? unit.revision() : Long.toString(timestamp), unit.contentTags(), unit.repoTags(),
                    unit.distroTags().stream().map(d -> new RepomdXml.Distro(d.cpeid(), d.name())).toList())));
            return kept.isEmpty() ? RepomdXml.Head.of(Long.toString(timestamp)) : kept.get(0);
        }

        private interface UnitWriter<T> {
            void write(T unit) throws IOException;
        }

        private interface Step {
            void run() throws IOException;
        }

        private <T extends Content> void each(Class<T> type, List<String> order, UnitWriter<T> writer) {
            if (count(airlock.plugins().resource(type).typeId()) == 0) {
                return;
            }
            scan.scan(type, order, BATCH, (reader, batch) -> {
                for (T unit : batch) {
                    write(unit.typeId() + ":" + unit.label(), () -> writer.write(unit));
                }
            });
        }

        private void write(String unit, Step step) {
            try {
                step.run();
            } catch (IllegalArgumentException e) {
                throw new AirlockException(ErrorCode.INVALID_INPUT, Messages.cut(unit) + ": " + e.getMessage());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        private void writeRepoFile(PublishOptions.RepoFile repoFile) throws IOException {
            String baseUrl = repoFile.baseUrl().endsWith("/") ? repoFile.baseUrl() : repoFile.baseUrl() + "/";
            boolean signed = options.signing().isPresent();
            StringBuilder text = new StringBuilder()
                    .append('[').append(repoFile.id()).append("]\n")
                    .append("name=").append(repoFile.id()).append(" (").append(ref).append(")\n")
                    .append("baseurl=").append(baseUrl).append('\n')
                    .append("enabled=1\n")
                    .append("gpgcheck=0\n")
                    .append("repo_gpgcheck=").append(signed ? 1 : 0).append('\n');
            if (signed) {
                text.append("gpgkey=").append(baseUrl).append("repodata/repomd.xml.key\n");
            }
            Files.writeString(staging.resolve(repoFile.fileName()), text, StandardCharsets.UTF_8);
        }
    }
}
