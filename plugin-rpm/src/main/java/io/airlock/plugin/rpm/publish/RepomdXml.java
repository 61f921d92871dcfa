package io.airlock.plugin.rpm.publish;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/** {@code repomd.xml}: the revision, the tags, and one {@code <data>} entry per metadata file. */
final class RepomdXml {

    /**
     * What repomd.xml says besides its files: the revision and the {@code <tags>} (each
     * {@code distro} tag with its optional {@code cpeid}).
     */
    record Head(String revision, List<String> content, List<String> repo, List<Distro> distro) {
        Head {
            requireNonNull(revision, "revision");
            content = List.copyOf(content);
            repo = List.copyOf(repo);
            distro = List.copyOf(distro);
        }

        static Head of(String revision) {
            return new Head(revision, List.of(), List.of(), List.of());
        }
    }

    record Distro(String cpeid, String name) {
    }

    private RepomdXml() {
    }

    static void write(Writer out, Head head, List<RepodataFile> files) throws IOException {
        XmlOut xml = new XmlOut(out);
        xml.raw(XmlOut.DECLARATION).raw("<repomd xmlns=\"http://linux.duke.edu/metadata/repo\""
                + " xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\">\n");
        xml.element("  ", "revision", head.revision());
        if (!head.content().isEmpty() || !head.repo().isEmpty() || !head.distro().isEmpty()) {
            xml.raw("  <tags>\n");
            for (String tag : head.content()) {
                xml.element("    ", "content", tag);
            }
            for (String tag : head.repo()) {
                xml.element("    ", "repo", tag);
            }
            for (Distro distro : head.distro()) {
                xml.raw("    <distro").attribute("cpeid", distro.cpeid()).raw(">").text(distro.name()).raw("</distro>\n");
            }
            xml.raw("  </tags>\n");
        }
        for (RepodataFile file : files) {
            xml.raw("  <data").attribute("type", file.type()).raw(">\n");
            xml.raw("    <checksum").attribute("type", file.checksumType()).raw(">").text(file.checksum()).raw("</checksum>\n");
            if (file.openChecksum().isPresent()) {
                xml.raw("    <open-checksum").attribute("type", file.checksumType()).raw(">").text(file.openChecksum().get())
                        .raw("</open-checksum>\n");
            }
            xml.raw("    <location").attribute("href", file.href()).raw("/>\n");
            xml.element("    ", "timestamp", Long.toString(file.timestamp()));
            xml.element("    ", "size", Long.toString(file.size()));
            if (file.openSize().isPresent()) {
                xml.element("    ", "open-size", file.openSize().get().toString());
            }
            xml.raw("  </data>\n");
        }
        xml.raw("</repomd>\n");
    }
}
