package io.airlock.plugin.rpm.publish;

import io.airlock.plugin.rpm.GroupPackage;
import io.airlock.plugin.rpm.GroupRef;
import io.airlock.plugin.rpm.PackageCategory;
import io.airlock.plugin.rpm.PackageEnvironment;
import io.airlock.plugin.rpm.PackageGroup;
import io.airlock.plugin.rpm.PackageLangpacks;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** {@code comps.xml} (repomd type {@code group}): groups, then categories, environments and langpacks. */
final class CompsXml {

    private final XmlOut xml;

    CompsXml(XmlOut xml) {
        this.xml = xml;
    }

    void begin() throws IOException {
        xml.raw(XmlOut.DECLARATION).raw("<comps>\n");
    }

    void group(PackageGroup g) throws IOException {
        xml.raw("  <group>\n");
        common(g.groupId(), g.name(), g.nameByLang(), g.description(), g.descriptionByLang());
        bool("default", g.isDefault());
        bool("uservisible", g.userVisible());
        bool("biarchonly", g.biarchOnly());
        displayOrder(g.displayOrder());
        xml.raw("    <packagelist>\n");
        for (GroupPackage p : g.packages()) {
            xml.raw("      <packagereq").attribute("type", p.type()).attribute("requires", p.requires())
                    .attribute("basearchonly", p.basearchonly()).raw(">").text(p.name()).raw("</packagereq>\n");
        }
        xml.raw("    </packagelist>\n  </group>\n");
    }

    void category(PackageCategory c) throws IOException {
        xml.raw("  <category>\n");
        common(c.categoryId(), c.name(), c.nameByLang(), c.description(), c.descriptionByLang());
        displayOrder(c.displayOrder());
        groupList("grouplist", c.groups());
        xml.raw("  </category>\n");
    }

    void environment(PackageEnvironment e) throws IOException {
        xml.raw("  <environment>\n");
        common(e.environmentId(), e.name(), e.nameByLang(), e.description(), e.descriptionByLang());
        displayOrder(e.displayOrder());
        groupList("grouplist", e.groups());
        groupList("optionlist", e.options());
        xml.raw("  </environment>\n");
    }

    void langpacks(PackageLangpacks l) throws IOException {
        xml.raw("  <langpacks>\n");
        for (PackageLangpacks.LangpackMatch match : l.matches()) {
            xml.raw("    <match").attribute("name", match.name()).attribute("install", match.install()).raw("/>\n");
        }
        xml.raw("  </langpacks>\n");
    }

    void end() throws IOException {
        xml.raw("</comps>\n");
    }

    private void common(String id, String name, Map<String, String> names, String description,
            Map<String, String> descriptions) throws IOException {
        xml.element("    ", "id", id);
        xml.optional("    ", "name", name);
        for (Map.Entry<String, String> e : names.entrySet()) {
            xml.raw("    <name").attribute("xml:lang", e.getKey()).raw(">").text(e.getValue()).raw("</name>\n");
        }
        xml.optional("    ", "description", description);
        for (Map.Entry<String, String> e : descriptions.entrySet()) {
            xml.raw("    <description").attribute("xml:lang", e.getKey()).raw(">").text(e.getValue()).raw("</description>\n");
        }
    }

    private void bool(String name, Boolean value) throws IOException {
        if (value != null) {
            xml.element("    ", name, value.toString());
        }
    }

    private void displayOrder(Integer value) throws IOException {
        if (value != null) {
            xml.element("    ", "display_order", value.toString());
        }
    }

    private void groupList(String name, List<GroupRef> groups) throws IOException {
        xml.raw("    <").raw(name).raw(">\n");
        for (GroupRef ref : groups) {
            xml.raw("      <groupid").attribute("default", ref.isDefault()).raw(">").text(ref.name()).raw("</groupid>\n");
        }
        xml.raw("    </").raw(name).raw(">\n");
    }
}
