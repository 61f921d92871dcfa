package io.airlock.plugin.rpm.publish;

import io.airlock.plugin.rpm.AdvisoryCollection;
import io.airlock.plugin.rpm.AdvisoryPackage;
import io.airlock.plugin.rpm.AdvisoryReference;
import io.airlock.plugin.rpm.RpmAdvisory;
import java.io.IOException;

/** {@code updateinfo.xml}: the advisories, with their references and package collections. */
final class UpdateinfoXml {

    private final XmlOut xml;

    UpdateinfoXml(XmlOut xml) {
        this.xml = xml;
    }

    void begin() throws IOException {
        xml.raw(XmlOut.DECLARATION).raw("<updates>\n");
    }

    void add(RpmAdvisory advisory) throws IOException {
        RpmAdvisory.Header h = advisory.header();
        xml.raw("  <update").attribute("from", h.issuer()).attribute("status", h.status()).attribute("type", h.type())
                .attribute("version", h.version()).raw(">\n");
        xml.element("    ", "id", h.id());
        xml.optional("    ", "title", h.title());
        if (h.issued() != null) {
            xml.raw("    <issued").attribute("date", h.issued()).raw("/>\n");
        }
        if (h.updated() != null) {
            xml.raw("    <updated").attribute("date", h.updated()).raw("/>\n");
        }
        xml.optional("    ", "rights", h.rights());
        xml.optional("    ", "release", h.release());
        xml.optional("    ", "pushcount", h.pushcount());
        xml.optional("    ", "severity", h.severity());
        xml.optional("    ", "summary", h.summary());
        xml.optional("    ", "description", h.description());
        xml.optional("    ", "solution", h.solution());
        flag("    ", "reboot_suggested", h.rebootSuggested());
        xml.raw("    <references>\n");
        for (AdvisoryReference reference : advisory.references()) {
            AdvisoryReference.Values r = reference.values();
            xml.raw("      <reference").attribute("href", r.href()).attribute("id", r.id()).attribute("type", r.type())
                    .attribute("title", r.title()).raw("/>\n");
        }
        xml.raw("    </references>\n    <pkglist>\n");
        for (AdvisoryCollection collection : advisory.collections()) {
            AdvisoryCollection.Values c = collection.values();
            xml.raw("      <collection").attribute("short", c.shortName()).raw(">\n");
            xml.optional("        ", "name", c.name());
            if (c.module() != null) {
                AdvisoryCollection.Module m = c.module();
                xml.raw("        <module").attribute("name", m.name()).attribute("stream", m.stream())
                        .attribute("version", m.version()).attribute("context", m.context()).attribute("arch", m.arch()).raw("/>\n");
            }
            for (AdvisoryPackage.Values p : c.packages()) {
                xml.raw("        <package").attribute("name", p.name()).attribute("version", p.version())
                        .attribute("release", p.release()).attribute("epoch", p.epoch()).attribute("arch", p.arch())
                        .attribute("src", p.src()).raw(">\n");
                xml.optional("          ", "filename", p.filename());
                if (p.sum() != null) {
                    xml.raw("          <sum").attribute("type", p.sumType()).raw(">").text(p.sum()).raw("</sum>\n");
                }
                flag("          ", "reboot_suggested", p.rebootSuggested());
                flag("          ", "restart_suggested", p.restartSuggested());
                flag("          ", "relogin_suggested", p.reloginSuggested());
                xml.raw("        </package>\n");
            }
            xml.raw("      </collection>\n");
        }
        xml.raw("    </pkglist>\n  </update>\n");
    }

    /** {@code True} or {@code False} as the advisory said it; nothing when it said nothing. */
    private void flag(String indent, String name, Boolean value) throws IOException {
        if (value != null) {
            xml.element(indent, name, value ? "True" : "False");
        }
    }

    void end() throws IOException {
        xml.raw("</updates>\n");
    }
}
