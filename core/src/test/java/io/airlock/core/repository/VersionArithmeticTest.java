package io.airlock.core.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlock.core.Airlock;
import io.airlock.core.TestInstallations;
import io.airlock.core.Widget;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.spi.AirlockException;
import io.airlock.spi.Content;
import io.airlock.spi.ErrorCode;
import io.airlock.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("persistence")
final class VersionArithmeticTest {

    @Test
    void versionsAreNumberedFromZeroAndEachHoldsItsOwnContent() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            airlock.repositories().create("r", "test", null);
            List<UUID> a = TestInstallations.save(airlock, new Widget("a", 1), new Widget("b", 1));
            List<UUID> c = TestInstallations.save(airlock, new Widget("c", 1));
            List<UUID> d = TestInstallations.save(airlock, new Widget("d", 1), new Widget("e", 1));

            add(airlock, a);                       // 1: a b
            add(airlock, c);                       // 2: a b c
            remove(airlock, a.subList(0, 1));      // 3: b c
            add(airlock, d);                       // 4: b c d e
            remove(airlock, List.of(c.get(0), d.get(1))); // 5: b d
            add(airlock, a.subList(0, 1));         // 6: a b d (a re-enters)

            assertThat(airlock.repositories().versions("r")).extracting(RepositoryVersion::number)
                    .containsExactly(0, 1, 2, 3, 4, 5, 6);
            assertThat(labels(airlock, 0)).isEmpty();
            assertThat(labels(airlock, 1)).containsExactly("a#1", "b#1");
            assertThat(labels(airlock, 2)).containsExactly("a#1", "b#1", "c#1");
            assertThat(labels(airlock, 3)).containsExactly("b#1", "c#1");
            assertThat(labels(airlock, 4)).containsExactly("b#1", "c#1", "d#1", "e#1");
            assertThat(labels(airlock, 5)).containsExactly("b#1", "d#1");
            assertThat(labels(airlock, 6)).containsExactly("a#1", "b#1", "d#1");
        }
    }

    @Test
    void versionRowsCountContentAndChanges() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            airlock.repositories().create("r", "test", null);
            List<UUID> units = TestInstallations.save(airlock, new Widget("a", 1), new Widget("b", 1), new Widget("c", 1));
            add(airlock, units);
            remove(airlock, units.subList(0, 2));

            List<RepositoryVersion> versions = airlock.repositories().versions("r");
            assertThat(versions).extracting(RepositoryVersion::contentCount).containsExactly(0L, 3L, 1L);
            assertThat(versions).extracting(RepositoryVersion::addedCount).containsExactly(0L, 3L, 0L);
            assertThat(versions).extracting(RepositoryVersion::removedCount).containsExactly(0L, 0L, 2L);
            assertThat(airlock.repositories().countContent(versions.get(1), Optional.empty())).isEqualTo(3);
        }
    }

    @Test
    void noVersionIsCreatedWhenNothingChanges() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            airlock.repositories().create("r", "test", null);
            List<UUID> units = TestInstallations.save(airlock, new Widget("a", 1));
            add(airlock, units);

            Optional<RepositoryVersion> again = airlock.repositories().modify("r", OptionalInt.empty(), d -> d.add(units));
            Optional<RepositoryVersion> removeAbsent = airlock.repositories().modify("r", OptionalInt.empty(),
                    d -> d.remove(TestInstallations.save(airlock, new Widget("zzz", 1))));

            assertThat(again).isEmpty();
            assertThat(removeAbsent).isEmpty();
            assertThat(airlock.repositories().get("r").latestVersion()).isEqualTo(1);
        }
    }

    @Test
    void addingAUnitReplacesTheUnitWithTheSameLabel() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            airlock.repositories().create("r", "test", null);
            add(airlock, TestInstallations.save(airlock, new Widget("a", 1), new Widget("b", 1)));
            add(airlock, TestInstallations.save(airlock, new Widget("a", 2)));

            assertThat(labels(airlock, 2)).containsExactly("a#2", "b#1");
            RepositoryVersion v2 = airlock.repositories().version(VersionRef.of("r", 2));
            assertThat(v2.addedCount()).isEqualTo(1);
            assertThat(v2.removedCount()).isEqualTo(1);
        }
    }

    @Test
    void aVersionCanBeBuiltFromAnOlderBase() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            airlock.repositories().create("r", "test", null);
            List<UUID> ab = TestInstallations.save(airlock, new Widget("a", 1), new Widget("b", 1));
            List<UUID> c = TestInstallations.save(airlock, new Widget("c", 1));
            List<UUID> d = TestInstallations.save(airlock, new Widget("d", 1));
            add(airlock, ab);   // 1: a b
            add(airlock, c);    // 2: a b c
            remove(airlock, ab.subList(0, 1)); // 3: b c

            Optional<RepositoryVersion> v4 = airlock.repositories().modify("r", OptionalInt.of(1),
                    draft -> draft.add(d).remove(ab.subList(1, 2)));

            assertThat(v4).map(RepositoryVersion::number).contains(4);
            assertThat(v4.get().baseNumber()).hasValue(1);
            assertThat(labels(airlock, 4)).containsExactly("a#1", "d#1");
            assertThat(labels(airlock, 3)).containsExactly("b#1", "c#1");
        }
    }

    @Test
    void replacingMakesTheVersionExactlyTheGivenUnits() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            airlock.repositories().create("r", "test", null);
            List<UUID> abc = TestInstallations.save(airlock, new Widget("a", 1), new Widget("b", 1), new Widget("c", 1));
            List<UUID> d = TestInstallations.save(airlock, new Widget("d", 1));
            add(airlock, abc);
            List<UUID> keep = new ArrayList<>(abc.subList(1, 3));
            keep.addAll(d);

            Optional<RepositoryVersion> replaced = airlock.inTransaction(session -> airlock.repositories()
                    .draft(session, "r", VersionDraft.Mode.REPLACE, OptionalInt.empty()).add(keep).commit());
            Optional<RepositoryVersion> same = airlock.inTransaction(session -> airlock.repositories()
                    .draft(session, "r", VersionDraft.Mode.REPLACE, OptionalInt.empty()).add(keep).commit());

            assertThat(labels(airlock, 2)).containsExactly("b#1", "c#1", "d#1");
            assertThat(replaced.get().addedCount()).isEqualTo(1);
            assertThat(replaced.get().removedCount()).isEqualTo(1);
            assertThat(same).isEmpty();
        }
    }

    @Test
    void diffListsWhatOneVersionHasAndTheOtherLacks() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            airlock.repositories().create("r", "test", null);
            List<UUID> ab = TestInstallations.save(airlock, new Widget("a", 1), new Widget("b", 1));
            add(airlock, ab);
            remove(airlock, ab.subList(0, 1));
            add(airlock, TestInstallations.save(airlock, new Widget("c", 1), new Widget("d", 1)));
            RepositoryVersion v1 = airlock.repositories().version(VersionRef.of("r", 1));
            RepositoryVersion v3 = airlock.repositories().version(VersionRef.of("r", 3));

            assertThat(scanAdded(airlock, v1, v3)).containsExactly("c#1", "d#1");
            assertThat(scanAdded(airlock, v3, v1)).containsExactly("a#1");
        }
    }

    @Test
    void contentIsStreamedInBatchesOfTheRequestedSize() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            airlock.repositories().create("r", "test", null);
            List<Content> units = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                units.add(new Widget("w" + i, 1));
            }
            add(airlock, TestInstallations.save(airlock, units.toArray(Content[]::new)));
            List<Integer> sizes = new ArrayList<>();
            List<UUID> ids = new ArrayList<>();

            airlock.repositories().scanContent(airlock.repositories().version(VersionRef.latest("r")), Optional.empty(), 10,
                    batch -> {
                        sizes.add(batch.size());
                        batch.forEach(u -> ids.add(u.id()));
                    });

            assertThat(sizes).containsExactly(10, 10, 5);
            assertThat(ids).doesNotHaveDuplicates().isSorted();
        }
    }

    @Test
    void contentIsStreamedInsideTheCallersTransaction() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            airlock.repositories().create("r", "test", null);
            List<UUID> units = TestInstallations.save(airlock, new Widget("a", 1), new Widget("b", 1), new Widget("c", 1));
            List<String> seen = new ArrayList<>();

            long rolledBack = airlock.inRolledBackTransaction(session -> {
                RepositoryVersion uncommitted = airlock.repositories().draft(session, "r", VersionDraft.Mode.MODIFY,
                        OptionalInt.empty()).add(units).commit().orElseThrow();
                airlock.repositories().scanContent(session, uncommitted, Widget.class, 2,
                        batch -> batch.forEach(w -> seen.add(w.name())));
                return uncommitted.contentCount();
            });

            assertThat(seen).containsExactlyInAnyOrder("a", "b", "c");
            assertThat(rolledBack).isEqualTo(3);
            assertThat(airlock.repositories().get("r").latestVersion()).isZero();
        }
    }

    @Test
    void aMissingBaseVersionIsRefusedByNumber() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            airlock.repositories().create("r", "test", null);

            assertThatThrownBy(() -> airlock.repositories().modify("r", OptionalInt.of(7), d -> { }))
                    .isInstanceOf(AirlockException.class)
                    .hasMessage("repository 'r' has no version 7 (latest is 0)")
                    .extracting(e -> ((AirlockException) e).code()).isEqualTo(ErrorCode.NOT_FOUND);
        }
    }

    @Test
    void twoUnitsWithOneLabelCannotBeAddedTogether() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            airlock.repositories().create("r", "test", null);
            List<UUID> clash = TestInstallations.save(airlock, new Widget("a", 1), new Widget("a", 2));

            assertThatThrownBy(() -> add(airlock, clash))
                    .hasMessage("two different units labelled test.widget:a cannot both be in repository 'r'");
            assertThat(airlock.repositories().get("r").latestVersion()).isZero();
        }
    }

    @Test
    void aUnitThatDoesNotExistIsRefusedAndNothingChanges() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            airlock.repositories().create("r", "test", null);
            UUID ghost = UUID.randomUUID();

            assertThatThrownBy(() -> add(airlock, List.of(ghost)))
                    .hasMessage("content unit " + ghost + " does not exist");
            assertThat(airlock.repositories().versions("r")).hasSize(1);
        }
    }

    private static void add(Airlock airlock, List<UUID> ids) {
        airlock.repositories().modify("r", OptionalInt.empty(), draft -> draft.add(ids));
    }

    private static void remove(Airlock airlock, List<UUID> ids) {
        airlock.repositories().modify("r", OptionalInt.empty(), draft -> draft.remove(ids));
    }

    static List<String> labels(Airlock airlock, int number) {
        List<String> labels = new ArrayList<>();
        airlock.repositories().scanContent(airlock.repositories().version(VersionRef.of("r", number)), Optional.empty(), 100,
                batch -> batch.forEach(u -> labels.add(u.label() + "#" + ((Widget) u).revision())));
        labels.sort(null);
        return labels;
    }

    private static List<String> scanAdded(Airlock airlock, RepositoryVersion from, RepositoryVersion to) {
        List<String> labels = new ArrayList<>();
        airlock.repositories().scanAdded(from, to, Optional.empty(), 100,
                batch -> batch.forEach(u -> labels.add(u.label() + "#" + ((Widget) u).revision())));
        labels.sort(null);
        return labels;
    }
}
