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
            airlock.repositories().create("r", "file", null);
            FileRepositories files = new FileRepositories(airlock);
            // Each trial adds other files (new bytes to store), under other paths.
            CancellationCheck.trials(new Random(21), TRIALS, 1200, () -> leftovers(airlock, db),
                    trial -> {
                        Path source = source(db, FILES, trial);
                        return () -> files.add("r", source, ProgressListener.NONE);
                    },
                    (Optional<RepositoryVersion> version) -> assertThat(version).isPresent());
        }
    }

    @Test
    void anInterruptedSyncIsCancelledAndLeavesNothing() throws Exception {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = FileRepositoriesTest.open(db)) {
            airlock.repositories().create("r", "file", null);
            FileRepositories files = new FileRepositories(airlock);
            CancellationCheck.trials(new Random(22), TRIALS, 1200, () -> leftovers(airlock, db),
                    trial -> {
                        Path source = source(db, FILES, trial);
                        return () -> files.sync("r", source, ProgressListener.NONE);
                    },
                    (Optional<RepositoryVersion> version) -> assertThat(contentCount(airlock)).isEqualTo(FILES));
        }
    }

    @Test
    void anInterruptedPublishIsCancelledAndLeavesNoOutputOrStaging() throws Exception {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = FileRepositoriesTest.open(db)) {
            airlock.repositories().create("r", "file", null);
            FileRepositories files = new FileRepositories(airlock);
            files.add("r", source(db, FILES, 0), ProgressListener.NONE);
            Path published = db.path("published");
            Files.createDirectories(published);
            CancellationCheck.trials(new Random(23), TRIALS, 800, () -> leftovers(airlock, db, published),
                    trial -> () -> files.publish(VersionRef.latest("r"), published.resolve("p" + trial)),
                    publication -> assertThat(publication.files()).isEqualTo(FILES));
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

    /** A directory of {@code count} distinct files in a few subdirectories, other files (and paths) for each {@code variant}. */
    private static Path source(TestDatabase db, int count, int variant) {
        Path root = db.path("source-" + variant);
        byte[] bytes = new byte[FILE_BYTES];
        new Random(variant).nextBytes(bytes);
        for (int i = 0; i < count; i++) {
            bytes[0] = (byte) i;
            bytes[1] = (byte) (i >> 8);
            Path file = root.resolve("d" + (i % 10)).resolve("v" + variant + "-f" + i + ".bin");
            try {
                Files.createDirectories(file.getParent());
                Files.write(file, bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }
}
