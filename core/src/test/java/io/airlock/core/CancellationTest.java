package io.airlock.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.core.content.ContentWriter;
import io.airlock.core.content.ContentWriter.NewUnit;
import io.airlock.core.content.ContentWriter.UnitFile;
import io.airlock.core.copy.CopyEngine;
import io.airlock.core.copy.CopyRequest;
import io.airlock.core.copy.CopyResult;
import io.airlock.core.export.ExportEngine;
import io.airlock.core.export.ExportRequest;
import io.airlock.core.export.ExportResult;
import io.airlock.core.imports.ArchiveVerifier;
import io.airlock.core.imports.ImportEngine;
import io.airlock.core.imports.ImportRequest;
import io.airlock.core.imports.ImportResult;
import io.airlock.core.repository.VersionDraft;
import io.airlock.core.repository.VersionRef;
import io.airlock.core.store.StoredArtifact;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ProgressListener;
import io.airlock.testing.CancellationCheck;
import io.airlock.testing.Interruption;
import io.airlock.testing.Leftovers;
import io.airlock.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Each long operation interrupted at seeded random points, as a host cancels a task: it ends with
 * {@code CANCELLED} within a second of the interrupt with the thread's interrupt status still set,
 * and leaves nothing (every table's row count, the artifact store with its work area and the
 * export directory as before), or it finished first and its result is whole.
 */
@Tag("persistence")
final class CancellationTest {

    /** Widgets (each with a file) exported, imported and verified. */
    private static final int UNITS = 1_000;
    private static final int FILE_BYTES = 32 << 10;
    /** Widgets copied (by name, without files). */
    private static final int COPIED = 3_000;
    private static final int TRIALS = 3;

    private static TestDatabase source;
    private static Path exported;

    @Test
    void anInterruptedExportIsCancelledAndLeavesNoFilesOrRecord() throws Exception {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            fill(airlock, "r", UNITS, true);
            Path exports = db.path("exports");
            CancellationCheck.trials(new Random(11), TRIALS, 1500, () -> leftovers(airlock, db, exports),
                    trial -> () -> new ExportEngine(airlock).export(ExportRequest.full(List.of(VersionRef.latest("r")), exports)
                            .withName("e" + trial).withExporter("usb").withChunkSize(4 << 20), ProgressListener.NONE),
                    (ExportResult result) -> assertThat(new ArchiveVerifier(airlock.plugins())
                            .verify(result.toc().orElseThrow(), ProgressListener.NONE).manifest().content())
                            .containsEntry("test.widget", (long) UNITS));
        }
    }

    @Test
    void anInterruptedImportIsCancelledAndLeavesNoVersionRowsOrFiles() throws Exception {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            Path toc = sharedExport();
            // Every other trial a dry run. One that finished makes the next ones imports of what is there.
            CancellationCheck.trials(new Random(12), TRIALS, 1500, () -> leftovers(airlock, db),
                    trial -> () -> new ImportEngine(airlock).importArchive(new ImportRequest(toc, java.util.Map.of(), true,
                            trial % 2 == 1), ProgressListener.NONE),
                    (ImportResult result) -> assertThat(result.repositories().get(0).contentCount()).isEqualTo(UNITS));
        }
    }

    @Test
    void anInterruptedVerifyIsCancelled() throws Exception {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            Path toc = sharedExport();
            CancellationCheck.trials(new Random(13), TRIALS, 400, () -> leftovers(airlock, db),
                    trial -> () -> new ArchiveVerifier(airlock.plugins()).verify(toc, ProgressListener.NONE),
                    verified -> assertThat(verified.manifest().artifacts()).isEqualTo(UNITS));
        }
    }

    @Test
    void anInterruptedCopyIsCancelledAndCommitsNothing() throws Exception {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            fill(airlock, "r", COPIED, false);
            List<String> names = new ArrayList<>();
            for (int i = 0; i < COPIED; i++) {
                names.add("test.widget:" + name(i));
            }
            for (int trial = 0; trial < 2 * TRIALS; trial++) {
                airlock.repositories().create("d" + trial, "test", null);
            }
            CancellationCheck.trials(new Random(14), TRIALS, 600, () -> leftovers(airlock, db),
                    trial -> () -> new CopyEngine(airlock).copy(CopyRequest.of(List.of(
                            CopyRequest.Entry.whole("r", "d" + trial).withContent(names.toArray(String[]::new))))),
                    (CopyResult result) -> assertThat(result.destinations().get(0).added()).hasSize(COPIED));
        }
    }

    @Test
    void aCopyInterruptedWhileItsDestinationIsLockedEndsWithinTheLockTimeoutAndCommitsNothing() throws Exception {
        Duration lockTimeout = Duration.ofSeconds(2);
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db, lockTimeout)) {
            fill(airlock, "r", 10, false);
            airlock.repositories().create("d", "test", null);
            CountDownLatch locked = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread holder = new Thread(() -> airlock.inRolledBackTransaction(session -> {
                airlock.repositories().draft(session, "d", VersionDraft.Mode.MODIFY, OptionalInt.empty());
                locked.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }), "lock-holder");
            holder.start();
            try {
                locked.await();
                Leftovers before = leftovers(airlock, db);
                Interruption<CopyResult> run = Interruption.after(Duration.ofMillis(300),
                        () -> new CopyEngine(airlock).copy(CopyRequest.of(List.of(CopyRequest.Entry.whole("r", "d")))));
                assertThat(run.finishedBeforeInterrupt()).isFalse();
                assertThat(run.failure()).get().isInstanceOfSatisfying(AirlockException.class,
                        e -> assertThat(e.code()).isIn(ErrorCode.CANCELLED, ErrorCode.BUSY));
                assertThat(run.stoppedAfter()).isLessThan(lockTimeout.plus(CancellationCheck.LATENCY));
                assertThat(run.interruptedAtEnd()).isTrue();
                release.countDown();
                holder.join();
                assertThat(leftovers(airlock, db)).isEqualTo(before);
                assertThat(airlock.repositories().versions("d")).hasSize(1);
            } finally {
                release.countDown();
                holder.join();
            }
        }
    }

    private static Leftovers leftovers(Airlock airlock, TestDatabase db, Path... also) {
        try {
            // The work area's root, which the first writer creates and the store keeps.
            java.nio.file.Files.createDirectories(db.path("artifacts").resolve("tmp"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Path[] roots = new Path[also.length + 1];
        roots[0] = db.path("artifacts");
        System.arraycopy(also, 0, roots, 1, also.length);
        return airlock.inRolledBackTransaction(session -> session.doReturningWork(c -> Leftovers.of(c, roots)));
    }

    /** An export of a repository of {@link #UNITS} widgets with files, made once for the tests that read one; its TOC. */
    private static synchronized Path sharedExport() {
        if (exported == null) {
            source = TestDatabase.create();
            try (Airlock airlock = TestInstallations.open(source)) {
                fill(airlock, "r", UNITS, true);
                exported = new ExportEngine(airlock).export(ExportRequest.full(List.of(VersionRef.latest("r")), source.path("exports"))
                        .withName("x").withChunkSize(4 << 20), ProgressListener.NONE).toc().orElseThrow();
            }
        }
        return exported;
    }

    @AfterAll
    static void removeSharedExport() {
        if (source != null) {
            source.close();
        }
    }

    /** Creates repository {@code repository} with a version of {@code units} widgets, each with a file of its own when asked. */
    static void fill(Airlock airlock, String repository, int units, boolean withFiles) {
        airlock.repositories().create(repository, "test", null);
        byte[] bytes = new byte[FILE_BYTES];
        new Random(units).nextBytes(bytes);
        List<UUID> ids = new ArrayList<>();
        airlock.withArtifactBatch(batch -> {
            for (int from = 0; from < units; from += ContentWriter.BATCH_SIZE) {
                List<NewUnit> chunk = new ArrayList<>();
                for (int i = from; i < Math.min(units, from + ContentWriter.BATCH_SIZE); i++) {
                    if (!withFiles) {
                        chunk.add(new NewUnit(new Widget(name(i), 1), List.of()));
                        continue;
                    }
                    bytes[0] = (byte) i;
                    bytes[1] = (byte) (i >> 8);
                    bytes[2] = (byte) (i >> 16);
                    StoredArtifact artifact = batch.put(new ByteArrayInputStream(bytes), Optional.empty());
                    chunk.add(new NewUnit(new Widget(name(i), 1), List.of(new UnitFile(name(i) + ".bin", Optional.of(artifact)))));
                }
                ids.addAll(airlock.inTransaction(s -> airlock.contentWriter().save(s, chunk)).ids());
            }
            return null;
        });
        airlock.repositories().modify(repository, OptionalInt.empty(), d -> d.add(ids));
    }

    private static String name(int i) {
        return String.format("widget-%05d", i);
    }

}
