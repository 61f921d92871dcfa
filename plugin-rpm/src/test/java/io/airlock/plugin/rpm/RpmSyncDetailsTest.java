package io.airlock.plugin.rpm;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.core.Airlock;
import io.airlock.core.copy.CopyEngine;
import io.airlock.core.copy.CopyRequest;
import io.airlock.core.copy.CopyRequest.Entry;
import io.airlock.core.copy.CopyResult;
import io.airlock.core.repository.VersionRef;
import io.airlock.spi.ProgressListener;
import io.airlock.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code rpm sync} keeps each package's complete file list (filelists.xml) and changelog (other.xml). */
@Tag("persistence")
final class RpmSyncDetailsTest {

    private static final List<RpmFile> BASH_FILES = List.of(new RpmFile("/usr/bin/bash", null), new RpmFile("/etc/bash.d", "dir"),
            new RpmFile("/var/log/bash", "ghost"), new RpmFile("/usr/share/doc/bash/README & more", null),
            new RpmFile("/usr/share/doc/bash", "dir"));

    @Test
    void aPackageKeepsItsCompleteFileListAndChangelogBesidePrimarysFiles() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            RpmCopyTest.sync(airlock, db, "el9", RpmRoundTripTest.full());

            RpmPackage bash = pkg(airlock, "el9", "bash-5.1.8-6.el9.x86_64");

            assertThat(bash.completeFiles()).isEqualTo(BASH_FILES);
            assertThat(bash.files()).hasSize(3);
            assertThat(bash.changelogs()).containsExactly(
                    new RpmChangelog("Jane Doe <jane@example.org> - 5.1.8-6", 1650000000L, "- Fix the <prompt>\n- Second line"),
                    new RpmChangelog("John Roe <john@example.org> - 5.1.8-5", 1640000000L, "- Rebuilt"));
        }
    }

    @Test
    void detailsAreReadFromXzAndZstdFilesToo() {
        for (String compression : List.of("xz", "zst", "")) {
            try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
                RpmCopyTest.sync(airlock, db, "el9", RpmRoundTripTest.full().compression(compression));

                assertThat(pkg(airlock, "el9", "bash-5.1.8-6.el9.x86_64").completeFiles()).as(compression).isEqualTo(BASH_FILES);
            }
        }
    }

    @Test
    void aPackageFilelistsLacksKeepsPrimarysFilesAndTheSyncWarns() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            airlock.repositories().create("el9", RpmPlugin.NAME, null);

            RpmRepositories.SyncResult result = new RpmRepositories(airlock).sync("el9",
                    RpmRoundTripTest.full().write(db.path("yum")), ProgressListener.NONE);

            RpmPackage glibc = pkg(airlock, "el9", "glibc-2.34-60.el9.x86_64");
            assertThat(glibc.packedFileList()).isNull();
            assertThat(glibc.completeFiles()).isEqualTo(glibc.files());
            assertThat(glibc.changelogs()).isEmpty();
            assertThat(result.warnings()).anySatisfy(w -> assertThat(w).endsWith(
                    "-filelists.xml.gz has no entry for 1 package of primary metadata: their file list is primary's"));
        }
    }

    @Test
    void aFileRequirementOutsidePrimarysListIsSolvedFromTheCompleteList() {
        YumRepo.Pkg app = YumRepo.Pkg.of("app", "1.0", "1", "x86_64")
                .requires("      <rpm:entry name=\"/usr/share/data/table.dat\"/>\n"
                        + "      <rpm:entry name=\"(/usr/libexec/tool if app-extra)\"/>\n");
        YumRepo.Pkg data = YumRepo.Pkg.of("data", "2.0", "1", "noarch");
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            RpmCopyTest.sync(airlock, db, "src", new YumRepo().add(app, data)
                    .details(app, "  <file>/usr/bin/app</file>\n", "")
                    .details(data, "  <file type=\"dir\">/usr/share/data</file>\n  <file>/usr/share/data/table.dat</file>\n", ""));
            airlock.repositories().create("dst", RpmPlugin.NAME, null);

            CopyResult result = new CopyEngine(airlock).copy(CopyRequest.of(List.of(
                    Entry.whole("src", "dst").withContent("rpm.package:app-1.0-1.x86_64"))).withDependencySolving(true).asDryRun());

            assertThat(result.destinations().get(0).added()).extracting(a -> a.label() + " " + a.reason())
                    .containsExactlyInAnyOrder("app-1.0-1.x86_64 requested",
                            "data-2.0-1.noarch dependency of rpm.package:app-1.0-1.x86_64 via /usr/share/data/table.dat");
            assertThat(result.unresolved()).isEmpty();
        }
    }

    @Test
    void aFilelistsFileWithAnotherRootElementIsRefusedNamingIt() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            airlock.repositories().create("el9", RpmPlugin.NAME, null);
            java.nio.file.Path yum = RpmRoundTripTest.full().metadata("filelists", "<?xml version=\"1.0\"?>\n<metadata/>\n")
                    .write(db.path("yum"));

            io.airlock.spi.AirlockException refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                    io.airlock.spi.AirlockException.class,
                    () -> new RpmRepositories(airlock).sync("el9", yum, ProgressListener.NONE));

            assertThat(refused).hasMessageContaining("-filelists.xml.gz").hasMessageContaining("the root element is not <filelists>");
            assertThat(airlock.repositories().versions("el9")).hasSize(1);
        }
    }

    static RpmPackage pkg(Airlock airlock, String repository, String nevra) {
        List<RpmPackage> found = new ArrayList<>();
        airlock.repositories().scanContent(airlock.repositories().version(VersionRef.latest(repository)),
                Optional.of(RpmPackage.TYPE), 100, batch -> batch.stream().map(RpmPackage.class::cast)
                        .filter(p -> p.nevra().equals(nevra)).forEach(found::add));
        assertThat(found).as(nevra).hasSize(1);
        return found.get(0);
    }
}
