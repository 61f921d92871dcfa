package io.airlock.plugin.rpm.solve;

import static io.airlock.plugin.rpm.solve.Fixtures.list;
import static io.airlock.plugin.rpm.solve.Fixtures.onePair;
import static io.airlock.plugin.rpm.solve.Fixtures.pkg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlock.plugin.rpm.solve.DependencySolver.Added;
import io.airlock.plugin.rpm.solve.DependencySolver.Options;
import io.airlock.plugin.rpm.solve.DependencySolver.PackageInfo;
import io.airlock.plugin.rpm.solve.DependencySolver.Solution;
import io.airlock.plugin.rpm.solve.DependencySolver.Unresolved;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class DependencySolverTest {

    private static final Options DEFAULT = Options.DEFAULT;

    @Test
    void aRequirementBringsItsProviderIntoTheSelectedPair() {
        List<PackageInfo> source = list(
                pkg("app", "1.0-1", "x86_64").requires("libb.so.1()(64bit)"),
                pkg("b", "2.0-1", "x86_64").provides("libb.so.1()(64bit)"));

        Solution solution = onePair(source, List.of()).solve(Map.of(0, List.of("app-1.0-1.x86_64")), DEFAULT);

        assertThat(solution.added()).containsExactly(
                new Added(0, "b-2.0-1.x86_64", "app-1.0-1.x86_64", "libb.so.1()(64bit)"));
        assertThat(solution.unresolved()).isEmpty();
    }

    @Test
    void theClosureIsTransitive() {
        List<PackageInfo> source = list(
                pkg("a", "1-1", "x86_64").requires("b"),
                pkg("b", "1-1", "x86_64").requires("c >= 2"),
                pkg("c", "2-1", "x86_64"));

        Solution solution = onePair(source, List.of()).solve(Map.of(0, List.of("a-1-1.x86_64")), DEFAULT);

        assertThat(solution.added()).containsExactly(
                new Added(0, "b-1-1.x86_64", "a-1-1.x86_64", "b"),
                new Added(0, "c-2-1.x86_64", "b-1-1.x86_64", "c >= 2"));
    }

    @Test
    void rpmlibRequirementsAreAlwaysSatisfied() {
        List<PackageInfo> source = list(pkg("a", "1-1", "x86_64")
                .requires("rpmlib(CompressedFileNames) <= 3.0.4-1", "rpmlib(PayloadIsZstd) <= 5.4.18-1"));

        Solution solution = onePair(source, List.of()).solve(Map.of(0, List.of("a-1-1.x86_64")), DEFAULT);

        assertThat(solution.added()).isEmpty();
        assertThat(solution.unresolved()).isEmpty();
    }

    @Test
    void aFileRequirementMatchesAFileList() {
        List<PackageInfo> source = list(
                pkg("script", "1-1", "noarch").requires("/usr/bin/python3"),
                pkg("python3", "3.9.18-1", "x86_64").files("/usr/bin/python3", "/usr/bin/pydoc3"));

        Solution solution = onePair(source, List.of()).solve(Map.of(0, List.of("script-1-1.noarch")), DEFAULT);

        assertThat(solution.added()).extracting(Added::key).containsExactly("python3-3.9.18-1.x86_64");
    }

    @Test
    void aFileRequirementMatchesAProvide() {
        List<PackageInfo> source = list(
                pkg("script", "1-1", "noarch").requires("/bin/sh"),
                pkg("bash", "5.1-1", "x86_64").provides("/bin/sh"));

        Solution solution = onePair(source, List.of()).solve(Map.of(0, List.of("script-1-1.noarch")), DEFAULT);

        assertThat(solution.added()).extracting(Added::key).containsExactly("bash-5.1-1.x86_64");
    }

    @Test
    void aPackageProvidesItsOwnNameAndEvrWithoutListingIt() {
        List<PackageInfo> source = list(
                pkg("a", "1-1", "x86_64").requires("b = 2.0-3"),
                pkg("b", "2.0-3", "x86_64"),
                pkg("b", "2.0-4", "x86_64"));

        Solution solution = onePair(source, List.of()).solve(Map.of(0, List.of("a-1-1.x86_64")), DEFAULT);

        assertThat(solution.added()).extracting(Added::key).containsExactly("b-2.0-3.x86_64");
    }

    @Test
    void theNewestProviderWins() {
        List<PackageInfo> source = list(
                pkg("a", "1-1", "x86_64").requires("libfoo"),
                pkg("foo", "1.9-1", "x86_64").provides("libfoo"),
                pkg("foo", "1.10-1", "x86_64").provides("libfoo"),
                pkg("foo", "1.2-1", "x86_64").provides("libfoo"));

        Solution solution = onePair(source, List.of()).solve(Map.of(0, List.of("a-1-1.x86_64")), DEFAULT);

        assertThat(solution.added()).extracting(Added::key).containsExactly("foo-1.10-1.x86_64");
    }

    @Test
    void aVersionedRequirementTakesTheNewestProviderInItsRange() {
        List<PackageInfo> source = list(
                pkg("a", "1-1", "x86_64").requires("foo < 2"),
                pkg("foo", "1.0-1", "x86_64"),
                pkg("foo", "1.5-1", "x86_64"),
                pkg("foo", "2.0-1", "x86_64"));

        Solution solution = onePair(source, List.of()).solve(Map.of(0, List.of("a-1-1.x86_64")), DEFAULT);

        assertThat(solution.added()).extracting(Added::key).containsExactly("foo-1.5-1.x86_64");
    }

    @Test
    void theDependentsArchitectureBeatsANewerOtherArchitecture() {
        List<PackageInfo> source = list(
                pkg("a", "1-1", "x86_64").requires("libz"),
                pkg("zlib", "1.3-1", "i686").provides("libz"),
                pkg("zlib", "1.2-1", "x86_64").provides("libz"));

        Solution solution = onePair(source, List.of()).solve(Map.of(0, List.of("a-1-1.x86_64")), DEFAULT);

        assertThat(solution.added()).extracting(Added::key).containsExactly("zlib-1.2-1.x86_64");
    }

    @Test
    void noarchCountsAsTheDependentsArchitecture() {
        List<PackageInfo> source = list(
                pkg("a", "1-1", "x86_64").requires("data"),
                pkg("data-old", "1-1", "x86_64").provides("data"),
                pkg("data-new", "2-1", "noarch").provides("data"));

        Solution solution = onePair(source, List.of()).solve(Map.of(0, List.of("a-1-1.x86_64")), DEFAULT);

        assertThat(solution.added()).extracting(Added::key).containsExactly("data-new-2-1.noarch");
    }

    @Test
    void aNoarchDependentPrefersTheArchitectureOfWhatBroughtItIn() {
        List<PackageInfo> source = list(
                pkg("a", "1-1", "x86_64").requires("tools"),
                pkg("tools", "1-1", "noarch").requires("libt"),
                pkg("t", "1-1", "aarch64").provides("libt"),
                pkg("t", "1-1", "x86_64").provides("libt"));

        Solution solution = onePair(source, List.of()).solve(Map.of(0, List.of("a-1-1.x86_64")), DEFAULT);

        assertThat(solution.added()).extracting(Added::key).containsExactly("t-1-1.x86_64", "tools-1-1.noarch");
    }

    @Test
    void aSelectedNoarchPackagePrefersTheMostCommonArchitectureOfItsSource() {
        List<PackageInfo> source = list(
                pkg("tools", "1-1", "noarch").requires("libt"),
                pkg("t", "1-1", "i686").provides("libt"),
                pkg("t", "1-1", "x86_64").provides("libt"),
                pkg("x", "1-1", "x86_64"),
                pkg("y", "1-1", "x86_64"));

        Solution solution = onePair(source, List.of()).solve(Map.of(0, List.of("tools-1-1.noarch")), DEFAULT);

        assertThat(solution.added()).extracting(Added::key).containsExactly("t-1-1.x86_64");
    }

    @Test
    void twoVersionsOfOneNameBringBothClosures() {
        List<PackageInfo> source = list(
                pkg("foo", "1-1", "x86_64").requires("libbar.so.1"),
                pkg("foo", "2-1", "x86_64").requires("libbar.so.2"),
                pkg("bar", "1-1", "x86_64").provides("libbar.so.1"),
                pkg("bar", "2-1", "x86_64").provides("libbar.so.2"));

        Solution solution = onePair(source, List.of())
                .solve(Map.of(0, List.of("foo-1-1.x86_64", "foo-2-1.x86_64")), DEFAULT);

        assertThat(solution.added()).extracting(Added::key).containsExactly("bar-1-1.x86_64", "bar-2-1.x86_64");
    }

    @Test
    void aPairWithAnEmptySelectionSuppliesDependenciesToItsDestination() {
        List<PackageInfo> appSource = list(pkg("app", "1-1", "x86_64").requires("lib"));
        List<PackageInfo> libSource = list(pkg("lib", "1-1", "x86_64"));
        DependencySolver solver = DependencySolver.builder()
                .pair(0, appSource, List.of())
                .pair(1, libSource, List.of())
                .build();

        Solution solution = solver.solve(Map.of(0, List.of("app-1-1.x86_64"), 1, List.of()), DEFAULT);

        assertThat(solution.added()).containsExactly(new Added(1, "lib-1-1.x86_64", "app-1-1.x86_64", "lib"));
    }

    @Test
    void aProviderInTheDependentsOwnSourceGoesToItsPair() {
        List<PackageInfo> shared = list(pkg("lib", "1-1", "x86_64"));
        List<PackageInfo> second = list(pkg("app", "1-1", "x86_64").requires("lib"), pkg("lib", "1-1", "x86_64"));
        DependencySolver solver = DependencySolver.builder()
                .pair(0, shared, List.of())
                .pair(1, second, List.of())
                .build();

        Solution solution = solver.solve(Map.of(1, List.of("app-1-1.x86_64")), DEFAULT);

        assertThat(solution.added()).extracting(Added::pair).containsExactly(1);
    }

    @Test
    void aProviderOnlyInOtherSourcesGoesToTheLowestPair() {
        List<PackageInfo> lib = list(pkg("lib", "1-1", "x86_64"));
        DependencySolver solver = DependencySolver.builder()
                .pair(3, lib, List.of())
                .pair(5, list(pkg("app", "1-1", "x86_64").requires("lib")), List.of())
                .pair(4, lib, List.of())
                .build();

        Solution solution = solver.solve(Map.of(5, List.of("app-1-1.x86_64")), DEFAULT);

        assertThat(solution.added()).extracting(Added::pair).containsExactly(3);
    }

    @Test
    void whatADestinationProvidesIsSatisfied() {
        List<PackageInfo> source = list(pkg("app", "1-1", "x86_64").requires("lib >= 1"), pkg("lib", "2-1", "x86_64"));
        List<PackageInfo> destination = list(pkg("lib", "1-1", "x86_64"));

        Solution solution = onePair(source, destination).solve(Map.of(0, List.of("app-1-1.x86_64")), DEFAULT);

        assertThat(solution.added()).isEmpty();
    }

    @Test
    void whatAnyPairsDestinationProvidesIsSatisfied() {
        DependencySolver solver = DependencySolver.builder()
                .pair(0, list(pkg("app", "1-1", "x86_64").requires("lib"), pkg("lib", "2-1", "x86_64")), List.of())
                .pair(1, List.of(), list(pkg("lib", "1-1", "x86_64")))
                .build();

        Solution solution = solver.solve(Map.of(0, List.of("app-1-1.x86_64")), DEFAULT);

        assertThat(solution.added()).isEmpty();
    }

    @Test
    void aPackageSelectedInAnotherPairSatisfies() {
        List<PackageInfo> lib = list(pkg("lib", "1-1", "x86_64"));
        DependencySolver solver = DependencySolver.builder()
                .pair(0, list(pkg("app", "1-1", "x86_64").requires("lib"), pkg("lib", "2-1", "x86_64")), List.of())
                .pair(1, lib, List.of())
                .build();

        Solution solution = solver.solve(Map.of(0, List.of("app-1-1.x86_64"), 1, List.of("lib-1-1.x86_64")), DEFAULT);

        assertThat(solution.added()).isEmpty();
    }

    @Test
    void aRequirementOfTwoDependentsAddsItsProviderOnce() {
        List<PackageInfo> source = list(
                pkg("a", "1-1", "x86_64").requires("lib"),
                pkg("b", "1-1", "x86_64").requires("lib"),
                pkg("lib", "1-1", "x86_64"));

        Solution solution = onePair(source, List.of())
                .solve(Map.of(0, List.of("b-1-1.x86_64", "a-1-1.x86_64")), DEFAULT);

        assertThat(solution.added()).containsExactly(new Added(0, "lib-1-1.x86_64", "a-1-1.x86_64", "lib"));
    }

    @Test
    void dependencyUpgradeBringsTheNewestSameNamePackage() {
        List<PackageInfo> source = list(
                pkg("app", "1-1", "x86_64").requires("libc.so.6(GLIBC_2.28)(64bit)"),
                pkg("glibc", "2.28-5", "x86_64").provides("libc.so.6(GLIBC_2.28)(64bit)"),
                pkg("glibc", "2.28-9", "x86_64").provides("libc.so.6(GLIBC_2.28)(64bit)"));
        List<PackageInfo> destination = list(pkg("glibc", "2.28-1", "x86_64").provides("libc.so.6(GLIBC_2.28)(64bit)"));

        Solution solution = onePair(source, destination)
                .solve(Map.of(0, List.of("app-1-1.x86_64")), new Options(true, false));

        assertThat(solution.added()).extracting(Added::key).containsExactly("glibc-2.28-9.x86_64");
    }

    @Test
    void dependencyUpgradeIgnoresNewerProvidersOfOtherNames() {
        List<PackageInfo> source = list(
                pkg("app", "1-1", "x86_64").requires("mta"),
                pkg("postfix", "3.5-9", "x86_64").provides("mta"));
        List<PackageInfo> destination = list(pkg("sendmail", "8.15-1", "x86_64").provides("mta"));

        Solution solution = onePair(source, destination)
                .solve(Map.of(0, List.of("app-1-1.x86_64")), new Options(true, false));

        assertThat(solution.added()).isEmpty();
    }

    @Test
    void withoutDependencyUpgradeTheDestinationVersionIsKept() {
        List<PackageInfo> source = list(
                pkg("app", "1-1", "x86_64").requires("glibc"),
                pkg("glibc", "2.28-9", "x86_64"));
        List<PackageInfo> destination = list(pkg("glibc", "2.28-1", "x86_64"));

        Solution solution = onePair(source, destination).solve(Map.of(0, List.of("app-1-1.x86_64")), DEFAULT);

        assertThat(solution.added()).isEmpty();
    }

    @Test
    void anUnsatisfiableRequirementIsListedAndTheRestIsStillSolved() {
        List<PackageInfo> source = list(
                pkg("app", "1-1", "x86_64").requires("missing >= 1.0", "lib"),
                pkg("lib", "1-1", "x86_64"));

        Solution solution = onePair(source, List.of()).solve(Map.of(0, List.of("app-1-1.x86_64")), DEFAULT);

        assertThat(solution.unresolved()).containsExactly(new Unresolved("app-1-1.x86_64", "missing >= 1.0"));
        assertThat(solution.added()).extracting(Added::key).containsExactly("lib-1-1.x86_64");
    }

    @Test
    void anAddedPackagesUnsatisfiableRequirementIsListed() {
        List<PackageInfo> source = list(
                pkg("app", "1-1", "x86_64").requires("lib"),
                pkg("lib", "1-1", "x86_64").requires("gone"));

        Solution solution = onePair(source, List.of()).solve(Map.of(0, List.of("app-1-1.x86_64")), DEFAULT);

        assertThat(solution.unresolved()).containsExactly(new Unresolved("lib-1-1.x86_64", "gone"));
    }

    @Test
    void aMalformedRichDependencyIsListedAsUnresolved() {
        List<PackageInfo> source = list(pkg("app", "1-1", "x86_64").requires("(a and", "lib"), pkg("lib", "1-1", "x86_64"));

        Solution solution = onePair(source, List.of()).solve(Map.of(0, List.of("app-1-1.x86_64")), DEFAULT);

        assertThat(solution.unresolved()).containsExactly(new Unresolved("app-1-1.x86_64", "(a and"));
        assertThat(solution.added()).extracting(Added::key).containsExactly("lib-1-1.x86_64");
    }

    @Test
    void recommendsAreIgnoredUnlessAsked() {
        List<PackageInfo> source = list(pkg("app", "1-1", "x86_64").recommends("extra"), pkg("extra", "1-1", "x86_64"));

        Solution solution = onePair(source, List.of()).solve(Map.of(0, List.of("app-1-1.x86_64")), DEFAULT);

        assertThat(solution.added()).isEmpty();
    }

    @Test
    void recommendsAreSolvedWhenAsked() {
        List<PackageInfo> source = list(pkg("app", "1-1", "x86_64").recommends("extra"), pkg("extra", "1-1", "x86_64"));

        Solution solution = onePair(source, List.of())
                .solve(Map.of(0, List.of("app-1-1.x86_64")), new Options(false, true));

        assertThat(solution.added()).containsExactly(new Added(0, "extra-1-1.x86_64", "app-1-1.x86_64", "extra"));
    }

    @Test
    void anUnsatisfiableRecommendIsNotListed() {
        List<PackageInfo> source = list(pkg("app", "1-1", "x86_64").recommends("nowhere"));

        Solution solution = onePair(source, List.of())
                .solve(Map.of(0, List.of("app-1-1.x86_64")), new Options(false, true));

        assertThat(solution.unresolved()).isEmpty();
    }

    @Test
    void aSourceRpmIsNeverAProvider() {
        List<PackageInfo> source = list(pkg("app", "1-1", "x86_64").requires("lib"), pkg("lib", "1-1", "src"));

        Solution solution = onePair(source, List.of()).solve(Map.of(0, List.of("app-1-1.x86_64")), DEFAULT);

        assertThat(solution.unresolved()).containsExactly(new Unresolved("app-1-1.x86_64", "lib"));
    }

    @Test
    void aRequirementOnItselfAddsNothing() {
        List<PackageInfo> source = list(pkg("app", "1-1", "x86_64").provides("app-api").requires("app-api", "app = 1-1"));

        Solution solution = onePair(source, List.of()).solve(Map.of(0, List.of("app-1-1.x86_64")), DEFAULT);

        assertThat(solution.added()).isEmpty();
        assertThat(solution.unresolved()).isEmpty();
    }

    @Test
    void aSolverCanBeAskedAgain() {
        DependencySolver solver = onePair(list(pkg("a", "1-1", "x86_64").requires("b"), pkg("b", "1-1", "x86_64"),
                pkg("c", "1-1", "x86_64").requires("b")), List.of());

        Solution first = solver.solve(Map.of(0, List.of("a-1-1.x86_64")), DEFAULT);
        Solution second = solver.solve(Map.of(0, List.of("c-1-1.x86_64")), DEFAULT);

        assertThat(first.added()).containsExactly(new Added(0, "b-1-1.x86_64", "a-1-1.x86_64", "b"));
        assertThat(second.added()).containsExactly(new Added(0, "b-1-1.x86_64", "c-1-1.x86_64", "b"));
    }

    @Test
    void aKeyNotInThePairsSourceIsRefused() {
        DependencySolver solver = DependencySolver.builder()
                .pair(0, list(pkg("a", "1-1", "x86_64")), List.of())
                .pair(1, list(pkg("b", "1-1", "x86_64")), List.of())
                .build();

        assertThatThrownBy(() -> solver.solve(Map.of(0, List.of("b-1-1.x86_64")), DEFAULT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("package 'b-1-1.x86_64' is not in the source of pair 0");
    }

    @Test
    void anUnknownPairIsRefused() {
        DependencySolver solver = onePair(list(pkg("a", "1-1", "x86_64")), List.of());

        assertThatThrownBy(() -> solver.solve(Map.of(7, List.of()), DEFAULT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no pair 7");
    }

    @Test
    void oneKeyNamingTwoDifferentPackagesIsRefused() {
        var builder = DependencySolver.builder()
                .pair(0, list(pkg("a", "1-1", "x86_64").key("k")), List.of())
                .pair(1, list(pkg("b", "1-1", "x86_64").key("k")), List.of());

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("package key 'k' names two different packages: a-1-1.x86_64 and b-1-1.x86_64");
    }

    @Test
    void aSharedDestinationCanBeNamedOnce() {
        List<PackageInfo> destination = list(pkg("lib", "1-1", "x86_64"));
        DependencySolver solver = DependencySolver.builder()
                .packages("dest", destination)
                .packages("s0", list(pkg("a", "1-1", "x86_64").requires("lib")))
                .packages("s1", list(pkg("b", "1-1", "x86_64").requires("lib")))
                .pair(0, "s0", "dest")
                .pair(1, "s1", "dest")
                .build();

        Solution solution = solver.solve(Map.of(0, List.of("a-1-1.x86_64"), 1, List.of("b-1-1.x86_64")), DEFAULT);

        assertThat(solution.added()).isEmpty();
        assertThat(solution.unresolved()).isEmpty();
    }
}
