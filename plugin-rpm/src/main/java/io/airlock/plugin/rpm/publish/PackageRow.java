package io.airlock.plugin.rpm.publish;

import static java.util.Objects.requireNonNull;

import io.airlock.plugin.rpm.RpmFile;
import io.airlock.plugin.rpm.RpmPackage;
import java.util.List;

/**
 * What the package writers ({@link PrimaryXml}, {@link FilelistsXml}, {@link OtherXml}) get for one
 * package: the unit (primary's fields), where its file is published, its file list and its
 * changelog entries. {@link RpmPublisher#rows} builds these from what a package holds; the file
 * list goes whole to filelists.xml and, filtered by createrepo_c's rule, to primary.xml.
 */
record PackageRow(RpmPackage unit, String href, List<RpmFile> files, List<Changelog> changelogs) {

    PackageRow {
        requireNonNull(unit, "unit");
        requireNonNull(href, "href");
        files = List.copyOf(files);
        changelogs = List.copyOf(changelogs);
    }

    /** A {@code <changelog author date>text</changelog>} entry of other.xml; date in seconds since the epoch. */
    record Changelog(String author, long date, String text) {
    }
}
