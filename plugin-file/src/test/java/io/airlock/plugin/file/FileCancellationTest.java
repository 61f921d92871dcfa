package io.airlock.plugin.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.core.Airlock;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.core.repository.VersionRef;
import io.airlock.spi.ProgressListener;
import io.airlock.testing.CancellationCheck;
import io.airlock.testing.Leftovers;
import io.airlock.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code file add}, {@code file sync} and {@code file publish} interrupted at seeded random points:
 * each ends cancelled within a second, with the interrupt status set, leaving no version, rows,
 * stored files, staging folders or output, or it finished first and its result is whole.
 */
@Tag("persistence")
final class FileCancellationTest {

    private static final int FILES = 800;
    private static final int FILE_BYTES = 32 << 10;
    private static final int TRIALS = 3;

    @Test
    void anInterruptedAddIsCancelledAndLeavesNothing() throws Exception {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = FileRepositoriesTest.open(db)) {
            Path source = source(db, FILES);
            airlock.repositories().create("r", "file", null);
            FileRepositories files = new FileRepositories(airlock);
            Random random = new Random(21);
            int cancelled = 0;
            for (int trial = 0; trial < TRIALS; trial++) {
                if (CancellationCheck.interrupt(random, 1200, () -> leftovers(airlock, db),
                        () -> files.add("r", source, ProgressListener.NONE),
                        (Optional<RepositoryVersion> version) -> assertThat(contentCount(airlock)).isEqualTo(FILES))) {
                    cancelled++;
                }
            }
            assertThat(cancelled).as("trials that were cancelled").isPositive();
        }
    }

    @Test
    void anInterruptedSyncIsCancelledAndLeavesNothing() throws Exception {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = FileRepositoriesTest.open(db)) {
            Path source = source(db, FILES);
            airlock.repositories().create("r", "file", null);
            FileRepositories files = new FileRepositories(airlock);
            Random random = new Random(22);
            int cancelled = 0;
            for (int trial = 0; trial < TRIALS; trial++) {
                if (CancellationCheck.interrupt(random, 1200, () -> leftovers(airlock, db),
                        () -> files.sync("r", source, ProgressListener.NONE),
                        (Optional<RepositoryVersion> version) -> assertThat(contentCount(airlock)).isEqualTo(FILES))) {
                    cancelled++;
                }
            }
            assertThat(cancelled).as("trials that were cancelled").isPositive();
        }
    }

    @Test
    void anInterruptedPublishIsCancelledAndLeavesNoOutputOrStaging() throws Exception {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = FileRepositoriesTest.open(db)) {
            airlock.repositories().create("r", "file", null);
            FileRepositories files = new FileRepositories(airlock);
            files.add("r", source(db, FILES), ProgressListener.NONE);
            Path published = db.path("published");
            Files.createDirectories(published);
            Random random = new Random(23);
            int cancelled = 0;
            for (int trial = 0; trial < TRIALS; trial++) {
                Path output = published.resolve("p" + trial);
                if (CancellationCheck.interrupt(random, 800, () -> leftovers(airlock, db, published),
                        () -> files.publish(VersionRef.latest("r"), output),
                        publication -> assertThat(publication.files()).isEqualTo(FILES))) {
                    cancelled++;
                }
            }
            assertThat(cancelled).as("trials that were cancelled").isPositive();
        }
    }

    private static long contentCount(Airlock airlock) {
        return airlock.repositories().version(VersionRef.latest("r")).contentCount();
    }

    private static Leftovers leftovers(Airlock airlock, TestDatabase db, Path... also) {
        Path[] roots = new Path[also.length + 1];
        roots[0] = db.path("artifacts");
        System.arraycopy(also, 0, roots, 1, also.length);
        try {
            // The work area's root, which the first writer creates and the store keeps.
            Files.createDirectories(db.path("artifacts").resolve("tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return airlock.inRolledBackTransaction(session -> session.doReturningWork(c -> Leftovers.of(c, roots)));
    }

    /** A directory of {@code count} distinct files in a few subdirectories. */
    private static Path source(TestDatabase db, int count) throws IOException {
        Path root = db.path("source");
        byte[] bytes = new byte[FILE_BYTES];
        new Random(count).nextBytes(bytes);
        for (int i = 0; i < count; i++) {
            bytes[0] = (byte) i;
            bytes[1] = (byte) (i >> 8);
            Path file = root.resolve("d" + (i % 10)).resolve("f" + i + ".bin");
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
        }
        return root;
    }
}
