package io.airlock.plugin.rpm.publish;

import io.airlock.plugin.rpm.RpmFile;
import io.airlock.plugin.rpm.RpmPackage;
import java.io.IOException;

/** {@code filelists.xml}: every file of every package, with its type ({@code dir}, {@code ghost}). */
final class FilelistsXml implements PackageXml {

    private final XmlOut xml;

    FilelistsXml(XmlOut xml) {
        this.xml = xml;
    }

    @Override
    public void begin(long packages) throws IOException {
        xml.raw(XmlOut.DECLARATION).raw("<filelists xmlns=\"http://linux.duke.edu/metadata/filelists\" packages=\""
                + packages + "\">\n");
    }

    @Override
    public void add(PackageRow row) throws IOException {
        packageStart(xml, row.unit());
        for (RpmFile file : row.files()) {
            file(xml, "  ", file);
        }
        xml.raw("</package>\n");
    }

    @Override
    public void end() throws IOException {
        xml.raw("</filelists>\n");
    }

    /** {@code <file type="…">path</file>}, the type only for directories and ghosts. */
    static void file(XmlOut xml, String indent, RpmFile file) throws IOException {
        xml.raw(indent).raw("<file").attribute("type", file.type()).raw(">").text(file.path()).raw("</file>\n");
    }

    /** The {@code <package pkgid name arch>} and {@code <version>} lines filelists and other share. */
    static void packageStart(XmlOut xml, RpmPackage p) throws IOException {
        xml.raw("<package").attribute("pkgid", p.pkgId()).attribute("name", p.name()).attribute("arch", p.arch()).raw(">\n");
        xml.raw("  <version").attribute("epoch", p.epoch()).attribute("ver", p.version()).attribute("rel", p.release()).raw("/>\n");
    }
}
