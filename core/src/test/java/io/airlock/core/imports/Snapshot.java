package io.airlock.core.imports;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.core.Airlock;
import io.airlock.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What an installation holds, for "nothing changed" assertions: row counts of the tables an import
 * writes (and of on-demand files, which an import may fill) and the artifact store's files (sorted, relative to the store). The store's {@code tmp/}
 * directory is not part of it; it must be empty whenever a snapshot is taken.
 */
record Snapshot(long repositories, long versions, long content, long artifacts, long contentArtifacts, long onDemandFiles,
        List<String> storeFiles) {

    static Snapshot of(Airlock airlock, TestDatabase db) throws IOException {
        Path store = db.path("artifacts");
        assertThat(files(store.resolve("tmp"))).as("files left in the artifact store's tmp/").isEmpty();
        return new Snapshot(
                ExportImportRoundTripTest.count(airlock, "select count(*) from Repository"),
                ExportImportRoundTripTest.count(airlock, "select count(*) from RepositoryVersion"),
                ExportImportRoundTripTest.count(airlock, "select count(*) from Content"),
                ExportImportRoundTripTest.count(airlock, "select count(*) from Artifact"),
                ExportImportRoundTripTest.count(airlock, "select count(*) from ContentArtifact"),
                ExportImportRoundTripTest.count(airlock, "select count(*) from ContentArtifact where artifactId is null"),
                storeFiles(db));
    }

    /** The artifact store's files outside {@code tmp/}, sorted, relative to the store. */
    static List<String> storeFiles(TestDatabase db) throws IOException {
        return files(db.path("artifacts")).stream().filter(p -> !p.startsWith("tmp/")).toList();
    }

    private static List<String> files(Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/')).sorted().toList();
        }
    }
}
