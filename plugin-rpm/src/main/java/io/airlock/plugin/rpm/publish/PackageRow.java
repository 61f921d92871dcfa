package io.airlock.plugin.rpm.publish;

import static java.util.Objects.requireNonNull;

import io.airlock.plugin.rpm.RpmFile;
import io.airlock.plugin.rpm.RpmPackage;
import java.util.List;

/**
 * What the package writers ({@link PrimaryXml}, {@link FilelistsXml}, {@link OtherXml}) get for one
 * package: the unit (primary's fields), where its file is published, the files primary.xml lists
 * for it, its whole file list (filelists.xml) and its changelog entries (other.xml).
 * {@link RpmPublisher#rows} builds these from what a package holds.
 */
record PackageRow(RpmPackage unit, String href, List<RpmFile> primaryFiles, List<RpmFile> files, List<Changelog> changelogs) {

    PackageRow {
        requireNonNull(unit, "unit");
        requireNonNull(href, "href");
        primaryFiles = List.copyOf(primaryFiles);
        files = List.copyOf(files);
        changelogs = List.copyOf(changelogs);
    }

    /** A {@code <changelog author date>text</changelog>} entry of other.xml; date in seconds since the epoch. */
    record Changelog(String author, long date, String text) {
    }
}
