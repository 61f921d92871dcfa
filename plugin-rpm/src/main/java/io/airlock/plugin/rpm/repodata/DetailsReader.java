package io.airlock.plugin.rpm.repodata;

import io.airlock.plugin.rpm.RpmChangelog;
import io.airlock.plugin.rpm.RpmFile;
import io.airlock.plugin.rpm.RpmPackage;
import io.airlock.plugin.rpm.StringPool;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Pulls the {@code <package>} entries of {@code filelists.xml} (files) or {@code other.xml}
 * (changelogs) one at a time, to be matched with primary's packages as they stream by: createrepo_c
 * and every other writer list packages in the same order in the three files, so one entry of
 * look-ahead is enough and memory does not grow with the file. An entry that does not match the
 * package primary has at that point is kept for the next package; see {@link #take}.
 */
final class DetailsReader implements AutoCloseable {

    /** What a file describes: filelists' files or other's changelog entries. */
    enum Kind {
        FILELISTS("filelists"), OTHER("otherdata");

        final String root;

        Kind(String root) {
            this.root = root;
        }
    }

    /** One {@code <package>} entry: whose it is, and its files or changelog entries. */
    record Entry(String pkgId, String name, String arch, String epoch, String version, String release, List<RpmFile> files,
            List<RpmChangelog> changelogs) {

        boolean matches(RpmPackage p) {
            return pkgId.equalsIgnoreCase(p.pkgId()) && name.equals(p.name()) && arch.equals(p.arch())
                    && epoch.equals(p.epoch()) && Objects.equals(version, p.version()) && Objects.equals(release, p.release());
        }
    }

    private final InputStream in;
    private Xml xml;
    private final Kind kind;
    private final StringPool pool = new StringPool();
    private Entry pending;
    private boolean ended;
    private long matched;
    private long missing;

    DetailsReader(InputStream in, String file, Kind kind) {
        this.in = in;
        this.kind = kind;
        try {
            this.xml = new Xml(in, file);
            if (!xml.next() || !xml.name().equals(kind.root)) {
                throw xml.error("the root element is not <" + kind.root + ">");
            }
        } catch (RuntimeException e) {
            close(); // the caller gets no reader to close
            throw e;
        }
    }

    /**
     * The entry for {@code p} if it is the next one in the file, else null (the entry waits for a
     * later package: primary lists a package this file lacks).
     */
    Entry take(RpmPackage p) {
        if (pending == null && !ended) {
            pending = read();
        }
        if (pending != null && pending.matches(p)) {
            Entry found = pending;
            pending = null;
            matched++;
            return found;
        }
        missing++;
        return null;
    }

    /** Packages primary lists that had no entry here. */
    long missing() {
        return missing;
    }

    /** Entries here that matched no package of primary (read to the end of the file to count them). */
    long unmatched() {
        long left = pending == null ? 0 : 1;
        pending = null;
        while (!ended && read() != null) {
            left++;
        }
        return left;
    }

    private Entry read() {
        while (xml.nextChild()) {
            if (!xml.name().equals("package")) {
                xml.skip();
                continue;
            }
            return entry();
        }
        ended = true;
        return null;
    }

    private Entry entry() {
        String where = xml.position();
        String pkgId = xml.attribute("pkgid");
        String name = xml.attribute("name");
        String arch = pool.intern(xml.attribute("arch"));
        String epoch = "0", version = null, release = null;
        List<RpmFile> files = kind == Kind.FILELISTS ? new ArrayList<>() : null;
        List<RpmChangelog> changelogs = kind == Kind.OTHER ? new ArrayList<>() : null;
        while (xml.nextChild()) {
            switch (xml.name()) {
                case "version" -> {
                    String e = xml.attribute("epoch");
                    epoch = e == null || e.isEmpty() ? "0" : pool.intern(e);
                    version = pool.intern(xml.attribute("ver"));
                    release = pool.intern(xml.attribute("rel"));
                    xml.skip();
                }
                case "file" -> {
                    if (files == null) {
                        xml.skip();
                    } else {
                        String type = pool.intern(xml.attribute("type"));
                        files.add(new RpmFile(xml.text(), type == null || type.equals("file") ? null : type));
                    }
                }
                case "changelog" -> {
                    if (changelogs == null) {
                        xml.skip();
                    } else {
                        String author = xml.attribute("author");
                        Long date = xml.longAttribute("date");
                        changelogs.add(new RpmChangelog(author == null ? "" : author, date == null ? 0 : date, xml.text()));
                    }
                }
                default -> xml.skip();
            }
        }
        if (pkgId == null || name == null || arch == null) {
            throw new io.airlock.spi.AirlockException(io.airlock.spi.ErrorCode.INVALID_INPUT,
                    where + ": <package> lacks its pkgid, name or arch");
        }
        if (pool.size() > 50_000) {
            pool.clear();
        }
        return new Entry(pkgId.strip(), name, arch, epoch, version, release, files, changelogs);
    }

    @Override
    public void close() {
        try (in) {
            if (xml != null) {
                xml.close();
            }
        } catch (IOException e) {
            // Closing a file that was only read.
        }
    }
}
