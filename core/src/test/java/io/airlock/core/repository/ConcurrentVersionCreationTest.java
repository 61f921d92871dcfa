package io.airlock.core.repository;

import static io.airlock.core.TestInstallations.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlock.core.Airlock;
import io.airlock.core.TestInstallations;
import io.airlock.core.Widget;
import io.airlock.core.content.ContentWriter.NewUnit;
import io.airlock.core.model.Repository;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("persistence")
final class ConcurrentVersionCreationTest {

    private static final int WRITERS = 8;
    private static final int UNITS_PER_WRITER = 5;

    @Test
    void concurrentWritersEachGetTheirOwnVersionAndNothingIsLost() throws Exception {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            airlock.repositories().create("r", "test", null);
            List<List<UUID>> perWriter = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                List<Widget> widgets = new ArrayList<>();
                for (int u = 0; u < UNITS_PER_WRITER; u++) {
                    widgets.add(new Widget("w" + w + "-" + u, 1));
                }
                perWriter.add(TestInstallations.save(airlock, widgets.toArray(Widget[]::new)));
            }
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (List<UUID> ids : perWriter) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return airlock.repositories().modify("r", OptionalInt.empty(), draft -> {
                            draft.add(ids.subList(0, 2));
                            Thread.yield(); // widen the window between reading and writing the version
                            draft.add(ids.subList(2, ids.size()));
                        }).orElseThrow().number();
                    }));
                }
                start.countDown();
                List<Integer> numbers = new ArrayList<>();
                for (Future<Integer> result : results) {
                    numbers.add(result.get(2, TimeUnit.MINUTES));
                }

                assertThat(numbers).containsExactlyInAnyOrderElementsOf(range(1, WRITERS));
            } finally {
                pool.shutdownNow();
            }
            List<RepositoryVersion> versions = airlock.repositories().versions("r");
            assertThat(versions).extracting(RepositoryVersion::number).containsExactlyElementsOf(range(0, WRITERS));
            for (RepositoryVersion version : versions) {
                assertThat(version.contentCount()).isEqualTo((long) version.number() * UNITS_PER_WRITER);
            }
            assertThat(VersionArithmeticTest.labels(airlock, WRITERS)).hasSize(WRITERS * UNITS_PER_WRITER);
        }
    }

    @Test
    void aWriterWaitingForTheVersionLockLongerThanTheLockTimeoutFailsAsBusy() throws Exception {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db, Duration.ofMillis(500))) {
            airlock.repositories().create("r", "test", null);
            List<UUID> ids = TestInstallations.save(airlock, new Widget("a", 1));
            CountDownLatch locked = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Optional<RepositoryVersion>> holder = CompletableFuture.supplyAsync(() ->
                    airlock.repositories().modify("r", OptionalInt.empty(), draft -> {
                        locked.countDown();
                        try {
                            release.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }));
            try {
                assertThat(locked.await(30, TimeUnit.SECONDS)).isTrue();
                long start = System.nanoTime();

                assertThatThrownBy(() -> airlock.repositories().modify("r", OptionalInt.empty(), draft -> draft.add(ids)))
                        .isInstanceOfSatisfying(AirlockException.class, e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.BUSY);
                            assertThat(e.code().retryable()).isTrue();
                            assertThat(e.getMessage()).startsWith("repository 'r' is busy").contains("0.5 s");
                        });
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            } finally {
                release.countDown();
            }
            assertThat(holder.get(30, TimeUnit.SECONDS)).isEmpty();
            assertThat(airlock.repositories().versions("r")).extracting(RepositoryVersion::number).containsExactly(0);
        }
    }

    /**
     * One writer creates a unit and then wants the repository, the other holds the repository and
     * then creates the same unit: the database ends the deadlock (or the lock timeout does), and
     * the loser fails as busy while the winner commits.
     */
    @Test
    void aDeadlockBetweenTwoWritersEndsOneOfThemAsBusy() throws Exception {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db, Duration.ofSeconds(3))) {
            airlock.repositories().create("r", "test", null);
            CountDownLatch unitClaimed = new CountDownLatch(1);
            CountDownLatch repositoryLocked = new CountDownLatch(1);
            long start = System.nanoTime();
            CompletableFuture<Optional<RepositoryVersion>> unitFirst = CompletableFuture.supplyAsync(() -> airlock.inTransaction(s -> {
                List<UUID> ids = airlock.contentWriter().save(s, List.of(new NewUnit(new Widget("k", 1), List.of()))).ids();
                unitClaimed.countDown();
                await(repositoryLocked);
                return airlock.repositories().draft(s, "r", VersionDraft.Mode.MODIFY, OptionalInt.empty()).add(ids).commit();
            }));
            CompletableFuture<Optional<RepositoryVersion>> repositoryFirst = CompletableFuture.supplyAsync(() -> airlock.inTransaction(s -> {
                VersionDraft draft = airlock.repositories().draft(s, "r", VersionDraft.Mode.MODIFY, OptionalInt.empty());
                repositoryLocked.countDown();
                await(unitClaimed);
                return draft.add(airlock.contentWriter().save(s, List.of(new NewUnit(new Widget("k", 1), List.of()))).ids()).commit();
            }));

            List<Throwable> failures = new ArrayList<>();
            List<Integer> versions = new ArrayList<>();
            for (CompletableFuture<Optional<RepositoryVersion>> writer : List.of(unitFirst, repositoryFirst)) {
                try {
                    versions.add(writer.get(60, TimeUnit.SECONDS).orElseThrow().number());
                } catch (ExecutionException e) {
                    failures.add(e.getCause());
                }
            }

            assertThat(versions).containsExactly(1);
            assertThat(failures).singleElement().isInstanceOfSatisfying(AirlockException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.BUSY));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
            assertThat(VersionArithmeticTest.labels(airlock, 1)).containsExactly("k#1");
        }
    }

    @Test
    void aRepositoryCreatedByAConcurrentTransactionFailsTheSecondCreatorAsBusy() throws Exception {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            CountDownLatch created = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Repository> first = CompletableFuture.supplyAsync(() -> airlock.inTransaction(s -> {
                Repository repository = airlock.repositories().create(s, "r", "test", null);
                created.countDown();
                await(release);
                return repository;
            }));
            assertThat(created.await(30, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Repository> second = CompletableFuture.supplyAsync(() -> airlock.repositories().create("r", "test", null));
            Thread.sleep(300);
            release.countDown();

            first.get(30, TimeUnit.SECONDS);
            assertThat(second).failsWithin(Duration.ofSeconds(30)).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOfSatisfying(AirlockException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.BUSY);
                        assertThat(e.getMessage()).startsWith("repository 'r' was created by a concurrent operation");
                    });
            assertThat(airlock.repositories().list()).extracting(Repository::name).containsExactly("r");
        }
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> numbers = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            numbers.add(i);
        }
        return numbers;
    }
}
