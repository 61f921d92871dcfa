package io.airlock.plugin.rpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.airlock.core.Airlock;
import io.airlock.core.export.ExportEngine;
import io.airlock.core.export.ExportRequest;
import io.airlock.core.export.ExportResult;
import io.airlock.core.imports.ImportEngine;
import io.airlock.core.imports.ImportRequest;
import io.airlock.core.imports.ImportResult;
import io.airlock.core.repository.VersionRef;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ContentPlugin;
import io.airlock.spi.ContentType;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.Migration;
import io.airlock.spi.ProgressListener;
import io.airlock.spi.copy.CopyPolicy;
import java.util.Optional;
import io.airlock.testing.SharedData;
import io.airlock.testing.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("persistence")
final class RpmRoundTripTest {

    static final YumRepo.Pkg BASH = YumRepo.Pkg.of("bash", "5.1.8", "6.el9", "x86_64")
            .requires("      <rpm:entry name=\"/bin/sh\" pre=\"1\"/>\n      <rpm:entry name=\"libc.so.6(GLIBC_2.34)(64bit)\"/>\n"
                    + "      <rpm:entry name=\"(bash-completion if sh-utils)\"/>\n")
            .provides("      <rpm:entry name=\"/bin/bash\"/>\n      <rpm:entry name=\"config(bash)\" flags=\"EQ\" epoch=\"0\" ver=\"5.1.8\" rel=\"6.el9\"/>\n")
            .files("    <file>/usr/bin/bash</file>\n    <file type=\"dir\">/etc/bash.d</file>\n    <file type=\"ghost\">/var/log/bash</file>\n");
    static final YumRepo.Pkg NGINX = new YumRepo.Pkg("nginx", "1", "1.22.1", "1.module", "x86_64", "nginx bytes".getBytes(),
            "      <rpm:entry name=\"bash\" flags=\"GE\" epoch=\"0\" ver=\"4\"/>\n", "", "");
    private static final YumRepo.Pkg GLIBC = YumRepo.Pkg.of("glibc", "2.34", "60.el9", "x86_64").onDemand();

    @Test
    void cs9MetadataSurvivesExportAndImportFieldForField() {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = RpmTests.open(up); Airlock downstream = RpmTests.open(down)) {
            for (String repo : List.of("cs9-baseos", "cs9-appstream")) {
                upstream.repositories().create(repo, RpmPlugin.NAME, null);
                new RpmRepositories(upstream).sync(repo, SharedData.require(repo), ProgressListener.NONE);
            }

            ExportResult exported = new ExportEngine(upstream).export(ExportRequest.full(
                    List.of(VersionRef.latest("cs9-baseos"), VersionRef.latest("cs9-appstream")), up.path("exports"))
                    .allowingOnDemand(), ProgressListener.NONE);
            new ImportEngine(downstream).importArchive(ImportRequest.of(exported.toc().orElseThrow()).creatingRepositories(),
                    ProgressListener.NONE);

            for (String repo : List.of("cs9-baseos", "cs9-appstream")) {
                Map<String, Map<String, Object>> before = UnitFields.of(upstream, repo);
                assertThat(UnitFields.of(downstream, repo)).as(repo).isEqualTo(before);
            }
            assertThat(UnitFields.of(downstream, "cs9-appstream")).hasSize(17649 + 31 + 8 + 63 + 5 + 4 + 1);
        }
    }

    @Test
    void aRepositoryWithPackageFilesAdvisoriesModulesAndCompsSurvivesFieldForField() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = RpmTests.open(up); Airlock downstream = RpmTests.open(down)) {
            Path repoDir = full().write(up.path("yum"));
            upstream.repositories().create("el9", RpmPlugin.NAME, null);
            RpmRepositories.SyncResult synced = new RpmRepositories(upstream).sync("el9", repoDir, ProgressListener.NONE);

            ExportResult exported = new ExportEngine(upstream).export(ExportRequest.full(List.of(VersionRef.latest("el9")),
                    up.path("exports")).allowingOnDemand(), ProgressListener.NONE);
            new ImportEngine(downstream).importArchive(ImportRequest.of(exported.toc().orElseThrow()).creatingRepositories(),
                    ProgressListener.NONE);

            assertThat(synced.artifacts()).isEqualTo(2);
            assertThat(synced.onDemand()).isEqualTo(1);
            Map<String, Map<String, Object>> units = UnitFields.of(downstream, "el9");
            assertThat(units).isEqualTo(UnitFields.of(upstream, "el9"));
            assertThat(units.get("rpm.package:bash-5.1.8-6.el9.x86_64"))
                    .hasEntrySatisfying("RpmPackage.fileList", v -> assertThat(v).isNotNull())
                    .hasEntrySatisfying("RpmPackage.changelog", v -> assertThat(v).isNotNull());
            assertThat(units).containsOnlyKeys("rpm.package:bash-5.1.8-6.el9.x86_64", "rpm.package:nginx-1:1.22.1-1.module.x86_64",
                    "rpm.package:glibc-2.34-60.el9.x86_64", "rpm.advisory:RHSA-2024:0001",
                    "rpm.modulemd:nginx:1.22:9000020230101:abcdef:x86_64", "rpm.modulemd_defaults:nginx",
                    "rpm.modulemd_obsolete:nginx:1.20:abcdef@2024-02-01T00:00Z",
                    "rpm.packagegroup:core", "rpm.packagecategory:servers", "rpm.packageenvironment:minimal-environment",
                    "rpm.packagelangpacks:langpacks", "rpm.repo_metadata_file:productid", "rpm.repo_metadata:repomd");
            assertThat(units.get("rpm.modulemd_obsolete:nginx:1.20:abcdef@2024-02-01T00:00Z")).containsAllEntriesOf(Map.of(
                    "ModulemdObsolete.module", "nginx", "ModulemdObsolete.stream", "1.20", "ModulemdObsolete.context", "abcdef",
                    "ModulemdObsolete.modified", "2024-02-01T00:00Z", "ModulemdObsolete.reset", false,
                    "ModulemdObsolete.eolDate", "2024-06-01T00:00Z",
                    "ModulemdObsolete.message", "nginx:1.20 is no longer supported: use nginx:1.22",
                    "ModulemdObsolete.obsoletedByModule", "nginx", "ModulemdObsolete.obsoletedByStream", "1.22",
                    "ModulemdObsolete.snippet", YumRepo.OBSOLETE));
            assertThat(units.get("rpm.repo_metadata:repomd")).containsAllEntriesOf(Map.of("RepoMetadata.revision", "42",
                    "RepoMetadata.contentTags", List.of("binary-x86_64"), "RepoMetadata.repoTags", List.of("example-9"),
                    "RepoMetadata.distroTags", List.of(new RepoMetadata.Distro("cpe:/o:example:example:9", "Example 9"),
                            new RepoMetadata.Distro(null, "Example"))));
            assertThat(units.get("rpm.repo_metadata_file:productid")).containsEntry("RepoMetadataFile.dataType", "productid")
                    .hasEntrySatisfying("RepoMetadataFile.relativePath", p -> assertThat((String) p).endsWith("-productid.xml.gz"));
            assertThat(downloaded(downstream, BASH.sha256())).isEqualTo(BASH.bytes());
            String productid = (String) units.get("rpm.repo_metadata_file:productid").get("RepoMetadataFile.checksum");
            assertThat(YumRepo.decompressed(downloaded(downstream, productid))).isEqualTo(PRODUCTID);
        }
    }

    @Test
    void anIncrementalExportCarriesANewAdvisoryAndPackages() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = RpmTests.open(up); Airlock downstream = RpmTests.open(down)) {
            upstream.repositories().create("el9", RpmPlugin.NAME, null);
            RpmRepositories rpm = new RpmRepositories(upstream);
            rpm.sync("el9", full().write(up.path("yum1")), ProgressListener.NONE);
            ExportEngine exports = new ExportEngine(upstream);
            ImportEngine imports = new ImportEngine(downstream);
            ExportResult first = exports.export(ExportRequest.full(List.of(VersionRef.latest("el9")), up.path("e1"))
                    .withExporter("site").allowingOnDemand(), ProgressListener.NONE);
            imports.importArchive(ImportRequest.of(first.toc().orElseThrow()).creatingRepositories(), ProgressListener.NONE);

            YumRepo.Pkg zsh = YumRepo.Pkg.of("zsh", "5.8", "9.el9", "x86_64");
            YumRepo.Pkg bash2 = YumRepo.Pkg.of("bash", "5.1.8", "9.el9", "x86_64");
            rpm.sync("el9", full().add(zsh, bash2).metadata("updateinfo", YumRepo.UPDATEINFO.replace("</updates>", """
                      <update from="security@example.org" status="final" type="bugfix" version="1">
                        <id>RHBA-2024:0002</id>
                        <title>zsh bug fix</title>
                        <pkglist><collection short="base"><name>base</name>
                          <package name="zsh" version="5.8" release="9.el9" epoch="0" arch="x86_64"><filename>zsh.rpm</filename></package>
                        </collection></pkglist>
                      </update>
                    </updates>""")).write(up.path("yum2")), ProgressListener.NONE);
            ExportResult second = exports.export(ExportRequest.full(List.of(VersionRef.latest("el9")), up.path("e2"))
                    .withExporter("site").incremental().allowingOnDemand(), ProgressListener.NONE);
            ImportResult imported = imports.importArchive(ImportRequest.of(second.toc().orElseThrow()), ProgressListener.NONE);

            assertThat(second.units()).isEqualTo(3);
            assertThat(imported.repositories()).singleElement().satisfies(r -> assertThat(r.version()).contains(2));
            Map<String, Map<String, Object>> units = UnitFields.of(downstream, "el9");
            assertThat(units).isEqualTo(UnitFields.of(upstream, "el9"));
            assertThat(units).containsKeys("rpm.advisory:RHBA-2024:0002", "rpm.package:zsh-5.8-9.el9.x86_64",
                    "rpm.package:bash-5.1.8-9.el9.x86_64");
        }
    }

    @Test
    void anArchiveOfRpmPlugin1IsRefusedNamingBothVersions() {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = Airlock.builder().jdbcUrl(up.url()).credentials(up.user(), up.password())
                        .storage(up.path("home").resolve("artifacts")).plugin(asVersion("1.4.2")).discoverPlugins(false).build();
                Airlock downstream = RpmTests.open(down)) {
            upstream.repositories().create("el9", RpmPlugin.NAME, null);
            new RpmRepositories(upstream).sync("el9", full().write(up.path("yum")), ProgressListener.NONE);
            Path toc = new ExportEngine(upstream).export(ExportRequest.full(List.of(VersionRef.latest("el9")), up.path("exports"))
                    .allowingOnDemand(), ProgressListener.NONE).toc().orElseThrow();

            AirlockException refused = catchThrowableOfType(AirlockException.class, () -> new ImportEngine(downstream)
                    .importArchive(ImportRequest.of(toc).creatingRepositories(), ProgressListener.NONE));

            assertThat(refused.code()).isEqualTo(ErrorCode.PLUGIN_INVALID);
            assertThat(refused).hasMessage("export " + toc + " was made with plugin 'rpm' 1.4.2, but 2.0.0 is installed;"
                    + " only the same major version can import it");
            assertThat(downstream.repositories().list()).isEmpty();
        }
    }

    /** The rpm plugin as an installation of another version of it runs it (same types and tables). */
    private static ContentPlugin asVersion(String version) {
        RpmPlugin rpm = new RpmPlugin();
        return new ContentPlugin() {
            @Override
            public String name() {
                return rpm.name();
            }

            @Override
            public String version() {
                return version;
            }

            @Override
            public List<ContentType<?>> contentTypes() {
                return rpm.contentTypes();
            }

            @Override
            public List<Class<?>> entityClasses() {
                return rpm.entityClasses();
            }

            @Override
            public List<Migration> migrations() {
                return rpm.migrations();
            }

            @Override
            public Optional<CopyPolicy> copyPolicy() {
                return rpm.copyPolicy();
            }
        };
    }

    /** bash's complete file list in filelists.xml: primary's three and two more. */
    static final String BASH_FILES = "  <file>/usr/bin/bash</file>\n  <file type=\"dir\">/etc/bash.d</file>\n"
            + "  <file type=\"ghost\">/var/log/bash</file>\n  <file>/usr/share/doc/bash/README &amp; more</file>\n"
            + "  <file type=\"dir\">/usr/share/doc/bash</file>\n";
    static final String BASH_CHANGELOG = "  <changelog author=\"Jane Doe &lt;jane@example.org&gt; - 5.1.8-6\" date=\"1650000000\">"
            + "- Fix the &lt;prompt&gt;\n- Second line</changelog>\n"
            + "  <changelog author=\"John Roe &lt;john@example.org&gt; - 5.1.8-5\" date=\"1640000000\">- Rebuilt</changelog>\n";

    static YumRepo full() {
        return new YumRepo().add(BASH, NGINX, GLIBC)
                .details(BASH, BASH_FILES, BASH_CHANGELOG)
                .details(NGINX, "  <file>/usr/sbin/nginx</file>\n", "")
                .metadata("updateinfo", YumRepo.UPDATEINFO)
                .metadata("modules", YumRepo.MODULES + YumRepo.OBSOLETE)
                .metadata("group", YumRepo.COMPS)
                .metadata("productid", PRODUCTID)
                .tags(TAGS);
    }

    static final String PRODUCTID = "<productid>a product certificate</productid>\n";
    static final String TAGS = "    <content>binary-x86_64</content>\n    <repo>example-9</repo>\n"
            + "    <distro cpeid=\"cpe:/o:example:example:9\">Example 9</distro>\n    <distro>Example</distro>\n";

    private static byte[] downloaded(Airlock airlock, String sha256) throws IOException {
        try (InputStream in = airlock.artifacts().open(sha256)) {
            return in.readAllBytes();
        }
    }
}
