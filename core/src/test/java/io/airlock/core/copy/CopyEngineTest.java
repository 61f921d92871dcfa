package io.airlock.core.copy;

import static io.airlock.core.copy.Copies.content;
import static io.airlock.core.copy.Copies.latest;
import static io.airlock.core.copy.Copies.repository;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlock.core.Airlock;
import io.airlock.core.Widget;
import io.airlock.core.WidgetPlugin;
import io.airlock.core.copy.CopyRequest.Entry;
import io.airlock.core.repository.VersionRef;
import io.airlock.spi.copy.CopyPlan.Reason;
import io.airlock.testing.TestDatabase;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("persistence")
final class CopyEngineTest {

    @Test
    void namedUnitsAreCopiedIntoANewDestinationVersion() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = Copies.open(db)) {
            repository(airlock, "src", "test", new Widget("a", 1), new Widget("b", 1), new Widget("c", 1));
            repository(airlock, "dst", "test");

            CopyResult result = copy(airlock, Entry.whole("src", "dst").withContent("test.widget:a", "test.widget:c"));

            assertThat(result.destinations()).singleElement().satisfies(d -> {
                assertThat(d.repository()).isEqualTo("dst");
                assertThat(d.base()).isZero();
                assertThat(d.version()).contains(1);
                assertThat(d.added()).containsExactly(
                        new CopyResult.Added("test.widget", "a", Reason.REQUESTED),
                        new CopyResult.Added("test.widget", "c", Reason.REQUESTED));
            });
            assertThat(result.unresolved()).isEmpty();
            assertThat(content(airlock, "dst", 1)).containsExactly("test.widget:a#1", "test.widget:c#1");
        }
    }

    @Test
    void omittedContentCopiesTheWholeSourceVersion() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = Copies.open(db)) {
            repository(airlock, "src", "test", new Widget("a", 1), new Widget("b", 1));
            Copies.add(airlock, "src", new Widget("c", 1));
            repository(airlock, "dst", "test");

            CopyResult result = copy(airlock, new Entry(VersionRef.of("src", 1), "dst", java.util.OptionalInt.empty(),
                    Optional.empty()));

            assertThat(result.destinations().get(0).added()).extracting(CopyResult.Added::label).containsExactly("a", "b");
            assertThat(content(airlock, "dst", 1)).containsExactly("test.widget:a#1", "test.widget:b#1");
        }
    }

    @Test
    void unitNamedTwiceIsCopiedOnce() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = Copies.open(db)) {
            repository(airlock, "src", "test", new Widget("a", 1));
            repository(airlock, "dst", "test");

            CopyResult result = copy(airlock, Entry.whole("src", "dst").withContent("test.widget:a", "test.widget:a"));

            assertThat(result.destinations().get(0).added()).containsExactly(new CopyResult.Added("test.widget", "a", Reason.REQUESTED));
            assertThat(content(airlock, "dst", 1)).containsExactly("test.widget:a#1");
        }
    }

    @Test
    void wholeVersionWithoutPolicyIsCopiedWithoutLoadingUnits() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = Airlock.builder().jdbcUrl(db.url())
                .credentials(db.user(), db.password()).storage(db.path("artifacts")).discoverPlugins(false)
                .plugin(new WidgetPlugin()).property("hibernate.generate_statistics", true).build()) {
            Widget[] widgets = new Widget[50];
            for (int i = 0; i < widgets.length; i++) {
                widgets[i] = new Widget("w" + i, 1);
            }
            repository(airlock, "src", "test", widgets);
            repository(airlock, "dst", "test");
            var statistics = airlock.sessionFactory().getStatistics();
            statistics.clear();

            CopyResult result = copy(airlock, Entry.whole("src", "dst"));

            assertThat(result.destinations().get(0).added()).hasSize(50);
            assertThat(statistics.getEntityStatistics(Widget.class.getName()).getLoadCount()).isZero();
            assertThat(Copies.content(airlock, "dst", 1)).hasSize(50);
        }
    }

    @Test
    void emptyContentListCopiesNothing() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = Copies.open(db)) {
            repository(airlock, "src", "test", new Widget("a", 1));
            repository(airlock, "dst", "test");

            CopyResult result = copy(airlock, Entry.whole("src", "dst").withContent());

            assertThat(result.destinations()).singleElement().satisfies(d -> {
                assertThat(d.version()).isEmpty();
                assertThat(d.added()).isEmpty();
            });
            assertThat(latest(airlock, "dst")).isZero();
        }
    }

    @Test
    void severalPairsFillTheirOwnDestinationsInOneRequest() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = Copies.open(db)) {
            repository(airlock, "src1", "test", new Widget("a", 1), new Widget("b", 1));
            repository(airlock, "src2", "test", new Widget("x", 1), new Widget("y", 1));
            repository(airlock, "dst1", "test");
            repository(airlock, "dst2", "test");

            CopyResult result = copy(airlock, Entry.whole("src1", "dst1").withContent("test.widget:b"), Entry.whole("src2", "dst2"));

            assertThat(result.destinations()).extracting(CopyResult.Destination::repository).containsExactly("dst1", "dst2");
            assertThat(result.destinations()).extracting(CopyResult.Destination::version)
                    .containsExactly(Optional.of(1), Optional.of(1));
            assertThat(content(airlock, "dst1", 1)).containsExactly("test.widget:b#1");
            assertThat(content(airlock, "dst2", 1)).containsExactly("test.widget:x#1", "test.widget:y#1");
        }
    }

    @Test
    void entriesSharingADestinationMakeOneVersion() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = Copies.open(db)) {
            repository(airlock, "src1", "test", new Widget("a", 1), new Widget("b", 1));
            repository(airlock, "src2", "test", new Widget("x", 1));
            repository(airlock, "dst", "test", new Widget("old", 1));

            CopyResult result = copy(airlock, Entry.whole("src1", "dst").withContent("test.widget:a"), Entry.whole("src2", "dst"));

            assertThat(result.destinations()).singleElement().satisfies(d -> {
                assertThat(d.version()).contains(2);
                assertThat(d.added()).extracting(CopyResult.Added::label).containsExactly("a", "x");
            });
            assertThat(latest(airlock, "dst")).isEqualTo(2);
            assertThat(content(airlock, "dst", 2)).containsExactly("test.widget:a#1", "test.widget:old#1", "test.widget:x#1");
        }
    }

    @Test
    void newVersionIsBuiltOnTheGivenBaseVersion() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = Copies.open(db)) {
            repository(airlock, "src", "test", new Widget("a", 1));
            repository(airlock, "dst", "test", new Widget("one", 1));
            Copies.add(airlock, "dst", new Widget("two", 1));

            CopyResult result = copy(airlock, Entry.whole("src", "dst").withBase(1));

            assertThat(result.destinations().get(0).base()).isEqualTo(1);
            assertThat(result.destinations().get(0).version()).contains(3);
            assertThat(content(airlock, "dst", 3)).containsExactly("test.widget:a#1", "test.widget:one#1");
            assertThat(content(airlock, "dst", 2)).containsExactly("test.widget:one#1", "test.widget:two#1");
        }
    }

    @Test
    void unitsAlreadyInTheDestinationAreNotListedAndMakeNoVersion() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = Copies.open(db)) {
            repository(airlock, "src", "test", new Widget("a", 1), new Widget("b", 1));
            repository(airlock, "dst", "test");
            copy(airlock, Entry.whole("src", "dst"));

            CopyResult again = copy(airlock, Entry.whole("src", "dst"), Entry.whole("src", "dst").withContent("test.widget:a"));

            assertThat(again.destinations()).singleElement().satisfies(d -> {
                assertThat(d.version()).isEmpty();
                assertThat(d.added()).isEmpty();
            });
            assertThat(latest(airlock, "dst")).isEqualTo(1);
        }
    }

    @Test
    void copiedUnitReplacesTheDestinationUnitWithTheSameLabel() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = Copies.open(db)) {
            repository(airlock, "src", "test", new Widget("a", 2));
            repository(airlock, "dst", "test", new Widget("a", 1), new Widget("b", 1));

            CopyResult result = copy(airlock, Entry.whole("src", "dst").withContent("test.widget:a"));

            assertThat(result.destinations().get(0).added()).extracting(CopyResult.Added::label).containsExactly("a");
            assertThat(content(airlock, "dst", 2)).containsExactly("test.widget:a#2", "test.widget:b#1");
        }
    }

    @Test
    void dryRunReportsTheSameResultAndChangesNothing() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = Copies.open(db)) {
            repository(airlock, "src", "test", new Widget("a", 1), new Widget("b", 1));
            repository(airlock, "dst", "test");
            CopyRequest request = CopyRequest.of(List.of(Entry.whole("src", "dst")));
            Copies.State before = Copies.State.of(airlock);

            CopyResult dry = new CopyEngine(airlock).copy(request.asDryRun());

            assertThat(Copies.State.of(airlock)).isEqualTo(before);
            assertThat(dry.dryRun()).isTrue();
            CopyResult real = new CopyEngine(airlock).copy(request);
            assertThat(dry.destinations()).isEqualTo(real.destinations());
        }
    }

    @Test
    void twoUnitsWithOneLabelForOneDestinationAreRefusedAndNothingChanges() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = Copies.open(db)) {
            repository(airlock, "src1", "test", new Widget("a", 1));
            repository(airlock, "src2", "test", new Widget("a", 2));
            repository(airlock, "dst", "test");
            repository(airlock, "before", "test"); // committed first (name order), then rolled back
            Copies.State before = Copies.State.of(airlock);

            assertThatThrownBy(() -> copy(airlock, Entry.whole("src1", "before"), Entry.whole("src1", "dst"), Entry.whole("src2", "dst")))
                    .hasMessage("two different units labelled test.widget:a cannot both be in repository 'dst'");
            assertThat(Copies.State.of(airlock)).isEqualTo(before);
        }
    }

    static CopyResult copy(Airlock airlock, Entry... entries) {
        return new CopyEngine(airlock).copy(CopyRequest.of(List.of(entries)));
    }
}
