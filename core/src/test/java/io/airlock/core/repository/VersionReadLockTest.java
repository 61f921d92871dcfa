package io.airlock.core.repository;

import static io.airlock.core.TestInstallations.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.airlock.core.Airlock;
import io.airlock.core.TestInstallations;
import io.airlock.core.Widget;
import io.airlock.core.copy.CopyEngine;
import io.airlock.core.copy.CopyRequest;
import io.airlock.core.copy.CopyResult;
import io.airlock.core.export.ExportEngine;
import io.airlock.core.export.ExportRequest;
import io.airlock.core.export.ExportResult;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ProgressListener;
import io.airlock.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A copy or export holds the versions it reads against deletion: deleting them (or their
 * repository) meanwhile is refused at once as {@code BUSY}, retention leaves them for a later
 * version, and a new version of the source repository is still made meanwhile.
 */
@Tag("persistence")
final class VersionReadLockTest {

    /** Far above how long a refusal may take: a deletion that waited for the reader would exceed it. */
    private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(20);

    /** A progress listener that stops its operation at its first report until released. */
    private static final class Hold implements ProgressListener {
        final CountDownLatch reading = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void progress(String phase, long done, long total) {
            if (reading.getCount() > 0) {
                reading.countDown();
                await(release);
            }
        }

        void awaitReading() throws InterruptedException {
            assertThat(reading.await(30, TimeUnit.SECONDS)).as("the operation started reading").isTrue();
        }
    }

    @Test
    void aRepositoryBeingCopiedFromCannotBeDeletedAndTheCopyCompletes() throws Exception {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db, LOCK_TIMEOUT)) {
            repository(airlock, "r", "a", "b", "c");
            airlock.repositories().create("d", "test", null);
            Hold hold = new Hold();
            CompletableFuture<CopyResult> copy = CompletableFuture.supplyAsync(() -> new CopyEngine(airlock)
                    .copy(CopyRequest.of(List.of(CopyRequest.Entry.whole("r", "d"))), hold));
            try {
                hold.awaitReading();
                long start = System.nanoTime();

                assertThatThrownBy(() -> airlock.repositories().delete("r"))
                        .isInstanceOfSatisfying(AirlockException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BUSY))
                        .hasMessage("repository 'r' cannot be deleted now: version 1 of repository 'r' is being read by a copy,"
                                + " export or download; try again when it ends");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(LOCK_TIMEOUT.dividedBy(2));
            } finally {
                hold.release.countDown();
            }

            assertThat(copy.get(60, TimeUnit.SECONDS).destinations().get(0).added()).hasSize(3);
            assertThat(labels(airlock, "d")).containsExactly("a", "b", "c");
            airlock.repositories().delete("r");
            assertThat(airlock.repositories().find("r")).isEmpty();
        }
    }

    @Test
    void aVersionBeingExportedCannotBeDeletedWhileAnotherVersionCan() throws Exception {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db, LOCK_TIMEOUT)) {
            List<UUID> ids = repository(airlock, "r", "a", "b", "c");
            airlock.repositories().modify("r", OptionalInt.empty(), d -> d.remove(ids.subList(0, 1)));
            airlock.repositories().modify("r", OptionalInt.empty(), d -> d.remove(ids.subList(1, 2)));
            Hold hold = new Hold();
            CompletableFuture<ExportResult> export = CompletableFuture.supplyAsync(() -> new ExportEngine(airlock)
                    .export(ExportRequest.full(List.of(VersionRef.of("r", 1)), db.path("exports")).withName("e"), hold));
            try {
                hold.awaitReading();

                assertThatThrownBy(() -> airlock.repositories().deleteVersion(VersionRef.of("r", 1)))
                        .isInstanceOfSatisfying(AirlockException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BUSY))
                        .hasMessageContaining("version 1 of repository 'r' cannot be deleted now: version 1 of repository 'r'"
                                + " is being read");
                airlock.repositories().deleteVersion(VersionRef.of("r", 2));
            } finally {
                hold.release.countDown();
            }

            assertThat(export.get(60, TimeUnit.SECONDS).toc()).isPresent();
            assertThat(versions(airlock, "r")).containsExactly(0, 1, 3);
            assertThat(labels(airlock, "r@1")).containsExactly("a", "b", "c");
            assertThat(labels(airlock, "r")).containsExactly("c");
        }
    }

    @Test
    void retentionSkipsAVersionBeingCopiedFromWithoutFailingEitherAndDeletesItAtTheNextVersion() throws Exception {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db, LOCK_TIMEOUT)) {
            List<UUID> ids = repository(airlock, "r", "a", "b", "c");
            airlock.repositories().update("r", new Repositories.Update().retainVersions(1));
            assertThat(versions(airlock, "r")).containsExactly(1);
            airlock.repositories().create("d", "test", null);
            Hold hold = new Hold();
            CompletableFuture<CopyResult> copy = CompletableFuture.supplyAsync(() -> new CopyEngine(airlock)
                    .copy(CopyRequest.of(List.of(CopyRequest.Entry.whole("r", "d"))), hold));
            try {
                hold.awaitReading();
                long start = System.nanoTime();

                // A new version of the source while the copy reads it: made at once, its retention skipping version 1.
                assertThat(airlock.repositories().modify("r", OptionalInt.empty(), d -> d.remove(ids.subList(0, 1)))).isPresent();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(LOCK_TIMEOUT.dividedBy(2));
                assertThat(versions(airlock, "r")).containsExactly(1, 2);
            } finally {
                hold.release.countDown();
            }

            assertThat(copy.get(60, TimeUnit.SECONDS).destinations().get(0).version()).contains(1);
            assertThat(labels(airlock, "d")).containsExactly("a", "b", "c");
            airlock.repositories().modify("r", OptionalInt.empty(), d -> d.remove(ids.subList(1, 2)));
            assertThat(versions(airlock, "r")).containsExactly(3);
            assertThat(labels(airlock, "r")).containsExactly("c");
        }
    }

    @Test
    void twoExportsOfOneVersionReadItAtTheSameTimeOnPostgresql() throws Exception {
        assumeThat(TestDatabase.isPostgres()).as("H2 has no shared row locks: its readers of one version take turns").isTrue();
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db, LOCK_TIMEOUT)) {
            repository(airlock, "r", "a", "b");
            Hold hold = new Hold();
            CompletableFuture<ExportResult> first = CompletableFuture.supplyAsync(() -> new ExportEngine(airlock)
                    .export(ExportRequest.full(List.of(VersionRef.latest("r")), db.path("one")).withName("e"), hold));
            try {
                hold.awaitReading();
                long start = System.nanoTime();

                ExportResult second = new ExportEngine(airlock).export(ExportRequest.full(List.of(VersionRef.latest("r")),
                        db.path("two")).withName("e"), ProgressListener.NONE);

                assertThat(second.toc()).isPresent();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(LOCK_TIMEOUT.dividedBy(2));
                assertThat(first).isNotDone();
            } finally {
                hold.release.countDown();
            }
            assertThat(first.get(60, TimeUnit.SECONDS).toc()).isPresent();
        }
    }

    // --- helpers ---------------------------------------------------------------------------

    /** Creates a repository whose version 1 holds widgets of these names; returns their ids in that order. */
    private static List<UUID> repository(Airlock airlock, String name, String... labels) {
        airlock.repositories().create(name, "test", null);
        List<UUID> ids = TestInstallations.save(airlock, java.util.Arrays.stream(labels).map(l -> new Widget(l, 1))
                .toArray(Widget[]::new));
        airlock.repositories().modify(name, OptionalInt.empty(), d -> d.add(ids));
        return ids;
    }

    private static List<Integer> versions(Airlock airlock, String name) {
        return airlock.repositories().versions(name).stream().map(RepositoryVersion::number).toList();
    }

    private static List<String> labels(Airlock airlock, String ref) {
        List<String> labels = new java.util.ArrayList<>();
        airlock.repositories().scanContent(airlock.repositories().version(VersionRef.parse(ref)), java.util.Optional.empty(), 100,
                batch -> batch.forEach(unit -> labels.add(unit.label())));
        return labels.stream().sorted().toList();
    }
}
