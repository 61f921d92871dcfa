package io.airlock.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.airlock.core.Airlock;
import io.airlock.core.TestInstallations;
import io.airlock.core.Widget;
import io.airlock.core.imports.PythonDistribution;
import io.airlock.core.imports.PythonPlugin;
import io.airlock.core.imports.PythonProject;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.core.repository.VersionRef;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ProgressListener;
import io.airlock.testing.Leftovers;
import io.airlock.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The public ingest API: references in any order, mirror, all or nothing, checksums, cancellation. */
@Tag("persistence")
final class IngestTest {

    @Test
    void referencesResolveByNaturalKeyWhateverTheOrderTheUnitsAreGivenIn() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db, new PythonPlugin())) {
            airlock.repositories().create("py", "python", null);
            PythonProject flask = new PythonProject("flask", "A micro framework");

            IngestResult result = airlock.ingest("py", Ingest.Mode.ADD, ProgressListener.NONE, sink -> {
                // Refers through a new instance carrying only the natural key; the project comes later.
                sink.add(new PythonDistribution("requests-2.31.0.tar.gz", new PythonProject("requests", null)));
                // Refers to the very instance given later.
                sink.add(new PythonDistribution("flask-3.0.0.tar.gz", flask));
                sink.add(new PythonProject("requests", "HTTP for Humans"));
                sink.add(flask);
            });

            assertThat(result.version()).map(RepositoryVersion::number).contains(1);
            assertThat(result.units()).isEqualTo(4);
            assertThat(result.created()).isEqualTo(4);
            assertThat(projectOf(airlock)).isEqualTo(Map.of(
                    "flask-3.0.0.tar.gz", "flask", "requests-2.31.0.tar.gz", "requests"));
            assertThat(summaries(airlock)).containsExactly("A micro framework", "HTTP for Humans");
        }
    }

    @Test
    void aReferencedUnitGivenMoreThanABatchLaterIsFound() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db, new PythonPlugin())) {
            airlock.repositories().create("py", "python", null);

            IngestResult result = airlock.ingest("py", Ingest.Mode.ADD, ProgressListener.NONE, sink -> {
                for (int i = 0; i < 1_100; i++) {
                    sink.add(new PythonDistribution("requests-" + i + ".tar.gz", new PythonProject("requests", null)));
                }
                sink.add(new PythonProject("requests", "HTTP for Humans"));
            });

            assertThat(result.version().orElseThrow().contentCount()).isEqualTo(1_101);
            assertThat(projectOf(airlock).values()).hasSize(1_100).containsOnly("requests");
        }
    }

    @Test
    void aReferenceToAUnitOfTheInstallationBringsItIntoTheVersion() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db, new PythonPlugin())) {
            airlock.repositories().create("one", "python", null);
            airlock.repositories().create("two", "python", null);
            airlock.ingest("one", Ingest.Mode.ADD, ProgressListener.NONE, sink -> sink.add(new PythonProject("requests", "HTTP")));

            airlock.ingest("two", Ingest.Mode.ADD, ProgressListener.NONE,
                    sink -> sink.add(new PythonDistribution("requests-2.31.0.tar.gz", new PythonProject("requests", null))));

            assertThat(labels(airlock, "two")).containsExactly("python.distribution:requests-2.31.0.tar.gz", "python.project:requests");
        }
    }

    @Test
    void anUnresolvedReferenceIsRefusedNamingBothUnitsAndChangesNothing() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db, new PythonPlugin())) {
            airlock.repositories().create("py", "python", null);
            Leftovers before = leftovers(airlock, db);

            AirlockException refused = catchThrowableOfType(AirlockException.class, () -> airlock.ingest("py", Ingest.Mode.ADD,
                    ProgressListener.NONE, sink -> {
                        sink.add(new PythonProject("flask", null));
                        sink.add(new PythonDistribution("requests-2.31.0.tar.gz", new PythonProject("requests", null)),
                                IngestFile.of("requests-2.31.0.tar.gz", bytes("sdist")));
                    }));

            assertThat(refused.code()).isEqualTo(ErrorCode.NOT_FOUND);
            assertThat(refused).hasMessage("unit python.distribution:requests-2.31.0.tar.gz refers to python.project:requests"
                    + " (project), which is neither given in this ingest nor in this installation");
            assertThat(before.changesTo(leftovers(airlock, db))).isEqualTo(before.changesTo(before));
        }
    }

    @Test
    void aReferenceByIdToAUnitThatDoesNotExistIsRefusedAsNotFoundNotAsADatabaseError() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db, new PythonPlugin())) {
            airlock.repositories().create("py", "python", null);
            UUID nowhere = UUID.fromString("00000000-0000-4000-8000-000000000001");
            PythonProject proxy = airlock.inTransaction(session -> session.getReference(PythonProject.class, nowhere));

            AirlockException refused = catchThrowableOfType(AirlockException.class, () -> airlock.ingest("py", Ingest.Mode.ADD,
                    ProgressListener.NONE, sink -> sink.add(new PythonDistribution("requests-2.31.0.tar.gz", proxy))));

            assertThat(refused.code()).isEqualTo(ErrorCode.NOT_FOUND);
            assertThat(refused).hasMessage("unit python.distribution:requests-2.31.0.tar.gz refers to python.project " + nowhere
                    + " (project), which is neither given in this ingest nor in this installation");
        }
    }

    @Test
    void aReferenceThroughALazyProxyOfAStoredUnitIsKept() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db, new PythonPlugin())) {
            airlock.repositories().create("py", "python", null);
            airlock.ingest("py", Ingest.Mode.ADD, ProgressListener.NONE, sink -> sink.add(new PythonProject("requests", "HTTP")));
            PythonProject proxy = airlock.inTransaction(session -> session.getReference(PythonProject.class,
                    session.createSelectionQuery("select p.id from PythonProject p", UUID.class).getSingleResult()));

            airlock.ingest("py", Ingest.Mode.ADD, ProgressListener.NONE,
                    sink -> sink.add(new PythonDistribution("requests-2.31.0.tar.gz", proxy)));

            assertThat(projectOf(airlock)).isEqualTo(Map.of("requests-2.31.0.tar.gz", "requests"));
        }
    }

    @Test
    void mirrorKeepsExactlyTheGivenUnits() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db, new PythonPlugin())) {
            airlock.repositories().create("py", "python", null);
            airlock.ingest("py", Ingest.Mode.ADD, ProgressListener.NONE, sink -> {
                sink.add(new PythonProject("flask", null));
                sink.add(new PythonProject("requests", null));
            });

            IngestResult result = airlock.ingest("py", Ingest.Mode.MIRROR, ProgressListener.NONE, sink -> {
                sink.add(new PythonProject("requests", null));
                sink.add(new PythonProject("django", null));
            });

            assertThat(result.version()).map(RepositoryVersion::number).contains(2);
            assertThat(result.version().orElseThrow().removedCount()).isEqualTo(1);
            assertThat(labels(airlock, "py")).containsExactly("python.project:django", "python.project:requests");
        }
    }

    @Test
    void mirrorRefusesAUnitWhoseReferencedUnitIsOnlyInTheInstallation() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db, new PythonPlugin())) {
            airlock.repositories().create("one", "python", null);
            airlock.repositories().create("two", "python", null);
            airlock.ingest("one", Ingest.Mode.ADD, ProgressListener.NONE, sink -> sink.add(new PythonProject("requests", "HTTP")));

            AirlockException refused = catchThrowableOfType(AirlockException.class, () -> airlock.ingest("two", Ingest.Mode.MIRROR,
                    ProgressListener.NONE,
                    sink -> sink.add(new PythonDistribution("requests-2.31.0.tar.gz", new PythonProject("requests", null)))));

            assertThat(refused.code()).isEqualTo(ErrorCode.CONFLICT);
            assertThat(refused).hasMessage("unit python.distribution:requests-2.31.0.tar.gz refers to python.project:requests,"
                    + " which would not be in version 1 of repository 'two'; add it too");
            assertThat(airlock.repositories().versions("two")).hasSize(1);
        }
    }

    @Test
    void theStreamsOfARefusedUnitAreClosed() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db, new PythonPlugin())) {
            airlock.repositories().create("py", "python", null);
            boolean[] closed = {false};
            java.io.InputStream stream = new java.io.FilterInputStream(bytes("never read")) {
                @Override
                public void close() throws IOException {
                    closed[0] = true;
                    super.close();
                }
            };

            catchThrowableOfType(AirlockException.class, () -> airlock.ingest("py", Ingest.Mode.ADD, ProgressListener.NONE,
                    sink -> sink.add(new Widget("gear", 1), IngestFile.of("gear", stream))));

            assertThat(closed[0]).isTrue();
        }
    }

    @Test
    void addKeepsTheLatestVersionsUnitsAndGivingTheSameAgainMakesNoVersion() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db, new PythonPlugin())) {
            airlock.repositories().create("py", "python", null);
            airlock.ingest("py", Ingest.Mode.ADD, ProgressListener.NONE, sink -> sink.add(new PythonProject("flask", null)));
            airlock.ingest("py", Ingest.Mode.ADD, ProgressListener.NONE, sink -> sink.add(new PythonProject("requests", null)));

            IngestResult again = airlock.ingest("py", Ingest.Mode.ADD, ProgressListener.NONE,
                    sink -> sink.add(new PythonProject("requests", null)));

            assertThat(again.version()).isEmpty();
            assertThat(again.created()).isZero();
            assertThat(labels(airlock, "py")).containsExactly("python.project:flask", "python.project:requests");
        }
    }

    @Test
    void aFailureAfterFilesWereStoredLeavesNoFilesAndNoRows() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db, new PythonPlugin())) {
            airlock.repositories().create("py", "python", null);
            Leftovers before = leftovers(airlock, db);

            IllegalStateException failed = catchThrowableOfType(IllegalStateException.class, () -> airlock.ingest("py",
                    Ingest.Mode.ADD, ProgressListener.NONE, sink -> {
                        for (int i = 0; i < 1_001; i++) { // one batch written to the database
                            sink.add(new PythonProject("p" + i, null), IngestFile.of("p" + i, bytes("bytes of " + i)));
                        }
                        throw new IllegalStateException("upstream index truncated");
                    }));

            assertThat(failed).hasMessage("upstream index truncated");
            assertThat(before.changesTo(leftovers(airlock, db))).isEqualTo(before.changesTo(before));
        }
    }

    @Test
    void aFileWhoseBytesDoNotHaveTheGivenSha256IsRefusedAndNothingChanges() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db, new PythonPlugin())) {
            airlock.repositories().create("py", "python", null);
            Leftovers before = leftovers(airlock, db);
            String otherSha256 = sha256("other".getBytes(StandardCharsets.UTF_8));

            AirlockException refused = catchThrowableOfType(AirlockException.class, () -> airlock.ingest("py", Ingest.Mode.ADD,
                    ProgressListener.NONE, sink -> {
                        sink.add(new PythonProject("flask", null), IngestFile.of("flask.txt", bytes("flask")));
                        sink.add(new PythonProject("requests", null), IngestFile.of("requests.txt", bytes("requests"), otherSha256));
                    }));

            assertThat(refused.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
            assertThat(refused).hasMessageStartingWith("file 'requests.txt' of python.project:requests: artifact bytes have sha256 ")
                    .hasMessageEndingWith(" but " + otherSha256 + " was expected");
            assertThat(before.changesTo(leftovers(airlock, db))).isEqualTo(before.changesTo(before));
        }
    }

    @Test
    void filesFromPathsStreamsAndOnDemandAreRecordedAndAPathsSha256IsChecked() throws IOException {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db, new PythonPlugin())) {
            airlock.repositories().create("py", "python", null);
            Path file = Files.writeString(db.path("README"), "readme");

            airlock.ingest("py", Ingest.Mode.ADD, ProgressListener.NONE, sink -> sink.add(new PythonProject("flask", null),
                    IngestFile.of("README", file, sha256("readme".getBytes(StandardCharsets.UTF_8))),
                    IngestFile.of("LICENSE", bytes("BSD")),
                    IngestFile.onDemand("flask-3.0.0.tar.gz")));

            Map<String, String> files = airlock.inTransaction(session -> {
                Map<String, String> found = new TreeMap<>();
                session.createNativeQuery("select ca.relative_path, a.sha256 from content_artifact ca"
                        + " left join artifact a on a.id = ca.artifact_id", Object[].class)
                        .getResultList().forEach(row -> found.put((String) row[0], String.valueOf(row[1])));
                return found;
            });
            assertThat(files).isEqualTo(Map.of(
                    "LICENSE", sha256("BSD".getBytes(StandardCharsets.UTF_8)),
                    "README", sha256("readme".getBytes(StandardCharsets.UTF_8)),
                    "flask-3.0.0.tar.gz", "null"));
        }
    }

    @Test
    void interruptingTheIngestCancelsItAndLeavesNothing() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db, new PythonPlugin())) {
            airlock.repositories().create("py", "python", null);
            Leftovers before = leftovers(airlock, db);

            AirlockException cancelled = catchThrowableOfType(AirlockException.class, () -> airlock.ingest("py",
                    Ingest.Mode.ADD, ProgressListener.NONE, sink -> {
                        sink.add(new PythonProject("flask", null), IngestFile.of("flask.txt", bytes("flask")));
                        Thread.currentThread().interrupt();
                        sink.add(new PythonProject("requests", null), IngestFile.of("requests.txt", bytes("requests")));
                    }));

            assertThat(cancelled.code()).isEqualTo(ErrorCode.CANCELLED);
            assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();
            assertThat(before.changesTo(leftovers(airlock, db))).isEqualTo(before.changesTo(before));
        }
    }

    @Test
    void flushWritesWhatWasGivenSoFarAndAUnitWaitingForALaterOneKeepsWaiting() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db, new PythonPlugin())) {
            airlock.repositories().create("py", "python", null);
            List<String> reported = new ArrayList<>();

            IngestResult result = airlock.ingest("py", Ingest.Mode.ADD, (phase, done, total) -> reported.add(phase + " " + done + "/" + total),
                    sink -> {
                        sink.add(new PythonProject("flask", null));
                        sink.add(new PythonDistribution("requests-2.31.0.tar.gz", new PythonProject("requests", null)));
                        sink.flush();
                        sink.flush(); // nothing pending: nothing written, nothing reported
                        sink.add(new PythonProject("requests", "HTTP for Humans"));
                    });

            assertThat(reported).containsExactly("units 2/-1", "units 3/3");
            assertThat(result.version().orElseThrow().contentCount()).isEqualTo(3);
            assertThat(projectOf(airlock)).isEqualTo(Map.of("requests-2.31.0.tar.gz", "requests"));
        }
    }

    @Test
    void filesStoredAheadOnAnotherThreadAreRecordedWithTheirUnits() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db, new PythonPlugin())) {
            airlock.repositories().create("py", "python", null);

            IngestResult result = airlock.ingest("py", Ingest.Mode.ADD, ProgressListener.NONE, sink -> {
                List<IngestFile> stored = storeOnAnotherThread(sink, 20);
                for (int i = 0; i < stored.size(); i++) {
                    sink.add(new PythonProject("p" + i, null), stored.get(i));
                }
            });

            assertThat(result.version().orElseThrow().contentCount()).isEqualTo(20);
            for (int i = 0; i < 20; i++) {
                assertThat(airlock.artifacts().contains(sha256(("bytes of " + i).getBytes(StandardCharsets.UTF_8)))).isTrue();
            }
        }
    }

    @Test
    void aFailedIngestRemovesTheFilesAnotherThreadStoredForIt() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db, new PythonPlugin())) {
            airlock.repositories().create("py", "python", null);
            Leftovers before = leftovers(airlock, db);

            OutOfMemoryError failed = catchThrowableOfType(OutOfMemoryError.class, () -> airlock.ingest("py", Ingest.Mode.ADD,
                    ProgressListener.NONE, sink -> {
                        List<IngestFile> stored = storeOnAnotherThread(sink, 20);
                        sink.add(new PythonProject("p0", null), stored.get(0));
                        throw new OutOfMemoryError("thrown by the test");
                    }));

            assertThat(failed).hasMessage("thrown by the test");
            assertThat(before.changesTo(leftovers(airlock, db))).isEqualTo(before.changesTo(before));
        }
    }

    /** Stores {@code count} files ("bytes of I") through the sink from a second thread, as a reader ahead would. */
    private static List<IngestFile> storeOnAnotherThread(IngestSink sink, int count) {
        List<IngestFile> stored = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            for (int i = 0; i < count; i++) {
                stored.add(sink.store(IngestFile.of("p" + i + ".txt", bytes("bytes of " + i))));
            }
        });
        reader.start();
        try {
            reader.join();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        assertThat(stored).as("files the second thread stored").hasSize(count);
        return List.copyOf(stored);
    }

    @Test
    void aUnitOfAnotherFamilyIsRefusedAsAConflict() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db, new PythonPlugin())) {
            airlock.repositories().create("py", "python", null);

            AirlockException refused = catchThrowableOfType(AirlockException.class, () -> airlock.ingest("py", Ingest.Mode.ADD,
                    ProgressListener.NONE, sink -> sink.add(new Widget("gear", 1))));

            assertThat(refused.code()).isEqualTo(ErrorCode.CONFLICT);
            assertThat(refused).hasMessage("unit test.widget:gear cannot be added to python repository 'py'");
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.io.InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Filename → project name of every distribution in the installation. */
    private static Map<String, String> projectOf(Airlock airlock) {
        return airlock.inTransaction(session -> {
            Map<String, String> projects = new TreeMap<>();
            for (PythonDistribution d : session.createSelectionQuery("from PythonDistribution", PythonDistribution.class).getResultList()) {
                projects.put(d.label(), d.project().label());
            }
            return projects;
        });
    }

    private static List<String> summaries(Airlock airlock) {
        return airlock.inTransaction(session -> session.createSelectionQuery(
                "select p.summary from PythonProject p where p.summary is not null order by p.summary", String.class).getResultList());
    }

    /** {@code type:label} of the latest version's units, sorted. */
    private static List<String> labels(Airlock airlock, String repository) {
        RepositoryVersion version = airlock.repositories().version(VersionRef.parse(repository));
        List<String> labels = new ArrayList<>();
        airlock.repositories().scanContent(version, Optional.empty(), 500,
                batch -> batch.forEach(unit -> labels.add(unit.typeId() + ":" + unit.label())));
        labels.sort(null);
        return labels;
    }

    private static Leftovers leftovers(Airlock airlock, TestDatabase db) {
        try {
            Files.createDirectories(db.path("artifacts").resolve("tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return airlock.inRolledBackTransaction(session -> session.doReturningWork(c -> Leftovers.of(c, db.path("artifacts"))));
    }
}
