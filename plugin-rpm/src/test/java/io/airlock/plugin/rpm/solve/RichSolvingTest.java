package io.airlock.plugin.rpm.solve;

import static io.airlock.plugin.rpm.solve.Fixtures.list;
import static io.airlock.plugin.rpm.solve.Fixtures.onePair;
import static io.airlock.plugin.rpm.solve.Fixtures.pkg;
import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.plugin.rpm.solve.DependencySolver.Added;
import io.airlock.plugin.rpm.solve.DependencySolver.Options;
import io.airlock.plugin.rpm.solve.DependencySolver.PackageInfo;
import io.airlock.plugin.rpm.solve.DependencySolver.Solution;
import io.airlock.plugin.rpm.solve.DependencySolver.Unresolved;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class RichSolvingTest {

    private static final String APP = "app-1-1.x86_64";

    @Test
    void andBringsEveryOperand() {
        Solution solution = solve(List.of(), pkg("app", "1-1", "x86_64").requires("(x and y)"), p("x"), p("y"));

        assertThat(keys(solution)).containsExactly("x-1-1.x86_64", "y-1-1.x86_64");
        assertThat(solution.added()).extracting(Added::capability).containsOnly("(x and y)");
    }

    @Test
    void orTakesTheFirstAlternativeWhenNoneIsPresent() {
        Solution solution = solve(List.of(), pkg("app", "1-1", "x86_64").requires("(y or x)"), p("x"), p("y"));

        assertThat(keys(solution)).containsExactly("y-1-1.x86_64");
    }

    @Test
    void orSkipsAnAlternativeThatCannotBeSatisfied() {
        Solution solution = solve(List.of(), pkg("app", "1-1", "x86_64").requires("(nowhere or x)"), p("x"));

        assertThat(keys(solution)).containsExactly("x-1-1.x86_64");
    }

    @Test
    void orIsSatisfiedByAnAlternativeAlreadyPresent() {
        Solution solution = solve(list(pkg("x", "0-1", "x86_64")), pkg("app", "1-1", "x86_64").requires("(y or x)"),
                p("x"), p("y"));

        assertThat(solution.added()).isEmpty();
    }

    @Test
    void orWithVersionedOperandsChecksTheirRanges() {
        Solution solution = solve(List.of(), pkg("app", "1-1", "x86_64").requires("(foo >= 1.2 or bar)"),
                pkg("foo", "1.1-1", "x86_64"), p("bar"));

        assertThat(keys(solution)).containsExactly("bar-1-1.x86_64");
    }

    @Test
    void ifBringsTheThenPartWhenTheConditionIsPresent() {
        Solution solution = solve(list(pkg("c", "1-1", "x86_64")), pkg("app", "1-1", "x86_64").requires("(x if c)"), p("x"));

        assertThat(keys(solution)).containsExactly("x-1-1.x86_64");
    }

    @Test
    void ifBringsNothingWhenTheConditionIsAbsent() {
        Solution solution = solve(List.of(), pkg("app", "1-1", "x86_64").requires("(x if c)"), p("x"), p("c"));

        assertThat(solution.added()).isEmpty();
    }

    @Test
    void ifSeesAConditionThatTheCopyBringsLater() {
        Solution solution = solve(List.of(), pkg("app", "1-1", "x86_64").requires("(x if c)", "z"),
                p("x"), p("c"), pkg("z", "1-1", "x86_64").requires("c"));

        assertThat(keys(solution)).containsExactly("c-1-1.x86_64", "x-1-1.x86_64", "z-1-1.x86_64");
    }

    @Test
    void ifElseBringsTheElsePartWhenTheConditionIsAbsent() {
        Solution solution = solve(List.of(), pkg("app", "1-1", "x86_64").requires("(x if c else y)"), p("x"), p("y"), p("c"));

        assertThat(keys(solution)).containsExactly("y-1-1.x86_64");
    }

    @Test
    void unlessBringsTheThenPartWhenTheConditionIsAbsent() {
        Solution solution = solve(List.of(), pkg("app", "1-1", "x86_64").requires("(x unless c)"), p("x"), p("c"));

        assertThat(keys(solution)).containsExactly("x-1-1.x86_64");
    }

    @Test
    void unlessBringsNothingWhenTheConditionIsPresent() {
        Solution solution = solve(list(pkg("c", "1-1", "x86_64")), pkg("app", "1-1", "x86_64").requires("(x unless c)"), p("x"));

        assertThat(solution.added()).isEmpty();
    }

    @Test
    void unlessElseBringsTheElsePartWhenTheConditionIsPresent() {
        Solution solution = solve(list(pkg("c", "1-1", "x86_64")), pkg("app", "1-1", "x86_64").requires("(x unless c else y)"),
                p("x"), p("y"));

        assertThat(keys(solution)).containsExactly("y-1-1.x86_64");
    }

    @Test
    void anUnlessThatTheCopyLaterSatisfiesIsNotListed() {
        Solution solution = solve(List.of(), pkg("app", "1-1", "x86_64").requires("(nowhere unless c)", "z"),
                p("c"), pkg("z", "1-1", "x86_64").requires("c"));

        assertThat(solution.unresolved()).isEmpty();
        assertThat(keys(solution)).containsExactly("c-1-1.x86_64", "z-1-1.x86_64");
    }

    @Test
    void withNeedsOnePackageMatchingEveryOperand() {
        Solution solution = solve(List.of(), pkg("app", "1-1", "x86_64").requires("(python(abi) with python-ver = 3.9)"),
                pkg("py39", "3.9-1", "x86_64").provides("python(abi)", "python-ver = 3.9"),
                pkg("py311", "3.11-1", "x86_64").provides("python(abi)", "python-ver = 3.11"),
                pkg("other", "9-1", "x86_64").provides("python-ver = 3.9"));

        assertThat(keys(solution)).containsExactly("py39-3.9-1.x86_64");
    }

    @Test
    void withIsNotSatisfiedByTwoPackagesSplittingTheOperands() {
        Solution solution = solve(list(pkg("a", "1-1", "x86_64").provides("cap-a"), pkg("b", "1-1", "x86_64").provides("cap-b")),
                pkg("app", "1-1", "x86_64").requires("(cap-a with cap-b)"),
                pkg("both", "1-1", "x86_64").provides("cap-a", "cap-b"));

        assertThat(keys(solution)).containsExactly("both-1-1.x86_64");
    }

    @Test
    void withoutExcludesPackagesMatchingTheRightOperand() {
        Solution solution = solve(List.of(), pkg("app", "1-1", "x86_64").requires("(kernel-module without debug)"),
                pkg("mod-debug", "2-1", "x86_64").provides("kernel-module", "debug"),
                pkg("mod", "1-1", "x86_64").provides("kernel-module"));

        assertThat(keys(solution)).containsExactly("mod-1-1.x86_64");
    }

    @Test
    void nestedTermsAreSolvedInside() {
        Solution solution = solve(List.of(), pkg("app", "1-1", "x86_64").requires("((foo >= 2 or bar) and (baz if bar))"),
                pkg("foo", "1-1", "x86_64"), p("bar"), p("baz"));

        assertThat(keys(solution)).containsExactly("bar-1-1.x86_64", "baz-1-1.x86_64");
    }

    @Test
    void anUnsatisfiableTermAddsNothingAndIsListed() {
        Solution solution = solve(List.of(), pkg("app", "1-1", "x86_64").requires("(x and nowhere)"), p("x"));

        assertThat(solution.added()).isEmpty();
        assertThat(solution.unresolved()).containsExactly(new Unresolved(APP, "(x and nowhere)"));
    }

    private static Fixtures.Pkg p(String name) {
        return pkg(name, "1-1", "x86_64");
    }

    private static Solution solve(List<PackageInfo> destination, Fixtures.Pkg app, Fixtures.Pkg... others) {
        Fixtures.Pkg[] all = new Fixtures.Pkg[others.length + 1];
        all[0] = app;
        System.arraycopy(others, 0, all, 1, others.length);
        return onePair(list(all), destination).solve(Map.of(0, List.of(APP)), Options.DEFAULT);
    }

    private static List<String> keys(Solution solution) {
        return solution.added().stream().map(Added::key).toList();
    }
}
