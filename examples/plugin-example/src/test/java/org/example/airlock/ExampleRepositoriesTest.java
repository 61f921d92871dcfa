package org.example.airlock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.airlock.core.Airlock;
import io.airlock.core.copy.CopyEngine;
import io.airlock.core.copy.CopyRequest;
import io.airlock.core.copy.CopyResult;
import io.airlock.core.ingest.IngestResult;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ProgressListener;
import io.airlock.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Syncing an index directory and copying with the example's policy, on H2 (or PostgreSQL, see TestDatabase). */
final class ExampleRepositoriesTest {

    @Test
    void syncMirrorsTheIndexWhateverOrderItListsUnitsIn() throws IOException {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = open(db)) {
            airlock.repositories().create("pypi", ExamplePlugin.NAME, null);
            Path index = index(db.path("index"), "requests", "flask");

            IngestResult first = new ExampleRepositories(airlock).sync("pypi", index, ProgressListener.NONE);
            Files.writeString(index.resolve("index.txt"), "project requests HTTP for Humans\n"
                    + line(index, "requests-2.31.0.tar.gz", "requests") + "\n");
            IngestResult second = new ExampleRepositories(airlock).sync("pypi", index, ProgressListener.NONE);

            assertThat(first.version().orElseThrow().contentCount()).isEqualTo(4);
            assertThat(second.version().orElseThrow().removedCount()).isEqualTo(2);
            assertThat(second.version().orElseThrow().contentCount()).isEqualTo(2);
        }
    }

    @Test
    void aFileThatDoesNotMatchItsIndexedSha256IsRefusedAndNothingChanges() throws IOException {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = open(db)) {
            airlock.repositories().create("pypi", ExamplePlugin.NAME, null);
            Path index = index(db.path("index"), "requests");
            Files.writeString(index.resolve("requests-2.31.0.tar.gz"), "tampered");

            AirlockException refused = catchThrowableOfType(AirlockException.class,
                    () -> new ExampleRepositories(airlock).sync("pypi", index, ProgressListener.NONE));

            assertThat(refused.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
            assertThat(refused).hasMessageStartingWith("file 'requests-2.31.0.tar.gz' of example.distribution:requests-2.31.0.tar.gz");
            assertThat(airlock.repositories().versions("pypi")).hasSize(1);
        }
    }

    @Test
    void copyingAProjectBringsItsDistributionsAndADistributionBringsItsProject() throws IOException {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = open(db)) {
            airlock.repositories().create("pypi", ExamplePlugin.NAME, null);
            airlock.repositories().create("by-project", ExamplePlugin.NAME, null);
            airlock.repositories().create("by-file", ExamplePlugin.NAME, null);
            new ExampleRepositories(airlock).sync("pypi", index(db.path("index"), "requests", "flask"), ProgressListener.NONE);

            CopyResult result = new CopyEngine(airlock).copy(CopyRequest.of(List.of(
                    CopyRequest.Entry.whole("pypi", "by-project").withContent("example.project:flask"),
                    CopyRequest.Entry.whole("pypi", "by-file").withContent("example.distribution:requests-2.31.0.tar.gz"))));

            assertThat(reasons(result, 0)).isEqualTo(Map.of(
                    "example.project:flask", "requested",
                    "example.distribution:flask-2.31.0.tar.gz", "child of example.project:flask"));
            assertThat(reasons(result, 1)).isEqualTo(Map.of(
                    "example.distribution:requests-2.31.0.tar.gz", "requested",
                    "example.project:requests", "referenced by example.distribution:requests-2.31.0.tar.gz"));
        }
    }

    @Test
    void theMigrationsMakeTheTablesHibernateExpects() {
        try (TestDatabase db = TestDatabase.create()) {
            open(db).close(); // MIGRATE: applies core's and this plugin's migrations

            Airlock validated = Airlock.builder().jdbcUrl(db.url()).credentials(db.user(), db.password())
                    .storage(db.path("artifacts")).schema(Airlock.SchemaAction.VALIDATE).build();

            assertThat(validated.plugins().contentTypes()).hasSize(2);
            validated.close();
        }
    }

    private static Map<String, String> reasons(CopyResult result, int destination) {
        Map<String, String> reasons = new TreeMap<>();
        result.destinations().get(destination).added().forEach(a -> reasons.put(a.type() + ":" + a.label(), a.reason().toString()));
        return reasons;
    }

    private static Airlock open(TestDatabase db) {
        return Airlock.builder().jdbcUrl(db.url()).credentials(db.user(), db.password()).storage(db.path("artifacts")).build();
    }

    /** An index directory: for each project a file, its distribution line first and the project line after. */
    private static Path index(Path directory, String... projects) throws IOException {
        Files.createDirectories(directory);
        StringBuilder lines = new StringBuilder();
        for (String project : projects) {
            Files.writeString(directory.resolve(project + "-2.31.0.tar.gz"), project + " source");
            lines.append(line(directory, project + "-2.31.0.tar.gz", project)).append('\n');
        }
        for (String project : projects) {
            lines.append("project ").append(project).append(" the ").append(project).append(" project\n");
        }
        Files.writeString(directory.resolve("index.txt"), lines);
        return directory;
    }

    private static String line(Path directory, String filename, String project) throws IOException {
        return "dist " + filename + " 2.31.0 " + project + " "
                + ExamplePluginContractTest.sha256(Files.readAllBytes(directory.resolve(filename)));
    }
}
