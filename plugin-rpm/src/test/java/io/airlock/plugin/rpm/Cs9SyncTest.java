package io.airlock.plugin.rpm;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.core.Airlock;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.core.repository.VersionRef;
import io.airlock.spi.Content;
import io.airlock.spi.ProgressListener;
import io.airlock.testing.SharedData;
import io.airlock.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("persistence")
final class Cs9SyncTest {

    @Test
    void baseOsIngestsEveryPackageAndItsComps() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            airlock.repositories().create("baseos", RpmPlugin.NAME, null);

            RpmRepositories.SyncResult result = new RpmRepositories(airlock).sync("baseos", SharedData.require("cs9-baseos"),
                    ProgressListener.NONE);

            assertThat(result.units()).isEqualTo(Map.of(RpmPackage.TYPE, 1125L, PackageGroup.TYPE, 34L,
                    PackageCategory.TYPE, 4L, PackageEnvironment.TYPE, 3L, RepoMetadata.TYPE, 1L));
            assertThat(result.onDemand()).isEqualTo(1125);
            assertThat(result.version().map(RepositoryVersion::contentCount)).contains(1125L + 34 + 4 + 3 + 1);
            // The snapshot lacks other.xml, which its repomd.xml lists.
            assertThat(result.warnings()).singleElement().satisfies(w -> assertThat(w)
                    .startsWith("other metadata repodata/07a78710").endsWith("is missing: ignored"));
        }
    }

    @Test
    void baseOsPackagesKeepEveryFileOfFilelists() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            airlock.repositories().create("baseos", RpmPlugin.NAME, null);
            new RpmRepositories(airlock).sync("baseos", SharedData.require("cs9-baseos"), ProgressListener.NONE);
            long[] files = new long[2];

            airlock.repositories().scanContent(airlock.repositories().version(VersionRef.latest("baseos")),
                    Optional.of(RpmPackage.TYPE), 500, batch -> batch.forEach(unit -> {
                        files[0] += ((RpmPackage) unit).completeFiles().size();
                        files[1] += ((RpmPackage) unit).files().size();
                    }));

            // grep -c "<file[ >]" of the two files (93,618 lines start with "<file" in filelists: one is its root)
            assertThat(files).containsExactly(93_617, 3_680);
        }
    }

    @Test
    void appStreamIngestsPackagesModulesDefaultsAndComps() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            airlock.repositories().create("appstream", RpmPlugin.NAME, null);

            RpmRepositories.SyncResult result = new RpmRepositories(airlock).sync("appstream",
                    SharedData.require("cs9-appstream"), ProgressListener.NONE);

            assertThat(result.units()).isEqualTo(Map.of(RpmPackage.TYPE, 17649L, Modulemd.TYPE, 31L, ModulemdDefaults.TYPE, 8L,
                    PackageGroup.TYPE, 63L, PackageCategory.TYPE, 5L, PackageEnvironment.TYPE, 4L, RepoMetadata.TYPE, 1L));
            // repomd.xml's revision and its distro tag; the sqlite databases it lists are not kept.
            List<Content> repomd = new ArrayList<>();
            airlock.repositories().scanContent(airlock.repositories().version(VersionRef.latest("appstream")),
                    Optional.of(RepoMetadata.TYPE), 10, repomd::addAll);
            assertThat(repomd).singleElement().isInstanceOfSatisfying(RepoMetadata.class, unit -> {
                assertThat(unit.revision()).isEqualTo("9-stream");
                assertThat(unit.distroTags()).containsExactly(new RepoMetadata.Distro("cpe:/o:centos-stream:centos-stream:9",
                        "CentOS Stream 9"));
                assertThat(unit.contentTags()).isEmpty();
                assertThat(unit.repoTags()).isEmpty();
            });
            assertThat(airlock.repositories().countContent(airlock.repositories().version(VersionRef.latest("appstream")),
                    Optional.of(Modulemd.TYPE))).isEqualTo(31);
        }
    }

    @Test
    void syncingTheSameDirectoryAgainMakesNoVersion() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            airlock.repositories().create("baseos", RpmPlugin.NAME, null);
            RpmRepositories rpm = new RpmRepositories(airlock);
            rpm.sync("baseos", SharedData.require("cs9-baseos"), ProgressListener.NONE);

            RpmRepositories.SyncResult again = rpm.sync("baseos", SharedData.require("cs9-baseos"), ProgressListener.NONE);

            assertThat(again.version()).isEmpty();
            assertThat(airlock.repositories().versions("baseos")).hasSize(2);
        }
    }
}
