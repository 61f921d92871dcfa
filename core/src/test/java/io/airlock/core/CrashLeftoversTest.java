package io.airlock.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.core.content.ContentWriter.NewUnit;
import io.airlock.core.content.ContentWriter.UnitFile;
import io.airlock.core.store.ArtifactBatch;
import io.airlock.core.store.StagingDirectory;
import io.airlock.core.store.StoredArtifact;
import io.airlock.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What a killed process leaves in the store and beside it, made by a real child JVM that is killed
 * (SIGKILL) in the middle of its work, and how the next start and {@code cleanup} remove it.
 */
@Tag("persistence")
final class CrashLeftoversTest {

    private static final String KEPT = "recorded bytes";
    private static final String LOST = "unrecorded bytes";

    @Test
    void theNextStartRemovesWhatAKilledProcessLeftAndKeepsWhatRowsName() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            Leftovers left = killWriter(db);

            try (Airlock airlock = TestInstallations.open(db)) {
                assertThat(files(db.path("artifacts").resolve("tmp"))).as("the work area").isEmpty();
                assertThat(db.path("outside")).as("staging and half-moved export files").isEmptyDirectory();
                assertThat(airlock.artifacts().contains(left.lost())).isFalse();
                assertThat(airlock.artifacts().contains(left.kept())).isTrue();
            }
        }
    }

    @Test
    void cleanupDryRunReportsTheLeftoversAndChangesNothingThenCleanupRemovesThem() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            killWriter(db);
            List<String> before = files(db.directory().resolve("artifacts"));
            List<String> outside = files(db.path("outside"));

            try (Airlock airlock = Airlock.builder().jdbcUrl(db.url()).credentials(db.user(), db.password())
                    .storage(db.path("artifacts")).discoverPlugins(false).plugin(new WidgetPlugin()).cleanupAtStart(false).build()) {
                OrphanCleanup.Result planned = airlock.cleanup(true);

                assertThat(files(db.directory().resolve("artifacts"))).isEqualTo(before);
                assertThat(files(db.path("outside"))).isEqualTo(outside);
                // 1 run; staging: publication, export, import scratch; temporary: .part, batch log, a moved chunk
                assertThat(planned).isEqualTo(new OrphanCleanup.Result(1, 3, 3, 0, 0, 1, planned.bytes(), true));
                assertThat(planned.bytes()).isGreaterThan(LOST.length());

                OrphanCleanup.Result done = airlock.cleanup(false);

                assertThat(done).isEqualTo(new OrphanCleanup.Result(1, 3, 3, 0, 0, 1, planned.bytes(), false));
                assertThat(files(db.path("artifacts").resolve("tmp"))).isEmpty();
                assertThat(db.path("outside")).isEmptyDirectory();
                assertThat(airlock.cleanup(false).isEmpty()).isTrue();
            }
        }
    }

    @Test
    void aBatchOfAnotherLiveInstanceKeepsItsUnrecordedFiles() {
        try (TestDatabase db = TestDatabase.create(); Airlock writer = TestInstallations.open(db);
                Airlock cleaner = TestInstallations.open(db); ArtifactBatch batch = writer.artifacts().batch()) {
            StoredArtifact pending = batch.put(new ByteArrayInputStream(LOST.getBytes(StandardCharsets.UTF_8)), Optional.empty());

            OrphanCleanup.Result result = cleaner.cleanup(false);

            assertThat(result.files()).isZero();
            assertThat(result.deadRuns()).isZero();
            assertThat(writer.artifacts().contains(pending.sha256())).isTrue();
        }
    }

    /** The sha256 of the artifact a row names and of the one no row names. */
    private record Leftovers(String kept, String lost) {
    }

    /** Runs {@link DyingWriter} in a child JVM, kills it once it is mid-way, checks it left something. */
    private static Leftovers killWriter(TestDatabase db) throws Exception {
        Files.createDirectories(db.path("outside"));
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process child = new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                DyingWriter.class.getName(), db.url(), db.user(), db.password(), db.path("artifacts").toString(),
                db.path("outside").toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> said = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null && !line.equals("ready"); line = out.readLine()) {
                said.add(line);
            }
            child.destroyForcibly();
            child.waitFor();
        }
        assertThat(said).as("the child's report").hasSize(2);
        assertThat(files(db.path("artifacts").resolve("tmp"))).as("its run directory").isNotEmpty();
        assertThat(files(db.path("outside"))).as("two staging folders with a file each, and a moved export file").hasSize(5);
        return new Leftovers(said.get(0), said.get(1));
    }

    private static List<String> files(Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    /**
     * The child: stores a recorded and an unrecorded artifact in one batch, stages a publication,
     * an import scratch folder and an export it is half-way through moving, then reports and
     * waits to be killed.
     */
    static final class DyingWriter {

        public static void main(String[] args) throws Exception {
            Airlock airlock = Airlock.builder().jdbcUrl(args[0]).credentials(args[1], args[2]).storage(Path.of(args[3]))
                    .discoverPlugins(false).plugin(new WidgetPlugin()).build();
            Path outside = Path.of(args[4]);
            airlock.repositories().create("r", "test", null);
            ArtifactBatch batch = airlock.artifacts().batch();
            StoredArtifact kept = batch.put(new ByteArrayInputStream(KEPT.getBytes(StandardCharsets.UTF_8)), Optional.empty());
            batch.sync();
            List<java.util.UUID> ids = airlock.inTransaction(s -> airlock.contentWriter().save(s, List.of(
                    new NewUnit(new Widget("kept", 1), List.of(new UnitFile("k", Optional.of(kept)))))).ids());
            airlock.repositories().modify("r", OptionalInt.empty(), d -> d.add(ids));
            StoredArtifact lost = batch.put(new ByteArrayInputStream(LOST.getBytes(StandardCharsets.UTF_8)), Optional.empty());

            StagingDirectory publication = airlock.workArea().stage(outside, ".pub.publishing-");
            Files.writeString(publication.path().resolve("file"), "published bytes");
            StagingDirectory scratch = airlock.workArea().scratch("import-");
            Files.writeString(scratch.path().resolve("artifact-list.jsonl"), "scratch");
            StagingDirectory export = airlock.workArea().stage(outside, ".x.writing-");
            Files.writeString(export.path().resolve("x.tar.000000"), "chunk 0");
            Files.writeString(export.path().resolve("x.tar.000001"), "chunk 1");
            export.moving(List.of(outside.resolve("x.tar.000000"), outside.resolve("x.tar.000001")), outside.resolve("x-toc.json"));
            Files.move(export.path().resolve("x.tar.000000"), outside.resolve("x.tar.000000"));
            try (Stream<Path> runs = Files.list(Path.of(args[3]).resolve("tmp"))) {
                Files.writeString(runs.findFirst().orElseThrow().resolve("0123.part"), "half an artifact");
            }
            System.out.println(kept.sha256());
            System.out.println(lost.sha256());
            System.out.println("ready");
            System.out.flush();
            Thread.sleep(600_000);
        }
    }
}
