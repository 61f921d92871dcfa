package io.airlock.plugin.rpm.repodata;

import io.airlock.core.ingest.IngestFile;
import io.airlock.core.ingest.IngestSink;
import io.airlock.plugin.rpm.PackedLists;
import io.airlock.plugin.rpm.RepoMetadata;
import io.airlock.plugin.rpm.RepoMetadataFile;
import io.airlock.plugin.rpm.RpmAdvisory;
import io.airlock.plugin.rpm.RpmPackage;
import io.airlock.core.store.LocalDirectory;
import io.airlock.spi.AirlockException;
import io.airlock.spi.Content;
import io.airlock.spi.ErrorCode;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.ObjLongConsumer;

/**
 * The metadata of a yum repository directory, checked before anything is read: repomd.xml parsed,
 * every file Airlock uses verified against repomd's checksum. Files it lists but that are absent are
 * noted in {@link #warnings()}; an absent primary is an error. The readers then stream each file.
 */
public final class Repodata {

    private static final List<String> GROUP_TYPES = List.of("group", "group_gz", "group_xz", "group_zst");

    /**
     * repomd types that are not kept as {@link RepoMetadataFile}s: those Airlock reads into units
     * and a publication writes anew (primary, filelists, other, updateinfo, comps in every
     * compression, modules), and those derived from them or from package files that a publication
     * does not write (the sqlite databases {@code *_db}, {@code prestodelta}, {@code deltainfo} and
     * the zchunk variants {@code *_zck}).
     */
    private static final Set<String> NOT_KEPT = Set.of("primary", "filelists", "other", "updateinfo", "group", "group_gz",
            "group_xz", "group_zst", "modules", "prestodelta", "deltainfo");

    private final LocalDirectory directory;
    private final Repomd repomd;
    private final Path primary;
    private final Optional<Path> updateinfo;
    private final Optional<Path> modules;
    private final Optional<Path> comps;
    private final Optional<Path> filelists;
    private final Optional<Path> other;
    /** Other metadata files to keep, with the file found for each. */
    private final List<Extra> extras;
    /** Grows while packages are read (filelists or other that do not match primary): read it after. */
    private final List<String> warnings;

    private Repodata(LocalDirectory directory, Repomd repomd, Path primary, Optional<Path> updateinfo, Optional<Path> modules, Optional<Path> comps,
            Optional<Path> filelists, Optional<Path> other, List<Extra> extras, List<String> warnings) {
        this.directory = directory;
        this.repomd = repomd;
        this.primary = primary;
        this.updateinfo = updateinfo;
        this.modules = modules;
        this.comps = comps;
        this.filelists = filelists;
        this.other = other;
        this.extras = List.copyOf(extras);
        this.warnings = java.util.Collections.synchronizedList(new ArrayList<>(warnings));
    }

    /** Reads repomd.xml under {@code root} and verifies the files it names that Airlock uses; symbolic links refused. */
    public static Repodata open(Path root) {
        return open(LocalDirectory.open(root, LocalDirectory.Options.DEFAULT));
    }

    /**
     * Reads repomd.xml in {@code directory} and verifies the files it names that Airlock uses. Only
     * regular files are read, symbolic links only as the directory's options allow.
     */
    public static Repodata open(LocalDirectory directory) {
        Path root = directory.root();
        Repomd repomd = Repomd.read(directory);
        List<String> warnings = new ArrayList<>();
        Repomd.Entry primaryEntry = repomd.entry("primary").orElseThrow(() -> new AirlockException(ErrorCode.INVALID_INPUT,
                root.resolve(Repomd.PATH) + " lists no primary metadata"));
        Path primary = MetadataFiles.verified(directory, primaryEntry).orElseThrow(() -> new AirlockException(ErrorCode.NOT_FOUND,
                "primary metadata " + primaryEntry.location() + " named by " + Repomd.PATH + " is missing"));
        Optional<Path> updateinfo = optional(directory, repomd, "updateinfo", warnings);
        Optional<Path> modules = optional(directory, repomd, "modules", warnings);
        Optional<Path> filelists = optional(directory, repomd, "filelists", warnings);
        Optional<Path> other = optional(directory, repomd, "other", warnings);
        Optional<Path> comps = Optional.empty();
        List<String> missingGroups = new ArrayList<>();
        for (String type : GROUP_TYPES) {
            Optional<Repomd.Entry> entry = repomd.entry(type);
            if (entry.isEmpty()) {
                continue;
            }
            comps = MetadataFiles.verified(directory, entry.get());
            if (comps.isPresent()) {
                break;
            }
            missingGroups.add(entry.get().location());
        }
        if (comps.isEmpty() && !missingGroups.isEmpty()) {
            warnings.add("comps metadata " + String.join(", ", missingGroups) + " listed in " + Repomd.PATH + " is missing: ignored");
        }
        List<Extra> extras = new ArrayList<>();
        for (Repomd.Entry entry : repomd.entries()) {
            if (!kept(entry.type())) {
                continue;
            }
            String where = Repomd.PATH + " <data type=\"" + entry.type() + "\">";
            if (!Checksums.known(entry.checksumType())) {
                throw new AirlockException(ErrorCode.INVALID_INPUT, where + " has an unknown checksum type '" + entry.checksumType() + "'");
            }
            if (extras.stream().anyMatch(e -> e.entry().type().equals(entry.type()))) {
                throw new AirlockException(ErrorCode.INVALID_INPUT, Repomd.PATH + " lists type '" + entry.type() + "' twice");
            }
            Optional<Path> file = directory.file(entry.location(), where);
            if (file.isEmpty()) {
                warnings.add(entry.type() + " metadata " + entry.location() + " listed in " + Repomd.PATH + " is missing: ignored");
            } else {
                extras.add(new Extra(entry, file.get()));
            }
        }
        return new Repodata(directory, repomd, primary, updateinfo, modules, comps, filelists, other, extras, warnings);
    }

    /** Whether a repomd type is kept as a {@link RepoMetadataFile} (see {@link #NOT_KEPT}). */
    static boolean kept(String type) {
        return !NOT_KEPT.contains(type) && !type.endsWith("_db") && !type.endsWith("_zck");
    }

    private record Extra(Repomd.Entry entry, Path file) {
    }

    private static Optional<Path> optional(LocalDirectory directory, Repomd repomd, String type, List<String> warnings) {
        Optional<Repomd.Entry> entry = repomd.entry(type);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        Optional<Path> file = MetadataFiles.verified(directory, entry.get());
        if (file.isEmpty()) {
            warnings.add(type + " metadata " + entry.get().location() + " listed in " + Repomd.PATH + " is missing: ignored");
        }
        return file;
    }

    public Path root() {
        return repomd.root();
    }

    /** The directory the metadata was read from, to find package files in. */
    public LocalDirectory directory() {
        return directory;
    }

    public String revision() {
        return repomd.revision();
    }

    /**
     * Metadata files repomd.xml lists but that are not there, one message each; after the packages
     * are read, also packages filelists or other have no entry for, and entries that match no package.
     */
    public List<String> warnings() {
        synchronized (warnings) {
            return List.copyOf(warnings);
        }
    }

    public long readPackages(Consumer<RpmPackage> packages) {
        return readPackages((unit, size) -> packages.accept(unit));
    }

    /**
     * Streams the packages of primary metadata. {@code packages} receives each with its size: the
     * bytes of decompressed metadata read for it, at most {@link Limits#UNIT_BYTES}, which bounds the
     * memory it holds (callers that keep units for a while budget by it). The same for the others.
     */
    public long readPackages(ObjLongConsumer<RpmPackage> packages) {
        DetailsReader files = null;
        DetailsReader changelogs = null;
        try {
            files = details(filelists, DetailsReader.Kind.FILELISTS);
            changelogs = details(other, DetailsReader.Kind.OTHER);
            DetailsReader fileReader = files;
            DetailsReader changelogReader = changelogs;
            ObjLongConsumer<RpmPackage> detailed = (unit, size) -> {
                DetailsReader.Entry fileEntry = fileReader == null ? null : fileReader.take(unit);
                DetailsReader.Entry changelogEntry = changelogReader == null ? null : changelogReader.take(unit);
                byte[] packedFiles;
                byte[] packedChangelogs;
                try {
                    // A complete list equal to primary's (no files beyond /etc and bin/) is not kept twice.
                    packedFiles = fileEntry == null || fileEntry.files().equals(unit.files()) ? null
                            : PackedLists.packFiles(fileEntry.files());
                    packedChangelogs = changelogEntry == null || changelogEntry.changelogs().isEmpty() ? null
                            : PackedLists.packChangelogs(changelogEntry.changelogs());
                } catch (IllegalArgumentException e) {
                    throw new AirlockException(ErrorCode.INVALID_INPUT, "package " + unit.nevra() + ": its file list or changelog: "
                            + e.getMessage());
                }
                unit.details(packedFiles, packedChangelogs);
                long packed = (packedFiles == null ? 0 : packedFiles.length) + (packedChangelogs == null ? 0 : packedChangelogs.length);
                packages.accept(unit, size + packed);
            };
            long count = read(primary, (in, name, sizes) -> PrimaryReader.read(in, name, sizes.of(detailed)));
            unmatched(files, filelists, "their file list is primary's");
            unmatched(changelogs, other, "they have no changelog");
            return count;
        } finally {
            closeQuietly(files);
            closeQuietly(changelogs);
        }
    }

    private DetailsReader details(Optional<Path> file, DetailsReader.Kind kind) {
        if (file.isEmpty()) {
            return null;
        }
        String name = repomd.root().relativize(file.get()).toString();
        try {
            return new DetailsReader(MetadataFiles.open(directory, file.get(), name), name, kind);
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, "cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    private void unmatched(DetailsReader reader, Optional<Path> file, String consequence) {
        if (reader == null) {
            return;
        }
        String name = repomd.root().relativize(file.get()).toString();
        long left = reader.unmatched();
        if (reader.missing() > 0) {
            warnings.add(String.format(java.util.Locale.ROOT, "%s has no entry for %,d %s of primary metadata: %s",
                    name, reader.missing(), reader.missing() == 1 ? "package" : "packages", consequence));
        }
        if (left > 0) {
            warnings.add(String.format(java.util.Locale.ROOT, "%s has %,d %s that %s no package of primary metadata"
                    + " in its order: ignored", name, left, left == 1 ? "entry" : "entries", left == 1 ? "matches" : "match"));
        }
    }

    private static void closeQuietly(DetailsReader reader) {
        if (reader != null) {
            reader.close();
        }
    }

    public long readAdvisories(Consumer<RpmAdvisory> advisories) {
        return readAdvisories((unit, size) -> advisories.accept(unit));
    }

    public long readAdvisories(ObjLongConsumer<RpmAdvisory> advisories) {
        return updateinfo.map(file -> read(file, (in, name, sizes) -> UpdateinfoReader.read(in, name, sizes.of(advisories))))
                .orElse(0L);
    }

    /** Module builds, defaults and obsoletes. */
    public long readModules(Consumer<Content> units) {
        return readModules((unit, size) -> units.accept(unit));
    }

    public long readModules(ObjLongConsumer<Content> units) {
        return modules.map(file -> read(file, (in, name, sizes) -> ModulesReader.read(in, name, sizes.of(units)))).orElse(0L);
    }

    /** Groups, categories, environments and langpacks. */
    public long readComps(Consumer<Content> units) {
        return readComps((unit, size) -> units.accept(unit));
    }

    public long readComps(ObjLongConsumer<Content> units) {
        return comps.map(file -> read(file, (in, name, sizes) -> CompsReader.read(in, name, sizes.of(units)))).orElse(0L);
    }

    /**
     * repomd.xml's revision and tags as a unit; empty when it has neither (a unit with nothing in it
     * would only make a difference to a version without one).
     */
    public Optional<RepoMetadata> repoMetadata() {
        Repomd.Tags tags = repomd.tags();
        if (repomd.revision() == null && tags.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RepoMetadata(repomd.revision(), tags.content(), tags.repo(),
                tags.distro().stream().map(d -> new RepoMetadata.Distro(d.cpeid(), d.name())).toList()));
    }

    /**
     * The metadata files repomd.xml lists that Airlock does not read (productid and the like): each
     * stored through {@code sink} as it is and verified against repomd's checksum while stored (a
     * file that does not match is refused), then given to {@code units} with its stored file.
     */
    public long readMetadataFiles(IngestSink sink, BiConsumer<RepoMetadataFile, IngestFile> units) {
        for (Extra extra : extras) {
            Repomd.Entry entry = extra.entry();
            String checksum = entry.checksum().toLowerCase(Locale.ROOT);
            MessageDigest digest = Checksums.digest(entry.checksumType()).orElseThrow();
            IngestFile stored;
            try (InputStream in = new DigestInputStream(directory.open(extra.file()), digest)) {
                stored = sink.store(IngestFile.of(entry.location(), in));
            } catch (IOException e) {
                throw new AirlockException(ErrorCode.STORAGE_FAILURE, "cannot read " + entry.location() + ": " + e.getMessage(), e);
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(checksum)) {
                throw new AirlockException(ErrorCode.CHECKSUM_MISMATCH, entry.location() + ": " + entry.checksumType() + " is "
                        + actual + ", but " + Repomd.PATH + " says " + entry.checksum());
            }
            units.accept(new RepoMetadataFile(entry.type(), entry.location(), entry.checksumType().toLowerCase(Locale.ROOT), checksum),
                    stored);
        }
        return extras.size();
    }

    /**
     * The content of a metadata file named {@code fileName} ({@code size} bytes, read from {@code raw}):
     * decompressed by the name's suffix (gz, xz, zst, bz2) within the reader limits, or {@code raw}
     * itself when the name has none of them. For a publication's open-checksum of a kept file.
     */
    public static InputStream decompressed(InputStream raw, long size, String fileName) throws IOException {
        return MetadataFiles.decompressed(raw, size, fileName, fileName);
    }

    /** Whether {@link #decompressed} decompresses a file of this name. */
    public static boolean compressed(String fileName) {
        return MetadataFiles.compressed(fileName);
    }

    private interface Reader {
        long read(InputStream in, String name, Sizes sizes) throws IOException;
    }

    /** Counts the decompressed bytes a reader takes, and gives each unit those read since the one before. */
    private static final class Sizes extends FilterInputStream {
        private long count;
        private long reported;

        Sizes(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b >= 0 ? 1 : 0;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            count += Math.max(n, 0);
            return n;
        }

        <T> Consumer<T> of(ObjLongConsumer<? super T> units) {
            return unit -> {
                long size = Math.min(count - reported, Limits.UNIT_BYTES);
                reported = count;
                units.accept(unit, size);
            };
        }
    }

    private long read(Path file, Reader reader) {
        String name = repomd.root().relativize(file).toString();
        try (Sizes in = new Sizes(MetadataFiles.open(directory, file, name))) {
            return reader.read(in, name, in);
        } catch (IOException e) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, "cannot read " + name + ": " + e.getMessage(), e);
        }
    }
}
