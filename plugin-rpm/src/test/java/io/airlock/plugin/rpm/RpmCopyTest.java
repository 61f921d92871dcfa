package io.airlock.plugin.rpm;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.core.Airlock;
import io.airlock.core.copy.CopyEngine;
import io.airlock.core.copy.CopyRequest;
import io.airlock.core.copy.CopyRequest.Entry;
import io.airlock.core.copy.CopyResult;
import io.airlock.spi.ProgressListener;
import io.airlock.spi.copy.CopyOptions;
import io.airlock.spi.copy.CopyPlan.Reason;
import io.airlock.spi.copy.CopyPlan.Unresolved;
import io.airlock.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("persistence")
final class RpmCopyTest {

    private static final YumRepo.Pkg APP = YumRepo.Pkg.of("app", "1.0", "1", "x86_64")
            .requires("      <rpm:entry name=\"libfoo.so.1()(64bit)\"/>\n      <rpm:entry name=\"/usr/bin/helper\"/>\n");
    private static final YumRepo.Pkg LIBFOO = YumRepo.Pkg.of("libfoo", "1.2", "1", "x86_64")
            .provides("      <rpm:entry name=\"libfoo.so.1()(64bit)\"/>\n");
    private static final YumRepo.Pkg HELPER = YumRepo.Pkg.of("helper", "2.0", "1", "noarch")
            .files("    <file>/usr/bin/helper</file>\n");

    @Test
    void anAdvisoryBringsItsPackagesItsModuleAndTheModulesDefaults() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            sync(airlock, db, "src", RpmRoundTripTest.full());
            airlock.repositories().create("dst", RpmPlugin.NAME, null);

            CopyResult result = copy(airlock, false, Entry.whole("src", "dst").withContent("rpm.advisory:RHSA-2024:0001"));

            assertThat(added(result, 0)).isEqualTo(Map.of(
                    "rpm.advisory:RHSA-2024:0001", "requested",
                    "rpm.package:bash-5.1.8-6.el9.x86_64", "child of rpm.advisory:RHSA-2024:0001",
                    "rpm.package:nginx-1:1.22.1-1.module.x86_64", "child of rpm.advisory:RHSA-2024:0001",
                    "rpm.modulemd:nginx:1.22:9000020230101:abcdef:x86_64", "child of rpm.advisory:RHSA-2024:0001",
                    "rpm.modulemd_defaults:nginx", "child of rpm.modulemd:nginx:1.22:9000020230101:abcdef:x86_64"));
        }
    }

    @Test
    void aModuleBringsItsArtifactsAndAnArtifactBringsItsModule() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            sync(airlock, db, "src", RpmRoundTripTest.full());
            airlock.repositories().create("dst", RpmPlugin.NAME, null);

            CopyResult result = copy(airlock, false,
                    Entry.whole("src", "dst").withContent("rpm.package:nginx-1:1.22.1-1.module.x86_64"));

            assertThat(added(result, 0)).containsEntry("rpm.modulemd:nginx:1.22:9000020230101:abcdef:x86_64",
                    "child of rpm.package:nginx-1:1.22.1-1.module.x86_64")
                    .containsEntry("rpm.modulemd_defaults:nginx", "child of rpm.modulemd:nginx:1.22:9000020230101:abcdef:x86_64")
                    .hasSize(3);
        }
    }

    @Test
    void aModuleBuildBringsTheObsoletesOfItsStreamAndContextOnly() {
        String ownStream = YumRepo.OBSOLETE.replace("stream: 1.20", "stream: \"1.22\"").replace("  context: abcdef\n", "");
        String otherContext = YumRepo.OBSOLETE.replace("stream: 1.20", "stream: \"1.22\"").replace("context: abcdef", "context: fedcba");
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            sync(airlock, db, "src", RpmRoundTripTest.full().metadata("modules", YumRepo.MODULES + YumRepo.OBSOLETE + ownStream
                    + otherContext));
            airlock.repositories().create("dst", RpmPlugin.NAME, null);

            CopyResult result = copy(airlock, false,
                    Entry.whole("src", "dst").withContent("rpm.modulemd:nginx:1.22:9000020230101:abcdef:x86_64"));

            // Not the obsolete of nginx:1.20 (which names 1.22 as its successor), nor that of another context.
            assertThat(added(result, 0)).containsEntry("rpm.modulemd_obsolete:nginx:1.22@2024-02-01T00:00Z",
                    "child of rpm.modulemd:nginx:1.22:9000020230101:abcdef:x86_64")
                    .containsOnlyKeys("rpm.modulemd:nginx:1.22:9000020230101:abcdef:x86_64", "rpm.modulemd_defaults:nginx",
                            "rpm.package:nginx-1:1.22.1-1.module.x86_64", "rpm.modulemd_obsolete:nginx:1.22@2024-02-01T00:00Z");
        }
    }

    @Test
    void anEnvironmentBringsItsGroupsAndAGroupTheNewestPackageOfEachName() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            YumRepo.Pkg oldBash = YumRepo.Pkg.of("bash", "5.1.8", "2.el9", "x86_64");
            YumRepo.Pkg newBash = YumRepo.Pkg.of("bash", "5.1.10", "1.el9", "x86_64");
            sync(airlock, db, "src", new YumRepo().add(oldBash, newBash).metadata("group", YumRepo.COMPS));
            airlock.repositories().create("dst", RpmPlugin.NAME, null);

            CopyResult result = copy(airlock, false,
                    Entry.whole("src", "dst").withContent("rpm.packageenvironment:minimal-environment"));

            assertThat(added(result, 0)).isEqualTo(Map.of(
                    "rpm.packageenvironment:minimal-environment", "requested",
                    "rpm.packagegroup:core", "child of rpm.packageenvironment:minimal-environment",
                    "rpm.package:bash-5.1.10-1.el9.x86_64", "child of rpm.packagegroup:core"));
        }
    }

    @Test
    void dependenciesComeFromEverySourceAndGoToTheirOwnDestination() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            sync(airlock, db, "apps", new YumRepo().add(APP));
            sync(airlock, db, "base", new YumRepo().add(LIBFOO, HELPER));
            airlock.repositories().create("apps-dst", RpmPlugin.NAME, null);
            airlock.repositories().create("base-dst", RpmPlugin.NAME, null);

            CopyResult result = copy(airlock, true, Entry.whole("apps", "apps-dst").withContent("rpm.package:app-1.0-1.x86_64"),
                    Entry.whole("base", "base-dst").withContent());

            assertThat(added(result, 0)).isEqualTo(Map.of("rpm.package:app-1.0-1.x86_64", "requested"));
            assertThat(added(result, 1)).isEqualTo(Map.of(
                    "rpm.package:libfoo-1.2-1.x86_64", "dependency of rpm.package:app-1.0-1.x86_64 via libfoo.so.1()(64bit)",
                    "rpm.package:helper-2.0-1.noarch", "dependency of rpm.package:app-1.0-1.x86_64 via /usr/bin/helper"));
            assertThat(result.unresolved()).isEmpty();
        }
    }

    @Test
    void withoutDependencySolvingOnlyTheSelectionAndItsChildrenAreCopied() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            sync(airlock, db, "src", new YumRepo().add(APP, LIBFOO, HELPER));
            airlock.repositories().create("dst", RpmPlugin.NAME, null);

            CopyResult result = copy(airlock, false, Entry.whole("src", "dst").withContent("rpm.package:app-1.0-1.x86_64"));

            assertThat(added(result, 0)).containsOnlyKeys("rpm.package:app-1.0-1.x86_64");
        }
    }

    @Test
    void whatTheDestinationProvidesIsNotCopiedAndWhatNothingProvidesIsListed() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            sync(airlock, db, "src", new YumRepo().add(APP, HELPER.requires("      <rpm:entry name=\"perl(Nothing::Here)\"/>\n")));
            sync(airlock, db, "dst", new YumRepo().add(LIBFOO));

            CopyResult result = copy(airlock, true, Entry.whole("src", "dst").withContent("rpm.package:app-1.0-1.x86_64"));

            assertThat(added(result, 0)).containsOnlyKeys("rpm.package:app-1.0-1.x86_64", "rpm.package:helper-2.0-1.noarch");
            assertThat(result.unresolved()).containsExactly(
                    new Unresolved("rpm.package:helper-2.0-1.noarch", "perl(Nothing::Here)"));
        }
    }

    @Test
    void theDestinationsBaseVersionIsWhatSatisfiesDependencies() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            sync(airlock, db, "src", new YumRepo().add(APP, LIBFOO, HELPER));
            sync(airlock, db, "dst", new YumRepo().add(LIBFOO, HELPER));
            new RpmRepositories(airlock).sync("dst", new YumRepo().add(HELPER).write(db.path("yum-dst-2")), ProgressListener.NONE);
            Entry entry = Entry.whole("src", "dst").withContent("rpm.package:app-1.0-1.x86_64");

            CopyResult onLatest = copy(airlock, true, entry);
            CopyResult onVersionOne = copy(airlock, true, entry.withBase(1));

            assertThat(added(onLatest, 0)).containsOnlyKeys("rpm.package:app-1.0-1.x86_64", "rpm.package:libfoo-1.2-1.x86_64");
            assertThat(added(onVersionOne, 0)).containsOnlyKeys("rpm.package:app-1.0-1.x86_64");
        }
    }

    @Test
    void twoVersionsOfOneNameEachGetTheirClosure() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            YumRepo.Pkg old = YumRepo.Pkg.of("tool", "1", "1", "x86_64").requires("      <rpm:entry name=\"libold\"/>\n");
            YumRepo.Pkg recent = YumRepo.Pkg.of("tool", "2", "1", "x86_64").requires("      <rpm:entry name=\"libnew\"/>\n");
            sync(airlock, db, "src", new YumRepo().add(old, recent, YumRepo.Pkg.of("libold", "1", "1", "x86_64"),
                    YumRepo.Pkg.of("libnew", "1", "1", "x86_64")));
            airlock.repositories().create("dst", RpmPlugin.NAME, null);

            CopyResult result = copy(airlock, true, Entry.whole("src", "dst")
                    .withContent("rpm.package:tool-1-1.x86_64", "rpm.package:tool-2-1.x86_64"));

            assertThat(added(result, 0)).containsOnlyKeys("rpm.package:tool-1-1.x86_64", "rpm.package:tool-2-1.x86_64",
                    "rpm.package:libold-1-1.x86_64", "rpm.package:libnew-1-1.x86_64");
        }
    }

    @Test
    void dependencyUpgradeBringsTheNewestInsteadOfAcceptingTheInstalledOne() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            YumRepo.Pkg app = YumRepo.Pkg.of("app", "1.0", "1", "x86_64").requires("      <rpm:entry name=\"libfoo\"/>\n");
            sync(airlock, db, "src", new YumRepo().add(app, YumRepo.Pkg.of("libfoo", "2", "1", "x86_64")));
            sync(airlock, db, "dst", new YumRepo().add(YumRepo.Pkg.of("libfoo", "1", "1", "x86_64")));
            Entry entry = Entry.whole("src", "dst").withContent("rpm.package:app-1.0-1.x86_64");

            CopyResult plain = new CopyEngine(airlock).copy(CopyRequest.of(List.of(entry)).asDryRun());
            CopyResult upgrading = new CopyEngine(airlock).copy(CopyRequest.of(List.of(entry))
                    .withOptions(new CopyOptions(true, true, false)).asDryRun());

            assertThat(added(plain, 0)).containsOnlyKeys("rpm.package:app-1.0-1.x86_64");
            assertThat(added(upgrading, 0)).containsOnlyKeys("rpm.package:app-1.0-1.x86_64", "rpm.package:libfoo-2-1.x86_64");
        }
    }

    @Test
    void theSameRequestGivesTheSameResultWhateverTheRowOrder() {
        YumRepo.Pkg a = YumRepo.Pkg.of("libfoo", "1.2", "1", "i686").provides("      <rpm:entry name=\"libfoo.so.1()(64bit)\"/>\n");
        YumRepo.Pkg b = YumRepo.Pkg.of("libfoo-compat", "1.2", "1", "x86_64").provides("      <rpm:entry name=\"libfoo.so.1()(64bit)\"/>\n");
        List<CopyResult> results = new java.util.ArrayList<>();
        for (List<YumRepo.Pkg> order : List.of(List.of(APP, LIBFOO, HELPER, a, b), List.of(b, a, HELPER, LIBFOO, APP))) {
            try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
                sync(airlock, db, "src", new YumRepo().add(order.toArray(YumRepo.Pkg[]::new)));
                airlock.repositories().create("dst", RpmPlugin.NAME, null);
                results.add(copy(airlock, true, Entry.whole("src", "dst").withContent("rpm.package:app-1.0-1.x86_64")));
            }
        }
        assertThat(results.get(1).destinations().get(0).added()).isEqualTo(results.get(0).destinations().get(0).added());
        // Same architecture first (not the i686 build), then the newest, then the name: libfoo before libfoo-compat.
        assertThat(added(results.get(0), 0)).containsOnlyKeys("rpm.package:app-1.0-1.x86_64",
                "rpm.package:libfoo-1.2-1.x86_64", "rpm.package:helper-2.0-1.noarch");
    }

    @Test
    void aRealCopyCreatesOneVersionPerDestination() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            sync(airlock, db, "apps", new YumRepo().add(APP));
            sync(airlock, db, "base", new YumRepo().add(LIBFOO, HELPER));
            airlock.repositories().create("apps-dst", RpmPlugin.NAME, null);
            airlock.repositories().create("base-dst", RpmPlugin.NAME, null);

            CopyResult result = new CopyEngine(airlock).copy(CopyRequest.of(List.of(
                    Entry.whole("apps", "apps-dst").withContent("rpm.package:app-1.0-1.x86_64"),
                    Entry.whole("base", "base-dst").withContent())));

            assertThat(result.destinations()).extracting(CopyResult.Destination::version)
                    .containsExactly(java.util.Optional.of(1), java.util.Optional.of(1));
            assertThat(UnitFields.of(airlock, "base-dst")).containsOnlyKeys("rpm.package:libfoo-1.2-1.x86_64",
                    "rpm.package:helper-2.0-1.noarch");
        }
    }

    @Test
    void twoInstallationsSharingOnePluginObjectEachSolveAgainstTheirOwnVersions() {
        RpmPlugin shared = new RpmPlugin(); // a host registering one plugin object with two tenants
        try (TestDatabase first = TestDatabase.create(); TestDatabase second = TestDatabase.create();
                Airlock withLibfoo = RpmTests.open(first, "home", shared); Airlock withoutLibfoo = RpmTests.open(second, "home", shared)) {
            sync(withLibfoo, first, "src", new YumRepo().add(APP, LIBFOO, HELPER));
            withLibfoo.repositories().create("dst", RpmPlugin.NAME, null);
            sync(withoutLibfoo, second, "src", new YumRepo().add(APP, HELPER)); // same name, same version number
            withoutLibfoo.repositories().create("dst", RpmPlugin.NAME, null);
            Entry entry = Entry.whole("src", "dst").withContent("rpm.package:app-1.0-1.x86_64");

            CopyResult solvedFirst = copy(withLibfoo, true, entry);
            CopyResult solvedSecond = copy(withoutLibfoo, true, entry);

            assertThat(added(solvedFirst, 0)).containsKey("rpm.package:libfoo-1.2-1.x86_64");
            assertThat(added(solvedSecond, 0)).doesNotContainKey("rpm.package:libfoo-1.2-1.x86_64");
            assertThat(solvedSecond.unresolved()).containsExactly(
                    new Unresolved("rpm.package:app-1.0-1.x86_64", "libfoo.so.1()(64bit)"));
        }
    }

    @Test
    void aModuleBringsTheNewestBuildOfTheStreamItRequiresWithItsPackagesAndDefaults() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            sync(airlock, db, "src", modular(MODULES_WITH_REQUIRES));
            airlock.repositories().create("dst", RpmPlugin.NAME, null);

            CopyResult result = copy(airlock, true, Entry.whole("src", "dst").withContent("rpm.modulemd:" + NODEJS_11));

            String nodejs = "rpm.modulemd:" + NODEJS_11;
            String postgresql = "rpm.modulemd:postgresql:9.6:9000020230202:aaaa:x86_64";
            assertThat(added(result, 0)).isEqualTo(Map.of(
                    nodejs, "requested",
                    "rpm.package:nodejs-11.0-1.module.x86_64", "child of " + nodejs,
                    postgresql, "dependency of " + nodejs + " via module(postgresql:9.6)",
                    "rpm.package:postgresql-9.6.2-1.module.x86_64", "child of " + postgresql,
                    "rpm.modulemd_defaults:postgresql", "child of " + postgresql));
            assertThat(result.unresolved()).isEmpty();
        }
    }

    @Test
    void aModuleRequirementMetByTheDestinationBringsNothingAndOneNothingMeetsIsListed() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            String requiresMissing = MODULES_WITH_REQUIRES.replace("postgresql: [\"9.6\"]", "postgresql: [\"9.6\"]\n      ruby: []");
            sync(airlock, db, "src", modular(requiresMissing));
            sync(airlock, db, "dst", modular(MODULES_WITH_REQUIRES.replace("version: 9000020230202", "version: 9000020230101")
                    .replace("postgresql-9.6.2", "postgresql-9.6.1")));
            Entry entry = Entry.whole("src", "dst").withContent("rpm.modulemd:" + NODEJS_11);

            CopyResult result = copy(airlock, true, entry);
            CopyResult unsolved = copy(airlock, false, entry);

            // the destination's 9.6 build (an older one) meets postgresql:9.6; nothing has ruby
            assertThat(added(result, 0)).doesNotContainKey("rpm.modulemd:postgresql:9.6:9000020230202:aaaa:x86_64")
                    .doesNotContainKey("rpm.package:postgresql-9.6.2-1.module.x86_64");
            assertThat(result.unresolved()).containsExactly(new Unresolved("rpm.modulemd:" + NODEJS_11, "module(ruby)"));
            assertThat(unsolved.unresolved()).isEmpty();
        }
    }

    @Test
    void aModuleRequirementExcludingAStreamTakesAnotherAndBringsWhatThatOneRequires() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            // nodejs wants any postgresql stream but 9.6, so 10, and postgresql:10 requires perl:5.30
            sync(airlock, db, "src", modular(MODULES_WITH_REQUIRES.replace("postgresql: [\"9.6\"]", "postgresql: [\"-9.6\"]")));
            airlock.repositories().create("dst", RpmPlugin.NAME, null);

            CopyResult result = copy(airlock, true, Entry.whole("src", "dst").withContent("rpm.modulemd:" + NODEJS_11));

            assertThat(added(result, 0)).containsEntry("rpm.modulemd:postgresql:10:9000020230303:bbbb:x86_64",
                    "dependency of rpm.modulemd:" + NODEJS_11 + " via module(postgresql:-9.6)")
                    .containsEntry("rpm.modulemd:perl:5.30:9000020230404:cccc:x86_64",
                            "dependency of rpm.modulemd:postgresql:10:9000020230303:bbbb:x86_64 via module(perl:5.30)")
                    .containsEntry("rpm.package:perl-5.30.1-1.module.x86_64", "child of rpm.modulemd:perl:5.30:9000020230404:cccc:x86_64")
                    .doesNotContainKey("rpm.modulemd:postgresql:9.6:9000020230202:aaaa:x86_64");
        }
    }

    @Test
    void aModuleRequirementOnAnyStreamTakesTheDefaultStreamOverAHigherOne() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            sync(airlock, db, "src", modular(MODULES_WITH_REQUIRES.replace("postgresql: [\"9.6\"]", "postgresql: []")
                    .replace("stream: \"10\"\n...", "stream: \"9.6\"\n...")));
            airlock.repositories().create("dst", RpmPlugin.NAME, null);

            CopyResult result = copy(airlock, true, Entry.whole("src", "dst").withContent("rpm.modulemd:" + NODEJS_11));

            assertThat(added(result, 0)).containsEntry("rpm.modulemd:postgresql:9.6:9000020230202:aaaa:x86_64",
                    "dependency of rpm.modulemd:" + NODEJS_11 + " via module(postgresql)")
                    .doesNotContainKey("rpm.modulemd:postgresql:10:9000020230303:bbbb:x86_64");
        }
    }

    @Test
    void aFileRequirementOnlyAFileListMeetsIsResolvedFromAnotherSource() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            sync(airlock, db, "apps", new YumRepo().add(NEEDS_DATA_FILE));
            sync(airlock, db, "base", new YumRepo().add(DATA, LIBFOO).details(DATA, DATA_FILES, ""));
            airlock.repositories().create("apps-dst", RpmPlugin.NAME, null);
            airlock.repositories().create("base-dst", RpmPlugin.NAME, null);

            CopyResult result = copy(airlock, true, Entry.whole("apps", "apps-dst").withContent("rpm.package:viewer-1.0-1.x86_64"),
                    Entry.whole("base", "base-dst").withContent());

            assertThat(added(result, 1)).isEqualTo(Map.of("rpm.package:data-1.0-1.noarch",
                    "dependency of rpm.package:viewer-1.0-1.x86_64 via /usr/share/data/table.txt"));
            assertThat(result.unresolved()).isEmpty();
        }
    }

    @Test
    void aFileRequirementOnlyTheDestinationsFileListMeetsIsSatisfied() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            sync(airlock, db, "src", new YumRepo().add(NEEDS_DATA_FILE));
            sync(airlock, db, "dst", new YumRepo().add(DATA).details(DATA, DATA_FILES, ""));
            // another build of it without an entry in filelists (a unit of the same NEVRA and checksum would be the same unit)
            sync(airlock, db, "bare", new YumRepo().add(YumRepo.Pkg.of("data", "1.0", "2", "noarch")));
            Entry entry = Entry.whole("src", "dst").withContent("rpm.package:viewer-1.0-1.x86_64");

            CopyResult result = copy(airlock, true, entry);
            CopyResult withoutList = copy(airlock, true, Entry.whole("src", "bare").withContent("rpm.package:viewer-1.0-1.x86_64"));

            assertThat(added(result, 0)).containsOnlyKeys("rpm.package:viewer-1.0-1.x86_64");
            assertThat(result.unresolved()).isEmpty();
            assertThat(withoutList.unresolved()).containsExactly(
                    new Unresolved("rpm.package:viewer-1.0-1.x86_64", "/usr/share/data/table.txt"));
        }
    }

    @Test
    void aWholeVersionIsSolvedAcrossSourcesWithoutLoadingItsUnits() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            sync(airlock, db, "apps", new YumRepo().add(APP, NEEDS_DATA_FILE));
            sync(airlock, db, "base", new YumRepo().add(LIBFOO, HELPER, DATA).details(DATA, DATA_FILES, ""));
            airlock.repositories().create("apps-dst", RpmPlugin.NAME, null);
            airlock.repositories().create("base-dst", RpmPlugin.NAME, null);

            CopyResult result = copy(airlock, true, Entry.whole("apps", "apps-dst"), Entry.whole("base", "base-dst").withContent());

            // Each synced version holds its repomd's revision and tags as one unit, which a whole version brings.
            assertThat(added(result, 0)).isEqualTo(Map.of("rpm.package:app-1.0-1.x86_64", "requested",
                    "rpm.package:viewer-1.0-1.x86_64", "requested", "rpm.repo_metadata:repomd", "requested"));
            assertThat(added(result, 1)).containsOnlyKeys("rpm.package:libfoo-1.2-1.x86_64", "rpm.package:helper-2.0-1.noarch",
                    "rpm.package:data-1.0-1.noarch");
            assertThat(result.unresolved()).isEmpty();
        }
    }

    private static final String NODEJS_11 = "nodejs:11:9000020230101:ffff:x86_64";
    private static final YumRepo.Pkg NEEDS_DATA_FILE = YumRepo.Pkg.of("viewer", "1.0", "1", "x86_64")
            .requires("      <rpm:entry name=\"/usr/share/data/table.txt\"/>\n");
    /** Primary lists none of its files (none is under a bin or etc directory); filelists has them all. */
    private static final YumRepo.Pkg DATA = YumRepo.Pkg.of("data", "1.0", "1", "noarch");
    private static final String DATA_FILES = "  <file type=\"dir\">/usr/share/data</file>\n  <file>/usr/share/data/table.txt</file>\n";

    /**
     * nodejs:11 requires postgresql:9.6, which has two builds (the newer one's artifact is
     * 9.6.2); postgresql:10 (the default stream) requires perl:5.30.
     */
    private static final String MODULES_WITH_REQUIRES = module("nodejs", "11", 9000020230101L, "ffff", "nodejs-0:11.0-1.module.x86_64",
            "postgresql: [\"9.6\"]")
            + module("postgresql", "9.6", 9000020230101L, "aaaa", "postgresql-0:9.6.1-1.module.x86_64", null)
            + module("postgresql", "9.6", 9000020230202L, "aaaa", "postgresql-0:9.6.2-1.module.x86_64", null)
            + module("postgresql", "10", 9000020230303L, "bbbb", "postgresql-0:10.1-1.module.x86_64", "perl: [\"5.30\"]")
            + module("perl", "5.30", 9000020230404L, "cccc", "perl-0:5.30.1-1.module.x86_64", null)
            + """
            ---
            document: modulemd-defaults
            version: 1
            data:
              module: postgresql
              stream: "10"
            ...
            """;

    private static String module(String name, String stream, long version, String context, String artifact, String requires) {
        return """
                ---
                document: modulemd
                version: 2
                data:
                  name: %s
                  stream: "%s"
                  version: %d
                  context: %s
                  arch: x86_64
                  summary: %s
                  description: %s
                  license:
                    module: [MIT]
                  dependencies:
                  - buildrequires:
                      platform: [el9]
                    requires:
                      platform: [el9]
                %s  artifacts:
                    rpms:
                    - %s
                ...
                """.formatted(name, stream, version, context, name, name, requires == null ? "" : "      " + requires + "\n", artifact);
    }

    /** The packages every module build of {@link #MODULES_WITH_REQUIRES} lists, with that module metadata. */
    private static YumRepo modular(String modules) {
        YumRepo repo = new YumRepo().metadata("modules", modules);
        for (String nevr : List.of("nodejs:11.0", "postgresql:9.6.1", "postgresql:9.6.2", "postgresql:10.1", "perl:5.30.1")) {
            String[] parts = nevr.split(":");
            repo.add(YumRepo.Pkg.of(parts[0], parts[1], "1.module", "x86_64"));
        }
        return repo;
    }

    static void sync(Airlock airlock, TestDatabase db, String name, YumRepo repo) {
        airlock.repositories().create(name, RpmPlugin.NAME, null);
        new RpmRepositories(airlock).sync(name, repo.write(db.path("yum-" + name)), ProgressListener.NONE);
    }

    private static CopyResult copy(Airlock airlock, boolean solve, Entry... entries) {
        return new CopyEngine(airlock).copy(CopyRequest.of(List.of(entries)).withDependencySolving(solve).asDryRun());
    }

    /** {@code TYPE:LABEL} → reason of every unit a destination gets. */
    private static Map<String, String> added(CopyResult result, int destination) {
        Map<String, String> added = new TreeMap<>();
        for (CopyResult.Added unit : result.destinations().get(destination).added()) {
            added.put(unit.type() + ":" + unit.label(), unit.reason().toString());
        }
        return added;
    }
}
