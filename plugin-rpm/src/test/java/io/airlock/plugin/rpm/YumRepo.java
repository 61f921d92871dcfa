package io.airlock.plugin.rpm;

import io.airlift.compress.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * A small yum repository written by test code: package files with made-up bytes, primary metadata
 * listing them with their real sha256, and optionally updateinfo, modules and comps, all named by
 * a repomd.xml with their checksums. Metadata files are compressed as asked (gz, xz, zst or plain).
 */
final class YumRepo {

    /** A package: the bytes of its file, or null for a package whose file is absent (on demand). */
    record Pkg(String name, String epoch, String version, String release, String arch, byte[] bytes, String requiresXml,
            String providesXml, String filesXml) {

        static Pkg of(String name, String version, String release, String arch) {
            return new Pkg(name, "0", version, release, arch,
                    (name + "-" + version + "-" + release + "." + arch + " payload").getBytes(StandardCharsets.UTF_8), "", "", "");
        }

        Pkg requires(String xml) {
            return new Pkg(name, epoch, version, release, arch, bytes, requiresXml + xml, providesXml, filesXml);
        }

        Pkg provides(String xml) {
            return new Pkg(name, epoch, version, release, arch, bytes, requiresXml, providesXml + xml, filesXml);
        }

        Pkg files(String xml) {
            return new Pkg(name, epoch, version, release, arch, bytes, requiresXml, providesXml, filesXml + xml);
        }

        Pkg onDemand() {
            return new Pkg(name, epoch, version, release, arch, null, requiresXml, providesXml, filesXml);
        }

        String href() {
            return "Packages/" + name + "-" + version + "-" + release + "." + arch + ".rpm";
        }

        String sha256() {
            return YumRepo.sha256(bytes != null ? bytes : href().getBytes(StandardCharsets.UTF_8));
        }
    }

    private final List<Pkg> packages = new ArrayList<>();
    private final Map<String, String> extra = new LinkedHashMap<>();
    private String compression = "gz";
    private String tags = "";
    private final Map<String, String> fullFiles = new LinkedHashMap<>();
    private final Map<String, String> changelogs = new LinkedHashMap<>();

    /**
     * Lists {@code p} in filelists.xml with {@code filesXml} ({@code <file>} lines) and in other.xml
     * with {@code changelogXml} ({@code <changelog>} lines); the files are written only when some
     * package has such details, and hold only the packages given them, in package order.
     */
    YumRepo details(Pkg p, String filesXml, String changelogXml) {
        fullFiles.put(p.href(), filesXml);
        changelogs.put(p.href(), changelogXml);
        return this;
    }

    YumRepo add(Pkg... pkgs) {
        packages.addAll(List.of(pkgs));
        return this;
    }

    /** Metadata of another type (updateinfo, modules, group) with its text and file name suffix. */
    YumRepo metadata(String type, String text) {
        extra.put(type, text);
        return this;
    }

    /** repomd.xml's {@code <tags>} block ({@code <content>}, {@code <repo>}, {@code <distro>} lines), after its revision. */
    YumRepo tags(String xml) {
        this.tags = "  <tags>\n" + xml + "  </tags>\n";
        return this;
    }

    YumRepo compression(String suffix) {
        this.compression = suffix;
        return this;
    }

    String primaryXml() {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<metadata xmlns=\"http://linux.duke.edu/metadata/common\" xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\" packages=\""
                + packages.size() + "\">\n");
        for (Pkg p : packages) {
            xml.append("<package type=\"rpm\">\n  <name>").append(p.name()).append("</name>\n  <arch>").append(p.arch())
                    .append("</arch>\n  <version epoch=\"").append(p.epoch()).append("\" ver=\"").append(p.version())
                    .append("\" rel=\"").append(p.release()).append("\"/>\n  <checksum type=\"sha256\" pkgid=\"YES\">")
                    .append(p.sha256()).append("</checksum>\n  <summary>").append(p.name()).append(" summary</summary>\n")
                    .append("  <description>").append(p.name()).append(" does &lt;things&gt;\nover two lines</description>\n")
                    .append("  <packager>Tester</packager>\n  <url>https://example.org/").append(p.name()).append("</url>\n")
                    .append("  <time file=\"1700000000\" build=\"1690000000\"/>\n")
                    .append("  <size package=\"").append(p.bytes() == null ? 0 : p.bytes().length)
                    .append("\" installed=\"4096\" archive=\"5000\"/>\n")
                    .append("  <location href=\"").append(p.href()).append("\"/>\n  <format>\n")
                    .append("    <rpm:license>MIT</rpm:license>\n    <rpm:vendor>Airlock</rpm:vendor>\n")
                    .append("    <rpm:group>Unspecified</rpm:group>\n    <rpm:buildhost>build.example.org</rpm:buildhost>\n")
                    .append("    <rpm:sourcerpm>").append(p.name()).append("-").append(p.version()).append("-").append(p.release())
                    .append(".src.rpm</rpm:sourcerpm>\n    <rpm:header-range start=\"4504\" end=\"9000\"/>\n")
                    .append("    <rpm:provides>\n      <rpm:entry name=\"").append(p.name()).append("\" flags=\"EQ\" epoch=\"")
                    .append(p.epoch()).append("\" ver=\"").append(p.version()).append("\" rel=\"").append(p.release())
                    .append("\"/>\n").append(p.providesXml()).append("    </rpm:provides>\n");
            if (!p.requiresXml().isEmpty()) {
                xml.append("    <rpm:requires>\n").append(p.requiresXml()).append("    </rpm:requires>\n");
            }
            xml.append(p.filesXml()).append("  </format>\n</package>\n");
        }
        return xml.append("</metadata>\n").toString();
    }

    private String detailsXml(String root, String namespace, Map<String, String> bodies) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + root
                + " xmlns=\"http://linux.duke.edu/metadata/" + namespace + "\" packages=\"" + bodies.size() + "\">\n");
        for (Pkg p : packages) {
            String body = bodies.get(p.href());
            if (body != null) {
                xml.append("<package pkgid=\"").append(p.sha256()).append("\" name=\"").append(p.name()).append("\" arch=\"")
                        .append(p.arch()).append("\">\n  <version epoch=\"").append(p.epoch()).append("\" ver=\"")
                        .append(p.version()).append("\" rel=\"").append(p.release()).append("\"/>\n").append(body).append("</package>\n");
            }
        }
        return xml.append("</").append(root).append(">\n").toString();
    }

    /** Writes the repository under {@code root} and returns it. */
    Path write(Path root) {
        try {
            Files.createDirectories(root.resolve("repodata"));
            for (Pkg p : packages) {
                if (p.bytes() != null) {
                    Path file = root.resolve(p.href());
                    Files.createDirectories(file.getParent());
                    Files.write(file, p.bytes());
                }
            }
            StringBuilder repomd = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<repomd xmlns=\"http://linux.duke.edu/metadata/repo\">\n  <revision>42</revision>\n" + tags);
            Map<String, String> files = new LinkedHashMap<>();
            files.put("primary", primaryXml());
            if (!fullFiles.isEmpty()) {
                files.put("filelists", detailsXml("filelists", "filelists", fullFiles));
                files.put("other", detailsXml("otherdata", "other", changelogs));
            }
            files.putAll(extra);
            for (Map.Entry<String, String> file : files.entrySet()) {
                String type = file.getKey();
                String extension = switch (type) {
                    case "modules" -> "yaml";
                    default -> "xml";
                };
                byte[] bytes = compress(file.getValue().getBytes(StandardCharsets.UTF_8), compression);
                String location = "repodata/" + sha256(bytes) + "-" + type + "." + extension
                        + (compression.isEmpty() ? "" : "." + compression);
                Files.write(root.resolve(location), bytes);
                repomd.append("  <data type=\"").append(type).append("\">\n    <checksum type=\"sha256\">").append(sha256(bytes))
                        .append("</checksum>\n    <location href=\"").append(location).append("\"/>\n  </data>\n");
            }
            Files.writeString(root.resolve("repodata/repomd.xml"), repomd.append("</repomd>\n").toString());
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Gzip-compressed bytes as UTF-8 text. */
    static String decompressed(byte[] gzip) throws IOException {
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gzip))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static byte[] compress(byte[] bytes, String compression) throws IOException {
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        try (OutputStream out = switch (compression) {
            case "gz" -> new GZIPOutputStream(buffer);
            case "xz" -> new XZOutputStream(buffer, new LZMA2Options());
            case "zst" -> new ZstdOutputStream(buffer);
            case "" -> buffer;
            default -> throw new IllegalArgumentException(compression);
        }) {
            out.write(bytes);
        }
        return buffer.toByteArray();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static final String UPDATEINFO = """
            <?xml version="1.0" encoding="UTF-8"?>
            <updates>
              <update from="security@example.org" status="final" type="security" version="2">
                <id>RHSA-2024:0001</id>
                <title>Important: bash security update</title>
                <issued date="2024-01-02 00:00:00"/>
                <updated date="2024-01-03 00:00:00"/>
                <rights>Copyright 2024</rights>
                <release>Example 9</release>
                <pushcount>1</pushcount>
                <severity>Important</severity>
                <summary>An update for bash</summary>
                <description>Fixes &amp; more.</description>
                <solution>Update.</solution>
                <references>
                  <reference href="https://example.org/CVE-2024-1" id="CVE-2024-1" type="cve" title="CVE-2024-1"/>
                  <reference href="https://bugzilla.example.org/1" id="1" type="bugzilla" title="bash crashes"/>
                </references>
                <pkglist>
                  <collection short="base">
                    <name>Example 9 BaseOS</name>
                    <package name="bash" version="5.1.8" release="6.el9" epoch="0" arch="x86_64" src="bash-5.1.8-6.el9.src.rpm">
                      <filename>bash-5.1.8-6.el9.x86_64.rpm</filename>
                      <sum type="sha256">0000000000000000000000000000000000000000000000000000000000000001</sum>
                      <reboot_suggested>True</reboot_suggested>
                    </package>
                  </collection>
                  <collection short="mod">
                    <name>nginx module</name>
                    <module name="nginx" stream="1.22" version="9000020230101" context="abcdef" arch="x86_64"/>
                    <package name="nginx" version="1.22.1" release="1.module" epoch="1" arch="x86_64" src="nginx.src.rpm">
                      <filename>nginx-1.22.1-1.module.x86_64.rpm</filename>
                      <restart_suggested>True</restart_suggested>
                      <relogin_suggested>False</relogin_suggested>
                    </package>
                  </collection>
                </pkglist>
              </update>
            </updates>
            """;

    static final String MODULES = """
            ---
            document: modulemd
            version: 2
            data:
              name: nginx
              stream: "1.22"
              version: 9000020230101
              context: abcdef
              static_context: true
              arch: x86_64
              summary: nginx web server
              description: >-
                A web server.
              license:
                module: [MIT]
              dependencies:
              - buildrequires:
                  platform: [el9]
                requires:
                  platform: [el9]
              profiles:
                common:
                  rpms:
                  - nginx
              artifacts:
                rpms:
                - nginx-1:1.22.1-1.module.x86_64
            ...
            ---
            document: modulemd-defaults
            version: 1
            data:
              module: nginx
              stream: "1.22"
              profiles:
                "1.22": [common]
            ...
            """;

    /** A module obsolete with every field of the v1 document; its stream is an unquoted number with a trailing zero. */
    static final String OBSOLETE = """
            ---
            document: modulemd-obsoletes
            version: 1
            data:
              modified: 2024-02-01T00:00Z
              module: nginx
              stream: 1.20
              context: abcdef
              reset: false
              eol_date: 2024-06-01T00:00Z
              message: "nginx:1.20 is no longer supported: use nginx:1.22"
              obsoleted_by:
                module: nginx
                stream: "1.22"
            ...
            """;

    static final String COMPS = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE comps PUBLIC "-//Red Hat, Inc.//DTD Comps info//EN" "comps.dtd">
            <comps>
              <group>
                <id>core</id>
                <name>Core</name>
                <name xml:lang="de">Kern</name>
                <description>Smallest possible installation</description>
                <description xml:lang="de">Kleinste Installation</description>
                <default>true</default>
                <uservisible>false</uservisible>
                <display_order>5</display_order>
                <packagelist>
                  <packagereq type="mandatory">bash</packagereq>
                  <packagereq type="conditional" requires="bash">bash-completion</packagereq>
                  <packagereq type="default" basearchonly="true">nginx</packagereq>
                </packagelist>
              </group>
              <category>
                <id>servers</id>
                <name>Servers</name>
                <description>Server things</description>
                <display_order>3</display_order>
                <grouplist>
                  <groupid>core</groupid>
                </grouplist>
              </category>
              <environment>
                <id>minimal-environment</id>
                <name>Minimal Install</name>
                <description>Basic functionality.</description>
                <display_order>99</display_order>
                <grouplist>
                  <groupid>core</groupid>
                </grouplist>
                <optionlist>
                  <groupid default="true">standard</groupid>
                </optionlist>
              </environment>
              <langpacks>
                <match install="bash-langpack-%s" name="bash"/>
              </langpacks>
            </comps>
            """;
}
