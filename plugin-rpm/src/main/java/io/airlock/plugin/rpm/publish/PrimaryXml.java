package io.airlock.plugin.rpm.publish;

import io.airlock.plugin.rpm.RpmDependency;
import io.airlock.plugin.rpm.RpmFile;
import io.airlock.plugin.rpm.RpmPackage;
import io.airlock.plugin.rpm.RpmPackage.DependencyKind;
import java.io.IOException;
import java.util.List;

/** {@code primary.xml}, laid out as createrepo_c writes it. */
final class PrimaryXml implements PackageXml {

    /** The dependency lists in createrepo_c's order. */
    private static final List<DependencyKind> ORDER = List.of(DependencyKind.PROVIDES, DependencyKind.REQUIRES,
            DependencyKind.CONFLICTS, DependencyKind.OBSOLETES, DependencyKind.SUGGESTS, DependencyKind.ENHANCES,
            DependencyKind.RECOMMENDS, DependencyKind.SUPPLEMENTS);

    private final XmlOut xml;

    PrimaryXml(XmlOut xml) {
        this.xml = xml;
    }

    @Override
    public void begin(long packages) throws IOException {
        xml.raw(XmlOut.DECLARATION).raw("<metadata xmlns=\"http://linux.duke.edu/metadata/common\""
                + " xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\" packages=\"" + packages + "\">\n");
    }

    @Override
    public void add(PackageRow row) throws IOException {
        RpmPackage p = row.unit();
        xml.raw("<package type=\"rpm\">\n");
        xml.element("  ", "name", p.name());
        xml.element("  ", "arch", p.arch());
        xml.raw("  <version").attribute("epoch", p.epoch()).attribute("ver", p.version()).attribute("rel", p.release()).raw("/>\n");
        xml.raw("  <checksum").attribute("type", p.checksumType()).attribute("pkgid", "YES").raw(">").text(p.pkgId())
                .raw("</checksum>\n");
        xml.element("  ", "summary", p.summary());
        xml.element("  ", "description", p.description());
        xml.element("  ", "packager", p.packager());
        xml.element("  ", "url", p.url());
        xml.raw("  <time").attribute("file", p.timeFile()).attribute("build", p.timeBuild()).raw("/>\n");
        xml.raw("  <size").attribute("package", p.sizePackage()).attribute("installed", p.sizeInstalled())
                .attribute("archive", p.sizeArchive()).raw("/>\n");
        xml.raw("  <location").attribute("href", row.href()).raw("/>\n");
        xml.raw("  <format>\n");
        xml.element("    ", "rpm:license", p.rpmLicense());
        xml.element("    ", "rpm:vendor", p.rpmVendor());
        xml.element("    ", "rpm:group", p.rpmGroup());
        xml.element("    ", "rpm:buildhost", p.rpmBuildhost());
        xml.element("    ", "rpm:sourcerpm", p.rpmSourcerpm());
        xml.raw("    <rpm:header-range").attribute("start", p.rpmHeaderStart()).attribute("end", p.rpmHeaderEnd()).raw("/>\n");
        for (DependencyKind kind : ORDER) {
            List<RpmDependency> entries = row.dependencies(kind);
            if (entries.isEmpty()) {
                continue;
            }
            xml.raw("    <rpm:").raw(kind.element()).raw(">\n");
            for (RpmDependency entry : entries) {
                xml.raw("      <rpm:entry").attribute("name", entry.name()).attribute("flags", entry.flags())
                        .attribute("epoch", entry.epoch()).attribute("ver", entry.version()).attribute("rel", entry.release())
                        .attribute("pre", entry.pre() ? "1" : null).raw("/>\n");
            }
            xml.raw("    </rpm:").raw(kind.element()).raw(">\n");
        }
        for (RpmFile file : row.primaryFiles()) {
            FilelistsXml.file(xml, "    ", file);
        }
        xml.raw("  </format>\n</package>\n");
    }

    @Override
    public void end() throws IOException {
        xml.raw("</metadata>\n");
    }
}
