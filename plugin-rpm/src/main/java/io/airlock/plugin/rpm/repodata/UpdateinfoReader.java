package io.airlock.plugin.rpm.repodata;

import io.airlock.plugin.rpm.AdvisoryCollection;
import io.airlock.plugin.rpm.AdvisoryPackage;
import io.airlock.plugin.rpm.AdvisoryReference;
import io.airlock.plugin.rpm.RpmAdvisory;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/** Streams the advisories of {@code updateinfo.xml}, one at a time. */
final class UpdateinfoReader {

    private UpdateinfoReader() {
    }

    static long read(InputStream in, String file, Consumer<RpmAdvisory> advisories) {
        long count = 0;
        try (Xml xml = new Xml(in, file)) {
            if (!xml.next() || !xml.name().equals("updates")) {
                throw xml.error("the root element is not <updates>");
            }
            while (xml.nextChild()) {
                if (!xml.name().equals("update")) {
                    xml.skip();
                    continue;
                }
                advisories.accept(readUpdate(xml));
                count++;
            }
        }
        return count;
    }

    private static RpmAdvisory readUpdate(Xml xml) {
        String where = xml.position();
        String issuer = xml.attribute("from");
        String status = xml.attribute("status");
        String type = xml.attribute("type");
        String version = xml.attribute("version");
        String id = null, title = null, issued = null, updated = null, rights = null, release = null, pushcount = null;
        String severity = null, summary = null, description = null, solution = null;
        Boolean reboot = null;
        List<AdvisoryCollection.Values> collections = new ArrayList<>();
        List<AdvisoryReference.Values> references = new ArrayList<>();
        while (xml.nextChild()) {
            switch (xml.name()) {
                case "id" -> id = xml.text().strip();
                case "title" -> title = xml.text();
                case "issued" -> {
                    issued = xml.attribute("date");
                    xml.skip();
                }
                case "updated" -> {
                    updated = xml.attribute("date");
                    xml.skip();
                }
                case "rights" -> rights = xml.text();
                case "release" -> release = xml.text();
                case "pushcount" -> pushcount = xml.text().strip();
                case "severity" -> severity = xml.text();
                case "summary" -> summary = xml.text();
                case "description" -> description = xml.text();
                case "solution" -> solution = xml.text();
                case "reboot_suggested" -> reboot = flag(xml.text());
                case "references" -> {
                    while (xml.nextChild()) {
                        if (xml.name().equals("reference")) {
                            references.add(new AdvisoryReference.Values(xml.attribute("href"), xml.attribute("id"),
                                    xml.attribute("type"), xml.attribute("title")));
                        }
                        xml.skip();
                    }
                }
                case "pkglist" -> {
                    while (xml.nextChild()) {
                        if (xml.name().equals("collection")) {
                            collections.add(readCollection(xml));
                        } else {
                            xml.skip();
                        }
                    }
                }
                default -> xml.skip();
            }
        }
        if (id == null || id.isEmpty()) {
            throw new AirlockException(ErrorCode.INVALID_INPUT, where + ": <update> has no <id>");
        }
        return new RpmAdvisory(new RpmAdvisory.Header(id, issuer, status, type, version, title, issued, updated, rights,
                release, pushcount, severity, summary, description, solution, reboot), collections, references);
    }

    private static AdvisoryCollection.Values readCollection(Xml xml) {
        String shortName = xml.attribute("short");
        String name = null;
        AdvisoryCollection.Module module = null;
        List<AdvisoryPackage.Values> packages = new ArrayList<>();
        while (xml.nextChild()) {
            switch (xml.name()) {
                case "name" -> name = xml.text();
                case "module" -> {
                    module = new AdvisoryCollection.Module(xml.attribute("name"), xml.attribute("stream"),
                            xml.longAttribute("version"), xml.attribute("context"), xml.attribute("arch"));
                    xml.skip();
                }
                case "package" -> packages.add(readPackage(xml));
                default -> xml.skip();
            }
        }
        return new AdvisoryCollection.Values(name, shortName, module, packages);
    }

    private static AdvisoryPackage.Values readPackage(Xml xml) {
        String name = xml.requiredAttribute("name");
        if (name.isBlank()) {
            throw xml.error("<package> has an empty name attribute");
        }
        String epoch = xml.attribute("epoch");
        String version = xml.attribute("version");
        String release = xml.attribute("release");
        String arch = xml.attribute("arch");
        String src = xml.attribute("src");
        String filename = null, sum = null, sumType = null;
        Boolean reboot = null, restart = null, relogin = null;
        while (xml.nextChild()) {
            switch (xml.name()) {
                case "filename" -> filename = xml.text();
                case "sum" -> {
                    sumType = xml.attribute("type");
                    if (sumType != null && !Checksums.known(sumType)) {
                        throw xml.error("unknown checksum type '" + sumType + "'");
                    }
                    sum = xml.text().strip();
                }
                case "reboot_suggested" -> reboot = flag(xml.text());
                case "restart_suggested" -> restart = flag(xml.text());
                case "relogin_suggested" -> relogin = flag(xml.text());
                default -> xml.skip();
            }
        }
        return new AdvisoryPackage.Values(name, epoch, version, release, arch, src, filename, sum, sumType, reboot, restart, relogin);
    }

    /** {@code <reboot_suggested/>}, {@code True} and {@code 1} all mean yes; {@code False}/{@code 0} no. */
    private static Boolean flag(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        return !(value.equals("false") || value.equals("0"));
    }
}
