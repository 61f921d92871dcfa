package io.airlock.core.copy;

import static io.airlock.core.copy.Copies.content;
import static io.airlock.core.copy.Copies.latest;
import static io.airlock.core.copy.Copies.repository;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlock.core.Airlock;
import io.airlock.core.Widget;
import io.airlock.core.copy.CopyRequest.Entry;
import io.airlock.spi.AirlockException;
import io.airlock.spi.Content;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.copy.CopyPair;
import io.airlock.spi.copy.CopyPlan;
import io.airlock.spi.copy.CopyPolicy;
import io.airlock.spi.copy.CopyPlan.Reason;
import io.airlock.spi.copy.CopyPlan.Unresolved;
import io.airlock.testing.TestDatabase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("persistence")
final class CopyPolicyTest {

    @Test
    void childrenComeAlongWithTheirReason() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = Copies.open(db)) {
            repository(airlock, "src", "gadget", Gadget.kit("kit", "bolt", "nut"), Gadget.plain("bolt"), Gadget.plain("nut"),
                    Gadget.plain("spare"));
            repository(airlock, "dst", "gadget");

            CopyResult result = copy(airlock, Entry.whole("src", "dst").withContent("gadget.gadget:kit"));

            assertThat(result.destinations().get(0).added()).containsExactly(
                    new CopyResult.Added("gadget.gadget", "bolt", Reason.childOf("gadget.gadget:kit")),
                    new CopyResult.Added("gadget.gadget", "kit", Reason.REQUESTED),
                    new CopyResult.Added("gadget.gadget", "nut", Reason.childOf("gadget.gadget:kit")));
            assertThat(content(airlock, "dst", 1)).containsExactly("gadget.gadget:bolt", "gadget.gadget:kit", "gadget.gadget:nut");
        }
    }

    @Test
    void dependencyFromAnotherSourceGoesToThatSourcesDestination() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = Copies.open(db)) {
            repository(airlock, "apps", "gadget", Gadget.needing("app", "power"));
            repository(airlock, "base", "gadget", Gadget.providing("battery", "power"), Gadget.plain("other"));
            repository(airlock, "apps-dst", "gadget");
            repository(airlock, "base-dst", "gadget");

            CopyResult result = copy(airlock, Entry.whole("apps", "apps-dst").withContent("gadget.gadget:app"),
                    Entry.whole("base", "base-dst").withContent());

            assertThat(result.destinations()).extracting(CopyResult.Destination::added).containsExactly(
                    List.of(new CopyResult.Added("gadget.gadget", "app", Reason.REQUESTED)),
                    List.of(new CopyResult.Added("gadget.gadget", "battery", Reason.dependencyOf("gadget.gadget:app", "power"))));
            assertThat(result.destinations().get(1).added().get(0).reason())
                    .hasToString("dependency of gadget.gadget:app via power");
            assertThat(content(airlock, "base-dst", 1)).containsExactly("gadget.gadget:battery");
        }
    }

    @Test
    void dependencyTheDestinationProvidesIsSatisfied() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = Copies.open(db)) {
            repository(airlock, "src", "gadget", Gadget.needing("app", "power"), Gadget.providing("battery", "power"));
            repository(airlock, "dst", "gadget", Gadget.providing("mains", "power"));

            CopyResult result = copy(airlock, Entry.whole("src", "dst").withContent("gadget.gadget:app"));

            assertThat(result.destinations().get(0).added()).extracting(CopyResult.Added::label).containsExactly("app");
            assertThat(result.unresolved()).isEmpty();
        }
    }

    @Test
    void unresolvedDependenciesAreReported() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = Copies.open(db)) {
            repository(airlock, "src", "gadget", Gadget.needing("app", "power"), Gadget.needing("lamp", "bulb"));
            repository(airlock, "dst", "gadget");

            CopyResult result = copy(airlock, Entry.whole("src", "dst"));

            assertThat(result.unresolved()).containsExactly(
                    new Unresolved("gadget.gadget:app", "power"), new Unresolved("gadget.gadget:lamp", "bulb"));
            assertThat(result.destinations().get(0).version()).contains(1);
        }
    }

    @Test
    void withoutDependencySolvingOnlyChildrenComeAlong() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = Copies.open(db)) {
            repository(airlock, "src", "gadget", Gadget.kit("kit", "bolt"), Gadget.plain("bolt"),
                    new Gadget("app", null, "power", null), Gadget.providing("battery", "power"));
            repository(airlock, "dst", "gadget");

            CopyResult result = new CopyEngine(airlock).copy(CopyRequest.of(List.of(
                    Entry.whole("src", "dst").withContent("gadget.gadget:kit", "gadget.gadget:app"))).withDependencySolving(false));

            assertThat(result.destinations().get(0).added()).extracting(CopyResult.Added::label).containsExactly("app", "bolt", "kit");
            assertThat(result.unresolved()).isEmpty();
        }
    }

    @Test
    void policySeesTheWholeSourceWhenContentIsOmitted() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = Copies.open(db)) {
            repository(airlock, "src", "gadget", Gadget.kit("kit", "bolt"), Gadget.plain("bolt"), Gadget.plain("spare"));
            repository(airlock, "dst", "gadget", Gadget.plain("spare"));

            CopyResult result = copy(airlock, Entry.whole("src", "dst"));

            assertThat(result.destinations().get(0).added()).containsExactly(
                    new CopyResult.Added("gadget.gadget", "bolt", Reason.REQUESTED),
                    new CopyResult.Added("gadget.gadget", "kit", Reason.REQUESTED));
        }
    }

    @Test
    void failingPolicyLeavesEveryDestinationUnchanged() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = Copies.open(db)) {
            repository(airlock, "widgets", "test", new Widget("a", 1));
            repository(airlock, "widgets-dst", "test");
            repository(airlock, "gadgets", "gadget", Gadget.kit("kit", "bolt"), Gadget.plain("bolt"));
            repository(airlock, "gadgets-dst", "gadget");
            repository(airlock, "things", "faulty");
            Copies.add(airlock, "things", new FaultyThing("t"));
            repository(airlock, "things-dst", "faulty");
            Copies.State before = Copies.State.of(airlock);

            assertThatThrownBy(() -> copy(airlock, Entry.whole("widgets", "widgets-dst"), Entry.whole("gadgets", "gadgets-dst"),
                    Entry.whole("things", "things-dst")))
                    .isInstanceOf(AirlockException.class)
                    .hasMessage("the copy policy of plugin 'faulty' failed: java.lang.IllegalStateException: policy exploded")
                    .satisfies(e -> assertThat(((AirlockException) e).code()).isEqualTo(ErrorCode.PLUGIN_INVALID));
            assertThat(Copies.State.of(airlock)).isEqualTo(before);
            assertThat(List.of(latest(airlock, "widgets-dst"), latest(airlock, "gadgets-dst"), latest(airlock, "things-dst")))
                    .containsOnly(0);
        }
    }

    @Test
    void policyIsAskedOnceWithEveryPairOfItsFamily() {
        List<String> calls = new ArrayList<>();
        CopyPolicy recording = problem -> {
            calls.add(problem.pairs().stream().map(p -> p.index() + ":" + p.source() + "->" + p.destination()
                    + p.selected().stream().map(Content::label).toList() + (p.wholeVersion() ? " whole" : "")).toList().toString());
            return CopyPlan.EMPTY;
        };
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = Copies.open(db, recording)) {
            repository(airlock, "g1", "gadget", Gadget.plain("a"), Gadget.plain("b"));
            repository(airlock, "g2", "gadget", Gadget.plain("c"));
            repository(airlock, "w", "test", new Widget("w", 1));
            repository(airlock, "g-dst", "gadget");
            repository(airlock, "w-dst", "test");

            copy(airlock, Entry.whole("g1", "g-dst").withContent("gadget.gadget:b"), Entry.whole("w", "w-dst"),
                    Entry.whole("g2@1", "g-dst"), Entry.whole("g1", "g-dst").withContent());

            assertThat(calls).containsExactly("[0:g1@1->g-dst@0[b], 2:g2@1->g-dst@0[c] whole, 3:g1@1->g-dst@0[]]");
        }
    }

    @Test
    void scriptedPlanAppearsInTheResult() {
        CopyPolicy scripted = problem -> {
            CopyPair pair = problem.pairs().get(0);
            Map<String, Content> source = new HashMap<>();
            pair.source().scan(Gadget.class, 10, batch -> batch.forEach(g -> source.put(g.label(), g)));
            return new CopyPlan(List.of(
                    new CopyPlan.Addition(pair.index(), source.get("child"), Reason.childOf("gadget.gadget:parent")),
                    new CopyPlan.Addition(pair.index(), source.get("dep"), Reason.dependencyOf("gadget.gadget:child", "cap(x)")),
                    new CopyPlan.Addition(pair.index(), source.get("present"), Reason.dependencyOf("gadget.gadget:child", "y"))),
                    List.of(new Unresolved("gadget.gadget:parent", "libmissing.so.1()(64bit)")));
        };
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = Copies.open(db, scripted)) {
            repository(airlock, "src", "gadget", Gadget.plain("parent"), Gadget.plain("child"), Gadget.plain("dep"),
                    Gadget.plain("present"));
            repository(airlock, "dst", "gadget", Gadget.plain("present"));

            CopyResult result = copy(airlock, Entry.whole("src", "dst").withContent("gadget.gadget:parent"));

            assertThat(result.destinations().get(0).added()).extracting(CopyResult.Added::toString).containsExactly(
                    "gadget.gadget:child (child of gadget.gadget:parent)",
                    "gadget.gadget:dep (dependency of gadget.gadget:child via cap(x))",
                    "gadget.gadget:parent (requested)");
            assertThat(result.unresolved()).containsExactly(new Unresolved("gadget.gadget:parent", "libmissing.so.1()(64bit)"));
            assertThat(content(airlock, "dst", 2)).containsExactly("gadget.gadget:child", "gadget.gadget:dep",
                    "gadget.gadget:parent", "gadget.gadget:present");
        }
    }

    @Test
    void requestedReasonWinsOverAPolicyReasonForTheSameUnit() {
        CopyPolicy scripted = problem -> {
            CopyPair pair = problem.pairs().get(0);
            return new CopyPlan(pair.selected().stream()
                    .map(unit -> new CopyPlan.Addition(pair.index(), unit, Reason.childOf("gadget.gadget:x"))).toList(), List.of());
        };
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = Copies.open(db, scripted)) {
            repository(airlock, "src", "gadget", Gadget.plain("a"));
            repository(airlock, "dst", "gadget");

            CopyResult result = copy(airlock, Entry.whole("src", "dst").withContent("gadget.gadget:a"));

            assertThat(result.destinations().get(0).added())
                    .containsExactly(new CopyResult.Added("gadget.gadget", "a", Reason.REQUESTED));
        }
    }

    @Test
    void additionForAPairOfAnotherFamilyIsRefusedAndNothingChanges() {
        CopyPolicy rogue = problem -> new CopyPlan(List.of(new CopyPlan.Addition(0, problem.pairs().get(0).selected().get(0),
                Reason.REQUESTED)), List.of());
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = Copies.open(db, rogue)) {
            repository(airlock, "widgets", "test", new Widget("a", 1));
            repository(airlock, "widgets-dst", "test");
            repository(airlock, "gadgets", "gadget", Gadget.plain("g"));
            repository(airlock, "gadgets-dst", "gadget");
            Copies.State before = Copies.State.of(airlock);

            assertThatThrownBy(() -> copy(airlock, Entry.whole("widgets", "widgets-dst"), Entry.whole("gadgets", "gadgets-dst")))
                    .hasMessage("the copy policy of plugin 'gadget' added gadget.gadget:g for config[0], which is not one of its pairs");
            assertThat(Copies.State.of(airlock)).isEqualTo(before);
        }
    }

    static CopyResult copy(Airlock airlock, Entry... entries) {
        return new CopyEngine(airlock).copy(CopyRequest.of(List.of(entries)));
    }
}
