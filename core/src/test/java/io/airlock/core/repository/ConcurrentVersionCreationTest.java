package io.airlock.core.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.core.Airlock;
import io.airlock.core.TestInstallations;
import io.airlock.core.Widget;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
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

    private static List<Integer> range(int from, int to) {
        List<Integer> numbers = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            numbers.add(i);
        }
        return numbers;
    }
}
