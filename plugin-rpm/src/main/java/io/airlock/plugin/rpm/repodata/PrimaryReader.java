package io.airlock.plugin.rpm.repodata;

import io.airlock.plugin.rpm.RpmDependency;
import io.airlock.plugin.rpm.RpmFile;
import io.airlock.plugin.rpm.RpmPackage;
import io.airlock.plugin.rpm.RpmPackage.DependencyKind;
import io.airlock.plugin.rpm.StringPool;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/** Streams the packages of {@code primary.xml}, one at a time: memory does not grow with the file. */
final class PrimaryReader {

    private static final Map<String, DependencyKind> KINDS = new HashMap<>();

    static {
        for (DependencyKind kind : DependencyKind.values()) {
            KINDS.put(kind.element(), kind);
        }
    }

    private PrimaryReader() {
    }

    /** Calls {@code packages} for each package in document order; returns how many there were. */
    static long read(InputStream in, String file, Consumer<RpmPackage> packages) {
        long count = 0;
        // Strings repeat across packages (arches, flags, common capability names): interning them per
        // file keeps batches small without holding anything beyond the file's vocabulary.
        StringPool pool = new StringPool();
        try (Xml xml = new Xml(in, file)) {
            if (!xml.next() || !xml.name().equals("metadata")) {
                throw xml.error("the root element is not <metadata>");
            }
            while (xml.nextChild()) {
                if (!xml.name().equals("package")) {
                    xml.skip();
                    continue;
                }
                String type = xml.attribute("type");
                if (type != null && !type.equals("rpm")) {
                    xml.skip();
                    continue;
                }
                packages.accept(readPackage(xml, pool));
                count++;
                if (pool.size() > 200_000) {
                    pool.clear();
                }
            }
        }
        return count;
    }

    private static RpmPackage readPackage(Xml xml, StringPool pool) {
        String where = xml.position();
        String name = null, arch = null, epoch = null, version = null, release = null, pkgId = null, checksumType = null;
        String summary = null, description = null, packager = null, url = null, href = null, base = null;
        Long timeFile = null, timeBuild = null, sizePackage = null, sizeInstalled = null, sizeArchive = null;
        String license = null, vendor = null, group = null, buildhost = null, sourcerpm = null;
        Long headerStart = null, headerEnd = null;
        Map<DependencyKind, java.util.List<RpmDependency>> deps = new java.util.EnumMap<>(DependencyKind.class);
        java.util.List<RpmFile> files = new java.util.ArrayList<>();
        while (xml.nextChild()) {
            switch (xml.name()) {
                case "name" -> name = xml.text();
                case "arch" -> arch = pool.intern(xml.text());
                case "version" -> {
                    epoch = pool.intern(xml.attribute("epoch"));
                    version = xml.attribute("ver");
                    release = xml.attribute("rel");
                    xml.skip();
                }
                case "checksum" -> {
                    checksumType = pool.intern(xml.attribute("type"));
                    if (!Checksums.known(checksumType)) {
                        throw xml.error("unknown checksum type '" + checksumType + "'");
                    }
                    checksumType = checksumType.toLowerCase(Locale.ROOT);
                    pkgId = xml.text().strip();
                }
                case "summary" -> summary = xml.text();
                case "description" -> description = xml.text();
                case "packager" -> packager = pool.intern(xml.text());
                case "url" -> url = xml.text();
                case "time" -> {
                    timeFile = xml.longAttribute("file");
                    timeBuild = xml.longAttribute("build");
                    xml.skip();
                }
                case "size" -> {
                    sizePackage = xml.longAttribute("package");
                    sizeInstalled = xml.longAttribute("installed");
                    sizeArchive = xml.longAttribute("archive");
                    xml.skip();
                }
                case "location" -> {
                    href = xml.requiredAttribute("href");
                    base = xml.attribute("base");
                    xml.skip();
                }
                case "format" -> {
                    while (xml.nextChild()) {
                        String element = xml.name();
                        DependencyKind kind = KINDS.get(element);
                        if (kind != null) {
                            deps.put(kind, readEntries(xml, pool));
                            continue;
                        }
                        switch (element) {
                            case "license" -> license = pool.intern(xml.text());
                            case "vendor" -> vendor = pool.intern(xml.text());
                            case "group" -> group = pool.intern(xml.text());
                            case "buildhost" -> buildhost = pool.intern(xml.text());
                            case "sourcerpm" -> sourcerpm = xml.text();
                            case "header-range" -> {
                                headerStart = xml.longAttribute("start");
                                headerEnd = xml.longAttribute("end");
                                xml.skip();
                            }
                            case "file" -> {
                                String fileType = pool.intern(xml.attribute("type"));
                                files.add(new RpmFile(xml.text(), fileType));
                            }
                            default -> xml.skip();
                        }
                    }
                }
                default -> xml.skip();
            }
        }
        RpmPackage unit;
        try {
            unit = new RpmPackage(name, epoch, version, release, arch, pkgId, checksumType, href);
        } catch (IllegalArgumentException e) {
            throw new io.airlock.spi.AirlockException(io.airlock.spi.ErrorCode.INVALID_INPUT, where + ": " + io.airlock.spi.Messages.cut(e.getMessage(), Xml.MAX_MESSAGE));
        }
        unit.describe(summary, description, url, packager)
                .sizes(sizePackage, sizeInstalled, sizeArchive)
                .times(timeFile, timeBuild)
                .locationBase(base)
                .header(license, vendor, group, buildhost, sourcerpm, headerStart, headerEnd);
        deps.forEach((kind, list) -> unit.dependencies(kind).addAll(list));
        unit.files().addAll(files);
        return unit;
    }

    private static java.util.List<RpmDependency> readEntries(Xml xml, StringPool pool) {
        java.util.List<RpmDependency> entries = new java.util.ArrayList<>();
        while (xml.nextChild()) {
            if (!xml.name().equals("entry")) {
                xml.skip();
                continue;
            }
            String name = xml.requiredAttribute("name");
            String pre = xml.attribute("pre");
            entries.add(new RpmDependency(pool.intern(name), pool.intern(xml.attribute("flags")),
                    pool.intern(xml.attribute("epoch")), pool.intern(xml.attribute("ver")), pool.intern(xml.attribute("rel")),
                    "1".equals(pre) || "true".equalsIgnoreCase(pre)));
            xml.skip();
        }
        return entries;
    }
}
