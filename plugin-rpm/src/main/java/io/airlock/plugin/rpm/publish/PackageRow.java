package io.airlock.plugin.rpm.publish;

import static java.util.Objects.requireNonNull;

import io.airlock.plugin.rpm.RpmDependency;
import io.airlock.plugin.rpm.RpmFile;
import io.airlock.plugin.rpm.RpmPackage;
import io.airlock.plugin.rpm.RpmPackage.DependencyKind;
import java.util.ArrayList;
import java.util.List;

/**
 * What the package writers ({@link PrimaryXml}, {@link FilelistsXml}, {@link OtherXml}) get for one
 * package: the unit (primary's fields), where its file is published, the files primary.xml lists
 * for it, its whole file list (filelists.xml), its changelog entries (other.xml) and its dependency
 * lists (primary.xml). The packed lists and the stored dependency JSON are unpacked when asked for,
 * by the writer's own thread ({@link PackageWriters}), each once.
 * {@link RpmPublisher} builds these from what {@link PackageScan} reads.
 */
record PackageRow(RpmPackage unit, String href, String[] storedDependencies) {

    PackageRow {
        requireNonNull(unit, "unit");
        requireNonNull(href, "href");
        requireNonNull(storedDependencies, "storedDependencies");
    }

    /** The dependency list of {@code kind}, parsed from its stored JSON ({@link PackageScan#dependencies}). */
    List<RpmDependency> dependencies(DependencyKind kind) {
        List<RpmDependency> entries = new ArrayList<>();
        PackageScan.dependencies(storedDependencies[PackageScan.KINDS.indexOf(kind)], entries, unit);
        return entries;
    }

    /** The files primary.xml lists, as the package came with them. */
    List<RpmFile> primaryFiles() {
        return unit.files();
    }

    /** Every file: filelists' list when the package kept one, else primary's. */
    List<RpmFile> files() {
        return unit.completeFiles();
    }

    /** The changelog entries, oldest first as other.xml lists them. */
    List<Changelog> changelogs() {
        return unit.changelogs().stream().map(c -> new Changelog(c.author(), c.date(), c.text())).toList();
    }

    /** A {@code <changelog author date>text</changelog>} entry of other.xml; date in seconds since the epoch. */
    record Changelog(String author, long date, String text) {
    }
}
