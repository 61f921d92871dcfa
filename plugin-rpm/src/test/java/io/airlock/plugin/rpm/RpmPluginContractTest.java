package io.airlock.plugin.rpm;

import io.airlock.core.ingest.IngestFile;
import io.airlock.core.ingest.IngestSink;
import io.airlock.plugin.rpm.RpmPackage.DependencyKind;
import io.airlock.testing.kit.PluginContract;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The rpm plugin against the engines, through the contract test kit: a unit of each of its eleven
 * types, with the parts each type keeps beside its columns (a package's dependencies, files and
 * changelog; an advisory's package collections and references; comps lists and translations; a
 * metadata file's stored bytes; repomd's tags).
 */
@Tag("persistence")
final class RpmPluginContractTest {

    private static final String BASH = "Packages/b/bash-5.1.8-6.el9.x86_64.rpm";
    private static final String NGINX = "Packages/n/nginx-1.22.1-1.module_el9.x86_64.rpm";
    private static final String GLIBC = "Packages/g/glibc-2.34-60.el9.x86_64.rpm";

    @Test
    void everyRpmTypeSurvivesExportImportCopyAndDigestsAreStable() {
        PluginContract.of(RpmPlugin::new)
                .sample(RpmPluginContractTest::packages)
                .sample(sink -> sink.add(advisory()))
                .sample(sink -> {
                    sink.add(modulemd());
                    sink.add(new ModulemdDefaults("nginx", "1.22", Map.of("1.22", List.of("common")),
                            "---\ndocument: modulemd-defaults\nversion: 1\ndata:\n  module: nginx\n  stream: \"1.22\"\n"
                                    + "  profiles:\n    1.22: [common]\n...\n"));
                    sink.add(obsolete());
                })
                .sample(RpmPluginContractTest::repositoryMetadata)
                .sample(RpmPluginContractTest::comps)
                .check();
    }

    /** bash with its file stored, every dependency kind, files and changelog; nginx and glibc on demand. */
    private static void packages(IngestSink sink) {
        IngestFile file = sink.store(IngestFile.of(BASH, new ByteArrayInputStream("not really an rpm".getBytes(StandardCharsets.UTF_8))));
        RpmPackage bash = new RpmPackage("bash", "0", "5.1.8", "6.el9", "x86_64", file.sha256().orElseThrow(), "sha256", BASH)
                .describe("The GNU Bourne Again shell", "The GNU Bourne Again shell (Bash) is a shell…", "https://www.gnu.org/software/bash",
                        "builder@centos.org")
                .sizes(1_770_000L, 7_740_000L, 7_750_000L)
                .times(1_700_000_000L, 1_690_000_000L)
                .header("GPLv3+", "CentOS", "Unspecified", "x86-05.stream.rdu2.redhat.com", "bash-5.1.8-6.el9.src.rpm", 4504L, 74_000L)
                .details(PackedLists.packFiles(List.of(new RpmFile("/etc/skel/.bashrc", null), new RpmFile("/usr/bin/bash", null),
                                new RpmFile("/usr/share/doc/bash", "dir"))),
                        PackedLists.packChangelogs(List.of(new RpmChangelog("Siteshwar Vashisht <svashisht@redhat.com> - 5.1.8-5",
                                1_650_000_000L, "- Fix a crash"), new RpmChangelog("Siteshwar Vashisht <svashisht@redhat.com> - 5.1.8-6",
                                1_660_000_000L, "- Fix another crash\n- Update the man page"))));
        bash.files().addAll(List.of(new RpmFile("/usr/bin/bash", null), new RpmFile("/etc/skel", "dir")));
        bash.dependencies(DependencyKind.REQUIRES).addAll(List.of(new RpmDependency("glibc", "GE", "0", "2.34", null, false),
                new RpmDependency("/bin/sh", null, null, null, null, true)));
        bash.dependencies(DependencyKind.PROVIDES).addAll(List.of(RpmDependency.of("/bin/bash"), RpmDependency.of("/bin/sh"),
                new RpmDependency("bash", "EQ", "0", "5.1.8", "6.el9", false)));
        bash.dependencies(DependencyKind.CONFLICTS).add(new RpmDependency("filesystem", "LT", "0", "3", null, false));
        bash.dependencies(DependencyKind.OBSOLETES).add(RpmDependency.of("bash-static"));
        bash.dependencies(DependencyKind.RECOMMENDS).add(RpmDependency.of("bash-completion"));
        bash.dependencies(DependencyKind.SUGGESTS).add(RpmDependency.of("bash-doc"));
        bash.dependencies(DependencyKind.ENHANCES).add(RpmDependency.of("coreutils"));
        bash.dependencies(DependencyKind.SUPPLEMENTS).add(RpmDependency.of("(bash and langpacks-de)"));
        sink.add(bash, file);

        RpmPackage nginx = new RpmPackage("nginx", "1", "1.22.1", "1.module_el9", "x86_64",
                "5d1ae36ec8b96b60b7c2c9ec9dc6fa9b4c05b3b51e7e2c7a0a3bd9c96e36a2a3", "sha256", NGINX)
                .describe("A high performance web server", null, null, null);
        nginx.dependencies(DependencyKind.REQUIRES).add(RpmDependency.of("libc.so.6()(64bit)"));
        sink.add(nginx, IngestFile.onDemand(NGINX));

        // What bash and nginx require: a copy brings it, and the sample's dependencies are closed.
        RpmPackage glibc = new RpmPackage("glibc", "0", "2.34", "60.el9", "x86_64",
                "0b6d8b3cc1bc1f2a5a2e8a3c9c4bbcb71f8d2d0e4a6c55bd5f2e6a1c7b0e9d11", "sha256", GLIBC);
        glibc.dependencies(DependencyKind.PROVIDES).addAll(List.of(new RpmDependency("glibc", "EQ", "0", "2.34", "60.el9", false),
                RpmDependency.of("libc.so.6()(64bit)")));
        sink.add(glibc, IngestFile.onDemand(GLIBC));
    }

    /** A security advisory with a module collection of two packages and two references. */
    private static RpmAdvisory advisory() {
        return new RpmAdvisory(new RpmAdvisory.Header("RHSA-2024:0001", "security@redhat.com", "final", "security", "2",
                "Important: bash and nginx security update", "2024-01-02 00:00:00", "2024-01-03 00:00:00",
                "Copyright 2024 Red Hat Inc", "CentOS Stream 9", "1", "Important", "An update for bash and nginx",
                "Bash is the GNU shell.\n\nSecurity fixes: …", "Apply the update.", true),
                List.of(new AdvisoryCollection.Values("CentOS Stream 9", "cs9", new AdvisoryCollection.Module("nginx", "1.22",
                                9_000_020_230_101L, "abcdef", "x86_64"),
                        List.of(new AdvisoryPackage.Values("bash", "0", "5.1.8", "6.el9", "x86_64", "bash-5.1.8-6.el9.src.rpm",
                                        "bash-5.1.8-6.el9.x86_64.rpm", "0".repeat(64), "sha256", true, null, null),
                                new AdvisoryPackage.Values("nginx", "1", "1.22.1", "1.module_el9", "x86_64", null,
                                        "nginx-1.22.1-1.module_el9.x86_64.rpm", null, null, null, true, false))),
                        new AdvisoryCollection.Values("empty", null, null, List.of())),
                List.of(new AdvisoryReference.Values("https://access.redhat.com/security/cve/CVE-2024-0001", "CVE-2024-0001",
                        "cve", "CVE-2024-0001"), new AdvisoryReference.Values("https://bugzilla.redhat.com/1", "1", "bugzilla", null)));
    }

    /** A module build listing its packages (by NEVRA, as modules.yaml does) and profiles. */
    private static Modulemd modulemd() {
        Map<String, Map<String, List<String>>> dependency = new LinkedHashMap<>();
        dependency.put("requires", Map.of("platform", List.of("el9")));
        return new Modulemd("nginx", "1.22", 9_000_020_230_101L, "abcdef", "x86_64",
                "---\ndocument: modulemd\nversion: 2\ndata:\n  name: nginx\n  stream: \"1.22\"\n  version: 9000020230101\n"
                        + "  context: abcdef\n  arch: x86_64\n  artifacts:\n    rpms:\n    - nginx-1:1.22.1-1.module_el9.x86_64\n...\n")
                .details(true, "nginx webserver", "nginx is a web server.", List.of(dependency),
                        List.of("nginx-1:1.22.1-1.module_el9.x86_64"), Map.of("common", List.of("nginx")));
    }

    /** An obsolete with every field of the v1 document: a context, an end of life and the stream replacing it. */
    private static ModulemdObsolete obsolete() {
        return new ModulemdObsolete("nginx", "1.20", "abcdef", "2024-02-01T00:00Z", "nginx:1.20 is replaced by nginx:1.22",
                "---\ndocument: modulemd-obsoletes\nversion: 1\ndata:\n  modified: 2024-02-01T00:00Z\n  module: nginx\n"
                        + "  stream: \"1.20\"\n  context: abcdef\n  reset: false\n  eol_date: 2024-06-01T00:00Z\n"
                        + "  message: nginx:1.20 is replaced by nginx:1.22\n  obsoleted_by:\n    module: nginx\n    stream: \"1.22\"\n...\n")
                .details(false, "2024-06-01T00:00Z", "nginx", "1.22");
    }

    /** A productid file (kept as it came, compressed) and repomd's revision and tags. */
    private static void repositoryMetadata(IngestSink sink) {
        byte[] productid = "product certificate".getBytes(StandardCharsets.UTF_8);
        String href = "repodata/" + "ab".repeat(32) + "-productid.gz";
        IngestFile file = sink.store(IngestFile.of(href, new ByteArrayInputStream(productid)));
        sink.add(new RepoMetadataFile("productid", href, "sha256", file.sha256().orElseThrow()), file);
        sink.add(new RepoMetadata("9-stream", List.of("binary-x86_64"), List.of("centos-stream-9"),
                List.of(new RepoMetadata.Distro("cpe:/o:centos-stream:centos-stream:9", "CentOS Stream 9"), new RepoMetadata.Distro(null, "EL9"))));
    }

    private static void comps(IngestSink sink) {
        sink.add(new PackageGroup("core", "Core", "Smallest possible installation", true, false, null, 1,
                List.of(new GroupPackage("bash", "mandatory", null, null), new GroupPackage("nginx", "conditional", "bash", true)),
                Map.of("de", "Kern", "fr", "Noyau"), Map.of("de", "Kleinstmögliche Installation")));
        sink.add(new PackageCategory("servers", "Servers", "Software for servers", 10,
                List.of(new GroupRef("core", null), new GroupRef("web-server", true)), Map.of("de", "Server"), Map.of()));
        sink.add(new PackageEnvironment("minimal-environment", "Minimal Install", "Basic functionality", 5,
                List.of(new GroupRef("core", null)), List.of(new GroupRef("standard", true), new GroupRef("guest-agents", false)),
                Map.of("ja", "最小限のインストール"), Map.of()));
        sink.add(new PackageLangpacks(List.of(new PackageLangpacks.LangpackMatch("hunspell", "hunspell-%s"),
                new PackageLangpacks.LangpackMatch("man-pages", "man-pages-%s"))));
    }
}
