package io.airlock.plugin.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlock.core.Airlock;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.core.repository.VersionRef;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ProgressListener;
import io.airlock.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("persistence")
final class FileRepositoriesTest {

    @Test
    void publishingAnAddedDirectoryReproducesItByteForByte() throws IOException {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = open(db)) {
            Path source = tree(db.path("source"), Map.of(
                    "top.txt", "top",
                    "nested/deeper/data.bin", "\u0000\u0001\u0002",
                    "nested/empty", "",
                    "with space, and comma.txt", "odd name"));
            FileRepositories files = new FileRepositories(airlock);
            airlock.repositories().create("isos", "file", null);

            Optional<RepositoryVersion> version = files.add("isos", source, ProgressListener.NONE);
            FileRepositories.Publication publication = files.publish(VersionRef.latest("isos"), db.path("published"));

            assertThat(version.map(RepositoryVersion::contentCount)).contains(4L);
            Map<String, byte[]> published = read(db.path("published"));
            assertThat(published.remove(FileRepositories.MANIFEST)).isNotNull();
            assertThat(published).containsOnlyKeys(read(source).keySet());
            read(source).forEach((path, bytes) -> assertThat(published.get(path)).as(path).isEqualTo(bytes));
            assertThat(publication.files()).isEqualTo(4);
        }
    }

    @Test
    void theManifestListsPathSha256AndSize() throws IOException {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = open(db)) {
            Path source = tree(db.path("source"), Map.of("a.txt", "hello\n", "b,c.txt", ""));
            FileRepositories files = new FileRepositories(airlock);
            airlock.repositories().create("r", "file", null);
            files.add("r", source, ProgressListener.NONE);

            files.publish(VersionRef.latest("r"), db.path("out"));

            assertThat(Files.readAllLines(db.path("out").resolve(FileRepositories.MANIFEST))).containsExactlyInAnyOrder(
                    "a.txt,5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03,6",
                    "\"b,c.txt\",e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855,0");
        }
    }

    @Test
    void addingAChangedFileReplacesItAndSyncRemovesWhatIsGone() throws IOException {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = open(db)) {
            Path source = tree(db.path("source"), Map.of("a.txt", "one", "b.txt", "two"));
            FileRepositories files = new FileRepositories(airlock);
            airlock.repositories().create("r", "file", null);
            files.add("r", source, ProgressListener.NONE);
            Files.writeString(source.resolve("a.txt"), "changed");
            Files.delete(source.resolve("b.txt"));

            RepositoryVersion added = files.add("r", source, ProgressListener.NONE).orElseThrow();
            RepositoryVersion synced = files.sync("r", source, ProgressListener.NONE).orElseThrow();

            assertThat(added.contentCount()).isEqualTo(2);
            assertThat(added.removedCount()).isEqualTo(1);
            assertThat(synced.contentCount()).isEqualTo(1);
            assertThat(labels(airlock, synced)).containsExactly("a.txt");
        }
    }

    @Test
    void addingTheSameDirectoryTwiceCreatesNoVersion() throws IOException {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = open(db)) {
            Path source = tree(db.path("source"), Map.of("a.txt", "one"));
            FileRepositories files = new FileRepositories(airlock);
            airlock.repositories().create("r", "file", null);
            files.add("r", source, ProgressListener.NONE);

            assertThat(files.add("r", source, ProgressListener.NONE)).isEmpty();
            assertThat(files.sync("r", source, ProgressListener.NONE)).isEmpty();
        }
    }

    @Test
    void twoRepositoriesShareUnitsAndArtifacts() throws IOException {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = open(db)) {
            Path source = tree(db.path("source"), Map.of("a.txt", "one", "b.txt", "one"));
            FileRepositories files = new FileRepositories(airlock);
            airlock.repositories().create("r1", "file", null);
            airlock.repositories().create("r2", "file", null);

            files.add("r1", source, ProgressListener.NONE);
            files.add("r2", source, ProgressListener.NONE);

            assertThat(count(airlock, "select count(*) from Content")).isEqualTo(2);
            assertThat(count(airlock, "select count(*) from Artifact")).isEqualTo(1);
        }
    }

    @Test
    void aMissingDirectoryIsRefusedByNameAndNothingChanges() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = open(db)) {
            airlock.repositories().create("r", "file", null);
            Path missing = db.path("missing");

            assertThatThrownBy(() -> new FileRepositories(airlock).add("r", missing, ProgressListener.NONE))
                    .isInstanceOf(AirlockException.class)
                    .hasMessage("directory not found: " + missing);
            assertThat(airlock.repositories().get("r").latestVersion()).isZero();
        }
    }

    @Test
    void aRepositoryOfAnotherTypeIsRefused() throws IOException {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = open(db)) {
            airlock.repositories().create("packages", "rpm", null);
            Path source = tree(db.path("source"), Map.of("a.txt", "one"));

            assertThatThrownBy(() -> new FileRepositories(airlock).add("packages", source, ProgressListener.NONE))
                    .hasMessage("repository 'packages' holds rpm content, not file content")
                    .extracting(e -> ((AirlockException) e).code()).isEqualTo(ErrorCode.CONFLICT);
        }
    }

    @Test
    void publishingIntoANonEmptyDirectoryIsRefusedAndLeavesItAlone() throws IOException {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = open(db)) {
            airlock.repositories().create("r", "file", null);
            Path out = tree(db.path("out"), Map.of("keep.txt", "mine"));

            assertThatThrownBy(() -> new FileRepositories(airlock).publish(VersionRef.latest("r"), out))
                    .hasMessage("output directory " + out + " exists and is not empty");
            assertThat(read(out)).containsOnlyKeys("keep.txt");
        }
    }

    @Test
    void theFileTypeIsServedByTheGenericResource() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = open(db)) {
            assertThat(airlock.plugins().resource(FileContent.TYPE))
                    .isInstanceOf(io.airlock.generic.GenericContentResource.class);
            assertThat(airlock.plugins().resource(FileContent.TYPE).naturalKeyFields())
                    .containsExactly("relativePath", "sha256");
        }
    }

    static Airlock open(TestDatabase db) {
        return Airlock.builder().jdbcUrl(db.url()).credentials(db.user(), db.password())
                .storage(db.path("artifacts")).build();
    }

    static Path tree(Path root, Map<String, String> files) throws IOException {
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = root.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        return root;
    }

    static Map<String, byte[]> read(Path root) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.filter(Files::isRegularFile)::iterator) {
                files.put(root.relativize(path).toString().replace('\\', '/'), Files.readAllBytes(path));
            }
        }
        return files;
    }

    private static List<String> labels(Airlock airlock, RepositoryVersion version) {
        List<String> labels = new ArrayList<>();
        airlock.repositories().scanContent(version, Optional.empty(), 100, b -> b.forEach(u -> labels.add(u.label())));
        return labels;
    }

    private static long count(Airlock airlock, String hql) {
        return airlock.inTransaction(s -> s.createSelectionQuery(hql, Long.class).getSingleResult());
    }
}
