package io.airlock.plugin.rpm.publish;

import java.io.IOException;

/** {@code other.xml}: each package's changelog entries. */
final class OtherXml implements PackageXml {

    private final XmlOut xml;

    OtherXml(XmlOut xml) {
        this.xml = xml;
    }

    @Override
    public void begin(long packages) throws IOException {
        xml.raw(XmlOut.DECLARATION).raw("<otherdata xmlns=\"http://linux.duke.edu/metadata/other\" packages=\""
                + packages + "\">\n");
    }

    @Override
    public void add(PackageRow row) throws IOException {
        FilelistsXml.packageStart(xml, row.unit());
        for (PackageRow.Changelog entry : row.changelogs()) {
            xml.raw("  <changelog").attribute("author", entry.author()).attribute("date", entry.date()).raw(">")
                    .text(entry.text()).raw("</changelog>\n");
        }
        xml.raw("</package>\n");
    }

    @Override
    public void end() throws IOException {
        xml.raw("</otherdata>\n");
    }
}
