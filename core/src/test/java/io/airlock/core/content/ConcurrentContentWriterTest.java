package io.airlock.core.content;

import static io.airlock.core.TestInstallations.await;
import static io.airlock.core.TestInstallations.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlock.core.Airlock;
import io.airlock.core.TestInstallations;
import io.airlock.core.Widget;
import io.airlock.core.content.ContentWriter.NewUnit;
import io.airlock.core.content.ContentWriter.Saved;
import io.airlock.core.content.ContentWriter.UnitFile;
import io.airlock.core.store.ArtifactBatch;
import io.airlock.core.store.StoredArtifact;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two transactions storing the same units at once (twins): the second waits for the first and
 * then reuses what it committed, instead of failing on the unique key or duplicating rows.
 */
@Tag("persistence")
final class ConcurrentContentWriterTest {

    @Test
    void unitsAndArtifactsCommittedByAConcurrentTransactionAreReusedNotDuplicated() throws Exception {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            StoredArtifact bytes = airlock.artifacts().put(new ByteArrayInputStream(new byte[] {4, 2}), Optional.empty());
            CountDownLatch firstSaved = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Saved> first = CompletableFuture.supplyAsync(() -> airlock.inTransaction(session -> {
                Saved saved = airlock.contentWriter().save(session, units(bytes, "a", "b"));
                firstSaved.countDown();
                await(release);
                return saved;
            }));
            assertThat(firstSaved.await(30, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Saved> second = CompletableFuture.supplyAsync(() -> airlock.inTransaction(session ->
                    airlock.contentWriter().save(session, units(bytes, "b", "c"))));

            Thread.sleep(300);
            assertThat(second).as("waits for the transaction creating its twin").isNotDone();
            release.countDown();
            Saved mine = first.get(30, TimeUnit.SECONDS);
            Saved theirs = second.get(30, TimeUnit.SECONDS);

            assertThat(mine.created()).isEqualTo(2);
            assertThat(theirs.created()).isEqualTo(1);
            assertThat(theirs.reused()).isEqualTo(1);
            assertThat(theirs.ids().get(0)).isEqualTo(mine.ids().get(1));
            assertThat(count(airlock, "select count(*) from Content")).isEqualTo(3);
            assertThat(count(airlock, "select count(*) from Artifact")).isEqualTo(1);
            assertThat(count(airlock, "select count(*) from ContentArtifact")).isEqualTo(3);
        }
    }

    @Test
    void aUnitWhoseConcurrentCreatorRollsBackIsCreatedByTheWaitingTransaction() throws Exception {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            StoredArtifact bytes = airlock.artifacts().put(new ByteArrayInputStream(new byte[] {7}), Optional.empty());
            CountDownLatch firstSaved = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Saved> first = CompletableFuture.supplyAsync(() -> airlock.inTransaction(session -> {
                airlock.contentWriter().save(session, units(bytes, "a"));
                firstSaved.countDown();
                await(release);
                throw new IllegalStateException("rolled back on purpose");
            }));
            assertThat(firstSaved.await(30, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Saved> second = CompletableFuture.supplyAsync(() -> airlock.inTransaction(session ->
                    airlock.contentWriter().save(session, units(bytes, "a"))));
            Thread.sleep(300);
            release.countDown();

            assertThat(first).failsWithin(Duration.ofSeconds(30));
            Saved saved = second.get(30, TimeUnit.SECONDS);
            assertThat(saved.created()).isEqualTo(1);
            assertThat(count(airlock, "select count(*) from Content")).isEqualTo(1);
            assertThat(count(airlock, "select count(*) from ContentArtifact")).isEqualTo(1);
            assertThat(count(airlock, "select count(*) from Artifact")).isEqualTo(1);
        }
    }

    @Test
    void waitingLongerThanTheLockTimeoutForATwinFailsAsBusyAndStoresNothing() throws Exception {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db, Duration.ofMillis(500))) {
            CountDownLatch firstSaved = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Saved> first = CompletableFuture.supplyAsync(() -> airlock.inTransaction(session -> {
                Saved saved = airlock.contentWriter().save(session, List.of(new NewUnit(new Widget("a", 1), List.of())));
                firstSaved.countDown();
                await(release);
                return saved;
            }));
            try {
                assertThat(firstSaved.await(30, TimeUnit.SECONDS)).isTrue();

                assertThatThrownBy(() -> airlock.inTransaction(session -> airlock.contentWriter().save(session,
                        List.of(new NewUnit(new Widget("z", 1), List.of()), new NewUnit(new Widget("a", 1), List.of())))))
                        .isInstanceOfSatisfying(AirlockException.class, e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.BUSY);
                            assertThat(e.code().retryable()).isTrue();
                            assertThat(e.getMessage()).contains("busy", "0.5 s", "retry");
                        });
            } finally {
                release.countDown();
            }
            first.get(30, TimeUnit.SECONDS);
            assertThat(count(airlock, "select count(*) from Content")).isEqualTo(1);
        }
    }

    @Test
    void aFailedWriterKeepsTheFileOfAnArtifactAConcurrentWriterIsRecording() throws Exception {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            ArtifactBatch failed = airlock.artifacts().batch();
            StoredArtifact bytes = failed.put(new ByteArrayInputStream(new byte[] {9, 9}), Optional.empty());
            CountDownLatch recorded = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Saved> writer = CompletableFuture.supplyAsync(() -> airlock.inTransaction(session -> {
                Saved saved = airlock.contentWriter().save(session, units(bytes, "a"));
                recorded.countDown();
                await(release);
                return saved;
            }));
            assertThat(recorded.await(30, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> discard = CompletableFuture.runAsync(() -> airlock.discardUnrecorded(failed));
            Thread.sleep(300);
            assertThat(discard).as("waits for the writer recording the artifact").isNotDone();
            release.countDown();

            writer.get(30, TimeUnit.SECONDS);
            discard.get(30, TimeUnit.SECONDS);
            failed.close();
            assertThat(airlock.artifacts().contains(bytes.sha256())).isTrue();
            assertThat(count(airlock, "select count(*) from Artifact")).isEqualTo(1);
        }
    }

    @Test
    void aWriterWhoseArtifactFileAFailedWriterRemovedFailsAsBusyAndStoresNothing() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            ArtifactBatch failed = airlock.artifacts().batch();
            StoredArtifact bytes = failed.put(new ByteArrayInputStream(new byte[] {5}), Optional.empty());
            // This writer found the file stored (by the other's batch), so it did not write it itself.
            airlock.discardUnrecorded(failed);
            failed.close();

            assertThatThrownBy(() -> airlock.inTransaction(session -> airlock.contentWriter().save(session, units(bytes, "a"))))
                    .isInstanceOfSatisfying(AirlockException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.BUSY);
                        assertThat(e.getMessage()).contains(bytes.sha256(), "removed", "retry");
                    });
            assertThat(count(airlock, "select count(*) from Content")).isZero();
            assertThat(count(airlock, "select count(*) from Artifact")).isZero();
        }
    }

    private static List<NewUnit> units(StoredArtifact bytes, String... names) {
        return java.util.Arrays.stream(names)
                .map(name -> new NewUnit(new Widget(name, 1), List.of(new UnitFile(name + ".bin", Optional.of(bytes)))))
                .toList();
    }
}
