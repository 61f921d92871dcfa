package io.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.airlock.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("persistence")
final class CopyCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String TWO_FILES = """
            config:
              - source_repo_version: isos@1
                dest_repo: approved
                content:
                  - file.file:README.txt
                  - "file.file:docs/release notes, v1.txt"
            """;

    @Test
    void copyPrintsWhatEachDestinationGot() {
        try (TestDatabase db = TestDatabase.create()) {
            setUp(db);
            Path request = write(db, "copy.yaml", TWO_FILES);

            Cli.Result result = Cli.ok(db, "copy", request.toString());

            assertThat(result.outLines()).containsExactly("approved: created version 1 from 0, 2 units added (2 requested)");
            // Listed in id order; ids made in the same millisecond are not ordered.
            assertThat(Cli.ok(db, "repo", "content", "approved").outLines())
                    .containsExactlyInAnyOrder("file.file:README.txt", "file.file:docs/release notes, v1.txt");
        }
    }

    @Test
    void copiedFilesPublishByteForByte() {
        try (TestDatabase db = TestDatabase.create()) {
            Map<String, byte[]> files = setUp(db);
            Path request = write(db, "copy.json", "{\"config\": [{\"source_repo_version\": \"isos\", \"dest_repo\": \"approved\"}]}");
            Cli.ok(db, "copy", request.toString());
            Path output = db.path("published");

            Cli.ok(db, "file", "publish", "approved", output.toString());

            Map<String, byte[]> published = Trees.read(output);
            published.remove("PULP_MANIFEST");
            assertThat(published.keySet()).isEqualTo(files.keySet());
            files.forEach((path, bytes) -> assertThat(published.get(path)).as(path).isEqualTo(bytes));
        }
    }

    @Test
    void jsonOutputListsAddedUnitsWithTheirReason() throws IOException {
        try (TestDatabase db = TestDatabase.create()) {
            setUp(db);
            Path request = write(db, "copy.yaml", TWO_FILES);

            Cli.Result result = Cli.ok(db, "copy", request.toString(), "--json");

            assertThat(result.outLines()).hasSize(1);
            JsonNode root = JSON.readTree(result.out());
            assertThat(root.get("destinations")).hasSize(1);
            JsonNode destination = root.get("destinations").get(0);
            assertThat(destination.get("repo").asText()).isEqualTo("approved");
            assertThat(destination.get("version").asInt()).isEqualTo(1);
            assertThat(destination.get("added").toString()).isEqualTo("[{\"type\":\"file.file\",\"label\":\"README.txt\","
                    + "\"reason\":\"requested\"},{\"type\":\"file.file\",\"label\":\"docs/release notes, v1.txt\",\"reason\":\"requested\"}]");
            assertThat(root.get("unresolved").isArray()).isTrue();
            assertThat(root.get("unresolved")).isEmpty();
        }
    }

    @Test
    void repeatedCopySaysUnchangedAndGivesANullVersion() throws IOException {
        try (TestDatabase db = TestDatabase.create()) {
            setUp(db);
            Path request = write(db, "copy.yaml", TWO_FILES);
            Cli.ok(db, "copy", request.toString());

            Cli.Result summary = Cli.ok(db, "copy", request.toString(), "--no-dependency-solving");
            Cli.Result json = Cli.ok(db, "copy", request.toString(), "--json");

            assertThat(summary.outLines()).containsExactly("approved: unchanged, nothing added");
            JsonNode destination = JSON.readTree(json.out()).get("destinations").get(0);
            assertThat(destination.get("version").isNull()).isTrue();
            assertThat(destination.get("added")).isEmpty();
        }
    }

    @Test
    void dryRunReportsAndChangesNothing() {
        try (TestDatabase db = TestDatabase.create()) {
            setUp(db);
            Path request = write(db, "copy.yaml", TWO_FILES);

            Cli.Result result = Cli.ok(db, "copy", request.toString(), "--dry-run");

            assertThat(result.outLines()).containsExactly(
                    "approved: would create version 1 from 0, 2 units added (2 requested)", "dry run, nothing changed");
            assertThat(Cli.ok(db, "repo", "versions", "approved").outLines()).hasSize(2); // header and version 0
        }
    }

    @Test
    void badRequestIsOneErrorLineListingEveryProblem() {
        try (TestDatabase db = TestDatabase.create()) {
            setUp(db);
            Path request = write(db, "copy.yaml", """
                    config:
                      - source_repo_version: isos@1
                        dest_repo: nowhere
                        content: [file.file:README.txt, file.file:missing.txt]
                    """);

            Cli.Result result = Cli.run(db, "copy", request.toString());

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.out()).isEmpty();
            assertThat(result.errLines()).containsExactly("error: copy request " + request + ": 2 problems: "
                    + "config[0].dest_repo: no repository named 'nowhere'; "
                    + "config[0].content[1]: file.file:missing.txt is not in repository isos@1");
        }
    }

    /** Repository isos at version 1 with the sample tree, and an empty repository approved. */
    private static Map<String, byte[]> setUp(TestDatabase db) {
        Map<String, byte[]> files = Trees.sample();
        Path input = Trees.write(db.path("input"), files);
        Cli.ok(db, "repo", "create", "isos", "--type", "file");
        Cli.ok(db, "file", "add", "isos", input.toString());
        Cli.ok(db, "repo", "create", "approved", "--type", "file");
        return files;
    }

    private static Path write(TestDatabase db, String name, String text) {
        try {
            return Files.writeString(db.path(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
