package io.airlock.core.repository;

import static io.airlock.core.TestInstallations.await;
import static io.airlock.core.TestInstallations.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlock.core.Airlock;
import io.airlock.core.TestInstallations;
import io.airlock.core.Widget;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("persistence")
final class VersionDeletionTest {

    /** Widgets a to f, saved once per installation. */
    private record Units(Map<String, UUID> ids) {
        List<UUID> of(String... labels) {
            return java.util.Arrays.stream(labels).map(ids::get).toList();
        }
    }

    @Test
    void deletingAnyMiddleVersionKeepsTheContentAndNumbersOfEveryOtherVersion() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            Units units = units(airlock);
            for (int deleted = 0; deleted <= 6; deleted++) {
                String name = "r" + deleted;
                history(airlock, name, units);
                Map<Integer, List<String>> before = contents(airlock, name);

                airlock.repositories().deleteVersion(VersionRef.of(name, deleted));

                before.remove(deleted);
                assertThat(contents(airlock, name)).as("after deleting %s@%d", name, deleted).isEqualTo(before);
                checkCounts(airlock, name);
            }
        }
    }

    @Test
    void deletingVersionsOneAfterAnotherKeepsTheRestUnchanged() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            Units units = units(airlock);
            history(airlock, "r", units);
            Map<Integer, List<String>> before = contents(airlock, "r");

            for (int deleted : List.of(3, 4, 1, 0, 6, 2)) {
                airlock.repositories().deleteVersion(VersionRef.of("r", deleted));
                before.remove(deleted);
                assertThat(contents(airlock, "r")).as("after deleting r@%d", deleted).isEqualTo(before);
                checkCounts(airlock, "r");
            }
            assertThat(before).containsOnlyKeys(5, 7);
        }
    }

    @Test
    void aUnitRemovedThenAddedAgainAcrossTheDeletedVersionKeepsOneMembershipRow() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            Units units = units(airlock);
            airlock.repositories().create("r", "test", null);
            modify(airlock, "r", d -> d.add(units.of("a", "b")));   // 1: a b
            modify(airlock, "r", d -> d.remove(units.of("a")));     // 2: b
            modify(airlock, "r", d -> d.add(units.of("a", "c")));   // 3: a b c

            airlock.repositories().deleteVersion(VersionRef.of("r", 2));

            RepositoryVersion three = airlock.repositories().version(VersionRef.of("r", 3));
            assertThat(three.addedCount()).isEqualTo(1);
            assertThat(three.removedCount()).isZero();
            assertThat(three.contentCount()).isEqualTo(3);
            assertThat(rows(airlock, "r")).containsExactlyInAnyOrder("a 1-", "b 1-", "c 3-");
        }
    }

    @Test
    void aUnitOnlyInTheDeletedVersionLeavesTheRepository() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            Units units = units(airlock);
            airlock.repositories().create("r", "test", null);
            modify(airlock, "r", d -> d.add(units.of("a")));        // 1: a
            modify(airlock, "r", d -> d.add(units.of("b")));        // 2: a b
            modify(airlock, "r", d -> d.remove(units.of("b")));     // 3: a

            airlock.repositories().deleteVersion(VersionRef.of("r", 2));

            assertThat(rows(airlock, "r")).containsExactly("a 1-");
            assertThat(airlock.status().orphanContent()).isEqualTo(5); // b, and c to f which were never added
            RepositoryVersion three = airlock.repositories().version(VersionRef.of("r", 3));
            assertThat(List.of(three.addedCount(), three.removedCount(), three.contentCount())).containsExactly(0L, 0L, 1L);
        }
    }

    @Test
    void theLatestVersionCannotBeDeleted() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            Units units = units(airlock);
            airlock.repositories().create("r", "test", null);
            modify(airlock, "r", d -> d.add(units.of("a")));
            Map<Integer, List<String>> before = contents(airlock, "r");
            List<String> rowsBefore = rows(airlock, "r");

            assertThatThrownBy(() -> airlock.repositories().deleteVersion(VersionRef.of("r", 1)))
                    .isInstanceOfSatisfying(AirlockException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                    .hasMessage("version 1 is the latest version of repository 'r' and cannot be deleted"
                            + " (delete the repository, or make a new version first)");
            assertThatThrownBy(() -> airlock.repositories().deleteVersion(VersionRef.of("r", 7)))
                    .hasMessage("repository 'r' has no version 7 (latest is 1)");
            assertThatThrownBy(() -> airlock.repositories().deleteVersion(VersionRef.latest("r")))
                    .hasMessage("name the version to delete: r@N");
            assertThat(contents(airlock, "r")).isEqualTo(before);
            assertThat(rows(airlock, "r")).isEqualTo(rowsBefore);
        }
    }

    @Test
    void aModifyFromADeletedBaseIsRefusedNamingIt() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            Units units = units(airlock);
            airlock.repositories().create("r", "test", null);
            modify(airlock, "r", d -> d.add(units.of("a")));
            modify(airlock, "r", d -> d.add(units.of("b")));
            airlock.repositories().deleteVersion(VersionRef.of("r", 1));

            assertThatThrownBy(() -> airlock.repositories().modify("r", OptionalInt.of(1), d -> d.add(units.of("c"))))
                    .hasMessage("repository 'r' has no version 1 (latest is 2)");
            assertThat(airlock.repositories().versions("r")).extracting(RepositoryVersion::number).containsExactly(0, 2);
        }
    }

    @Test
    void aRetentionSetOnARepositoryDeletesTheOldestVersionsAtOnceAndAtEachNewVersion() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            Units units = units(airlock);
            history(airlock, "r", units);
            Map<Integer, List<String>> before = contents(airlock, "r");

            var updated = airlock.repositories().update("r", new Repositories.Update().retainVersions(3).description("kept"));
            modify(airlock, "r", d -> d.add(units.of("f")));

            assertThat(updated.retainVersions()).hasValue(3);
            assertThat(updated.description()).isEqualTo("kept");
            assertThat(airlock.repositories().versions("r")).extracting(RepositoryVersion::number).containsExactly(6, 7, 8);
            Map<Integer, List<String>> after = contents(airlock, "r");
            assertThat(after.get(6)).isEqualTo(before.get(6));
            assertThat(after.get(7)).isEqualTo(before.get(7));
            assertThat(after.get(8)).contains("f#1");
            checkCounts(airlock, "r");
            RepositoryVersion oldest = airlock.repositories().version(VersionRef.of("r", 6));
            assertThat(oldest.addedCount()).isEqualTo(oldest.contentCount());
        }
    }

    @Test
    void retentionOfOneKeepsOnlyTheNewVersionAndReturnsItRecounted() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            Units units = units(airlock);
            airlock.repositories().create("r", "test", null);
            modify(airlock, "r", d -> d.add(units.of("a", "b")));
            airlock.repositories().update("r", new Repositories.Update().retainVersions(1));

            Optional<RepositoryVersion> made = airlock.repositories().modify("r", OptionalInt.empty(), d -> d.add(units.of("c")));

            assertThat(made).hasValueSatisfying(v -> {
                assertThat(v.number()).isEqualTo(2);
                assertThat(v.addedCount()).isEqualTo(3);
            });
            assertThat(airlock.repositories().versions("r")).extracting(RepositoryVersion::number).containsExactly(2);
            assertThat(rows(airlock, "r")).containsExactlyInAnyOrder("a 2-", "b 2-", "c 2-");
        }
    }

    @Test
    void retentionBelowOneIsRefused() {
        assertThatThrownBy(() -> new Repositories.Update().retainVersions(0))
                .isInstanceOfSatisfying(AirlockException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
                .hasMessage("retain_versions must be at least 1, not 0");
    }

    @Test
    void retainingAllVersionsAgainStopsTheDeletions() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            Units units = units(airlock);
            airlock.repositories().create("r", "test", null);
            airlock.repositories().update("r", new Repositories.Update().retainVersions(1));
            airlock.repositories().update("r", new Repositories.Update().retainAllVersions());

            modify(airlock, "r", d -> d.add(units.of("a")));
            modify(airlock, "r", d -> d.add(units.of("b")));

            assertThat(airlock.repositories().get("r").retainVersions()).isEmpty();
            assertThat(airlock.repositories().versions("r")).extracting(RepositoryVersion::number).containsExactly(0, 1, 2);
        }
    }

    @Test
    void deletingARepositoryRemovesItsVersionsAndMembershipButNotItsContent() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            Units units = units(airlock);
            history(airlock, "r", units);
            history(airlock, "kept", units);
            Map<Integer, List<String>> kept = contents(airlock, "kept");

            airlock.repositories().delete("r");

            assertThat(airlock.repositories().find("r")).isEmpty();
            assertThat(count(airlock, "select count(*) from RepositoryVersion")).isEqualTo(8);
            assertThat(contents(airlock, "kept")).isEqualTo(kept);
            assertThat(count(airlock, "select count(*) from Content")).isEqualTo(6);
            assertThatThrownBy(() -> airlock.repositories().delete("r")).hasMessage("no repository named 'r'");
        }
    }

    @Test
    void deletingARepositoryWaitsForTheVersionBeingMadeThenDeletesIt() throws Exception {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            Units units = units(airlock);
            airlock.repositories().create("r", "test", null);
            CountDownLatch locked = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Optional<RepositoryVersion>> writer = CompletableFuture.supplyAsync(() ->
                    airlock.repositories().modify("r", OptionalInt.empty(), draft -> {
                        draft.add(units.of("a"));
                        locked.countDown();
                        await(release);
                    }));
            CompletableFuture<Void> deletion;
            try {
                assertThat(locked.await(30, TimeUnit.SECONDS)).isTrue();
                deletion = CompletableFuture.runAsync(() -> airlock.repositories().delete("r"));
                Thread.sleep(500);
                assertThat(deletion).isNotDone();
            } finally {
                release.countDown();
            }

            assertThat(writer.get(30, TimeUnit.SECONDS)).isPresent();
            deletion.get(30, TimeUnit.SECONDS);
            assertThat(airlock.repositories().find("r")).isEmpty();
            assertThat(count(airlock, "select count(*) from RepositoryContent")).isZero();
        }
    }

    @Test
    void deletingAVersionWhileAnotherIsMadeLongerThanTheLockTimeoutFailsAsBusyAndChangesNothing() throws Exception {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db, Duration.ofMillis(500))) {
            Units units = units(airlock);
            airlock.repositories().create("r", "test", null);
            modify(airlock, "r", d -> d.add(units.of("a")));
            CountDownLatch locked = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Optional<RepositoryVersion>> writer = CompletableFuture.supplyAsync(() ->
                    airlock.repositories().modify("r", OptionalInt.empty(), draft -> {
                        draft.add(units.of("b"));
                        locked.countDown();
                        await(release);
                    }));
            try {
                assertThat(locked.await(30, TimeUnit.SECONDS)).isTrue();

                assertThatThrownBy(() -> airlock.repositories().deleteVersion(VersionRef.of("r", 0)))
                        .isInstanceOfSatisfying(AirlockException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BUSY))
                        .hasMessageStartingWith("repository 'r' is busy");
            } finally {
                release.countDown();
            }
            assertThat(writer.get(30, TimeUnit.SECONDS)).isPresent();
            assertThat(airlock.repositories().versions("r")).extracting(RepositoryVersion::number).containsExactly(0, 1, 2);
        }
    }

    // --- helpers ---------------------------------------------------------------------------

    private static Units units(Airlock airlock) {
        List<String> labels = List.of("a", "b", "c", "d", "e", "f");
        List<UUID> ids = TestInstallations.save(airlock, labels.stream().map(l -> new Widget(l, 1)).toArray(Widget[]::new));
        Map<String, UUID> byLabel = new TreeMap<>();
        for (int i = 0; i < labels.size(); i++) {
            byLabel.put(labels.get(i), ids.get(i));
        }
        return new Units(byLabel);
    }

    /** Versions 0 to 7 with adds, removals, a unit re-entering and one only in a single version. */
    private static void history(Airlock airlock, String name, Units units) {
        airlock.repositories().create(name, "test", null);
        modify(airlock, name, d -> d.add(units.of("a", "b")));       // 1: a b
        modify(airlock, name, d -> d.add(units.of("c")));            // 2: a b c
        modify(airlock, name, d -> d.remove(units.of("a")));         // 3: b c
        modify(airlock, name, d -> d.add(units.of("d", "e")));       // 4: b c d e
        modify(airlock, name, d -> d.remove(units.of("c", "e")));    // 5: b d
        modify(airlock, name, d -> d.add(units.of("a")));            // 6: a b d  (a re-enters)
        modify(airlock, name, d -> d.remove(units.of("d")).add(units.of("e"))); // 7: a b e
    }

    private static void modify(Airlock airlock, String name, Consumer<VersionDraft> edits) {
        assertThat(airlock.repositories().modify(name, OptionalInt.empty(), edits)).isPresent();
    }

    private static Map<Integer, List<String>> contents(Airlock airlock, String name) {
        Map<Integer, List<String>> contents = new TreeMap<>();
        for (RepositoryVersion version : airlock.repositories().versions(name)) {
            List<String> labels = new ArrayList<>();
            airlock.repositories().scanContent(version, Optional.empty(), 100,
                    batch -> batch.forEach(u -> labels.add(u.label() + "#" + ((Widget) u).revision())));
            labels.sort(null);
            contents.put(version.number(), labels);
        }
        return contents;
    }

    /** Each version's counts equal the difference of its content to the previous remaining version's. */
    private static void checkCounts(Airlock airlock, String name) {
        Map<Integer, List<String>> contents = contents(airlock, name);
        Set<String> previous = Set.of();
        for (RepositoryVersion version : airlock.repositories().versions(name)) {
            Set<String> now = new HashSet<>(contents.get(version.number()));
            Set<String> added = new HashSet<>(now);
            added.removeAll(previous);
            Set<String> removed = new HashSet<>(previous);
            removed.removeAll(now);
            assertThat(List.of(version.contentCount(), version.addedCount(), version.removedCount()))
                    .as("counts of %s@%d", name, version.number())
                    .containsExactly((long) now.size(), (long) added.size(), (long) removed.size());
            previous = now;
        }
        List<Integer> numbers = airlock.repositories().versions(name).stream().map(RepositoryVersion::number).toList();
        for (String row : rows(airlock, name)) {
            String[] span = row.split(" ")[1].split("-", -1);
            assertThat(numbers).as("membership row %s names existing versions", row).contains(Integer.parseInt(span[0]));
            if (!span[1].isEmpty()) {
                assertThat(numbers).as("membership row %s names existing versions", row).contains(Integer.parseInt(span[1]));
            }
        }
    }

    /** The repository's membership rows as "label added-removed". */
    private static List<String> rows(Airlock airlock, String name) {
        return airlock.inTransaction(s -> s.createSelectionQuery("select c.label, rc.key.versionAdded, rc.versionRemoved"
                        + " from RepositoryContent rc join Content c on c.id = rc.key.contentId join Repository r on r.id = rc.key.repositoryId"
                        + " where r.name = :n order by c.label, rc.key.versionAdded", Object[].class)
                .setParameter("n", name)
                .getResultList().stream()
                .map(row -> row[0] + " " + row[1] + "-" + (row[2] == null ? "" : row[2]))
                .toList());
    }
}
