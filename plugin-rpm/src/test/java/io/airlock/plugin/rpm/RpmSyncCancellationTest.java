package io.airlock.plugin.rpm;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.core.Airlock;
import io.airlock.spi.ProgressListener;
import io.airlock.testing.CancellationCheck;
import io.airlock.testing.Leftovers;
import io.airlock.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code rpm sync} interrupted at seeded random points (while primary metadata is read ahead on its
 * second thread and package files are stored): it ends cancelled within a second, with the
 * interrupt status set, leaving no version, rows or stored files, or it finished first and the
 * version holds every package.
 */
@Tag("persistence")
final class RpmSyncCancellationTest {

    private static final int PACKAGES = 1_500;
    private static final int PACKAGE_BYTES = 32 << 10;
    private static final int TRIALS = 3;

    @Test
    void anInterruptedSyncIsCancelledAndLeavesNothing() throws Exception {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            airlock.repositories().create("baseos", "rpm", null);
            RpmRepositories rpm = new RpmRepositories(airlock);
            Path store = db.path("home").resolve("artifacts");
            // Each trial syncs another repository (other package files to store).
            CancellationCheck.trials(new Random(31), TRIALS, 1500, () -> leftovers(airlock, store),
                    trial -> {
                        Path repo = repository(db.path("repo-" + trial), trial);
                        return () -> rpm.sync("baseos", repo, ProgressListener.NONE);
                    },
                    result -> assertThat(result.units()).containsEntry("rpm.package", (long) PACKAGES));
        }
    }

    private static Leftovers leftovers(Airlock airlock, Path store) {
        try {
            // The work area's root, which the first writer creates and the store keeps.
            Files.createDirectories(store.resolve("tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return airlock.inRolledBackTransaction(session -> session.doReturningWork(c -> Leftovers.of(c, store)));
    }

    /** A yum repository of {@code PACKAGES} packages, each with a file of its own; other files for each {@code variant}. */
    private static Path repository(Path directory, int variant) {
        YumRepo repo = new YumRepo();
        byte[] bytes = new byte[PACKAGE_BYTES];
        new Random(variant).nextBytes(bytes);
        for (int i = 0; i < PACKAGES; i++) {
            byte[] own = bytes.clone();
            own[0] = (byte) i;
            own[1] = (byte) (i >> 8);
            repo.add(new YumRepo.Pkg("pkg" + i, "0", "1.0", "1.el9", "x86_64", own, "", "", ""));
        }
        return repo.write(directory);
    }
}
