package io.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.airlock.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** repo update/delete, repo versions delete, export list/forget and status on the command line. */
@Tag("persistence")
final class LifeCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRetentionSetWithRepoUpdateAppliesToFileAddAndSync() throws IOException {
        try (TestDatabase db = TestDatabase.create()) {
            Path input = Trees.write(db.path("input"), Map.of("a.txt", bytes("a")));
            Cli.ok(db, "repo", "create", "isos", "--type", "file");
            Cli.ok(db, "file", "add", "isos", input.toString());

            Cli.Result updated = Cli.ok(db, "repo", "update", "isos", "--retain-versions", "2", "--description", "ISOs");
            Files.writeString(input.resolve("b.txt"), "b");
            Cli.ok(db, "file", "add", "isos", input.toString());
            Files.delete(input.resolve("a.txt"));
            Cli.ok(db, "file", "sync", "isos", input.toString());

            assertThat(updated.out()).isEqualTo("updated repository isos: retains 2 version(s), description 'ISOs'\n");
            assertThat(numbers(db, "isos")).containsExactly(2, 3);
            assertThat(Cli.ok(db, "repo", "content", "isos").outLines()).containsExactly("file.file:b.txt");
            JsonNode listed = JSON.readTree(Cli.ok(db, "repo", "list", "--json").outLines().get(0));
            assertThat(listed.get("retain_versions").asInt()).isEqualTo(2);
            assertThat(listed.get("description").asText()).isEqualTo("ISOs");
            assertThat(Cli.ok(db, "repo", "list").outLines().get(1).split("\\s+")).containsExactly("isos", "file", "3", "2", "ISOs");

            Cli.ok(db, "repo", "update", "isos", "--retain-versions", "none");
            assertThat(JSON.readTree(Cli.ok(db, "repo", "list", "--json").out()).get("retain_versions").isNull()).isTrue();
        }
    }

    @Test
    void repoUpdateRefusesABadRetentionWithOneLine() {
        try (TestDatabase db = TestDatabase.create()) {
            Cli.ok(db, "repo", "create", "isos", "--type", "file");

            Cli.Result zero = Cli.run(db, "repo", "update", "isos", "--retain-versions", "0");
            Cli.Result word = Cli.run(db, "repo", "update", "isos", "--retain-versions", "some");

            assertThat(zero.exitCode()).isEqualTo(1);
            assertThat(zero.errLines()).containsExactly("error: retain_versions must be at least 1, not 0");
            assertThat(word.exitCode()).isEqualTo(2);
            assertThat(word.errLines().get(0)).isEqualTo("--retain-versions takes a number of versions or 'none', not 'some'");
        }
    }

    @Test
    void aMiddleVersionIsDeletedAndTheLatestIsRefused() throws IOException {
        try (TestDatabase db = TestDatabase.create()) {
            Path input = Trees.write(db.path("input"), Map.of("a.txt", bytes("a")));
            Cli.ok(db, "repo", "create", "isos", "--type", "file");
            Cli.ok(db, "file", "add", "isos", input.toString());
            Files.writeString(input.resolve("b.txt"), "b");
            Cli.ok(db, "file", "add", "isos", input.toString());

            Cli.Result deleted = Cli.ok(db, "repo", "versions", "delete", "isos@1");
            Cli.Result latest = Cli.run(db, "repo", "versions", "delete", "isos@2");

            assertThat(deleted.out()).isEqualTo("deleted version 1 of repository isos\n");
            assertThat(latest.exitCode()).isEqualTo(1);
            assertThat(latest.errLines()).containsExactly("error: version 2 is the latest version of repository 'isos' and cannot"
                    + " be deleted (delete the repository, or make a new version first)");
            assertThat(numbers(db, "isos")).containsExactly(0, 2);
            assertThat(Cli.ok(db, "repo", "content", "isos@2").outLines()).containsExactlyInAnyOrder("file.file:a.txt", "file.file:b.txt");
        }
    }

    @Test
    void aDeletedRepositorysFilesAreFreedByCleanup() throws IOException {
        try (TestDatabase db = TestDatabase.create()) {
            Path input = Trees.write(db.path("input"), Trees.sample());
            Cli.ok(db, "repo", "create", "isos", "--type", "file");
            Cli.ok(db, "file", "add", "isos", input.toString());
            assertThat(storeFiles(db)).hasSize(Trees.sample().size());

            Cli.Result deleted = Cli.ok(db, "repo", "delete", "isos");
            Cli.Result status = Cli.ok(db, "status", "--json");
            Cli.ok(db, "cleanup");

            assertThat(deleted.outLines()).containsExactly("deleted repository isos",
                    "its content and files stay until 'airlock cleanup' removes what no repository version holds");
            assertThat(JSON.readTree(status.out()).get("orphans").get("content").asLong()).isEqualTo(Trees.sample().size());
            assertThat(storeFiles(db)).isEmpty();
            assertThat(Cli.ok(db, "repo", "list").outLines()).hasSize(1);
            assertThat(Cli.run(db, "repo", "delete", "isos").errLines()).containsExactly("error: no repository named 'isos'");
        }
    }

    @Test
    void statusOfADatabaseWithoutTheSchemaReportsAnEmptyInstallationWithItsMigrationsPending() throws IOException {
        try (TestDatabase db = TestDatabase.create()) {
            Cli.Result status = Cli.ok(db, "status", "--json");

            com.fasterxml.jackson.databind.JsonNode root = JSON.readTree(status.out());
            assertThat(root.get("repositories").asLong()).isZero();
            assertThat(root.get("units").size()).isZero();
            assertThat(root.get("schema").get(0).get("module").asText()).isEqualTo("core");
            assertThat(root.get("schema").get(0).get("applied").size()).isZero();
            assertThat(root.get("schema").get(0).get("pending").get(0).asInt()).isEqualTo(1);
        }
    }

    @Test
    void exportListShowsFullAndIncrementalExportsAndForgetMakesTheNextIncrementalFail() throws IOException {
        try (TestDatabase db = TestDatabase.create()) {
            Path input = Trees.write(db.path("input"), Map.of("a.txt", bytes("a")));
            Path usb = db.path("usb");
            Cli.ok(db, "repo", "create", "isos", "--type", "file");
            Cli.ok(db, "file", "add", "isos", input.toString());
            Cli.ok(db, "export", "isos", "--to", usb.toString(), "--name", "full", "--exporter", "usb");
            Files.writeString(input.resolve("b.txt"), "b");
            Cli.ok(db, "file", "add", "isos", input.toString());
            Cli.ok(db, "export", "isos", "--to", usb.toString(), "--name", "delta", "--exporter", "usb", "--incremental");

            List<String> table = Cli.ok(db, "export", "list").outLines();
            List<JsonNode> lines = new ArrayList<>();
            for (String line : Cli.ok(db, "export", "list", "--exporter", "usb", "--json").outLines()) {
                lines.add(JSON.readTree(line));
            }
            Cli.Result forgot = Cli.ok(db, "export", "forget", "usb");
            Cli.Result refused = Cli.run(db, "export", "isos", "--to", usb.toString(), "--exporter", "usb", "--incremental");

            assertThat(table).hasSize(3);
            assertThat(table.get(1)).contains(" usb ", " isos@1 ", " full ", " full-toc.json full.tar ");
            assertThat(table.get(2)).contains(" isos@2 ", " incremental since 1 ", " delta-toc.json delta.tar ");
            assertThat(lines).extracting(l -> l.get("incremental").asBoolean()).containsExactly(false, true);
            assertThat(lines.get(1).get("base_version").asInt()).isEqualTo(1);
            assertThat(lines.get(1).get("bytes").asLong())
                    .isEqualTo(Files.size(usb.resolve("delta-toc.json")) + Files.size(usb.resolve("delta.tar")));
            assertThat(forgot.out()).isEqualTo("forgot 2 record(s) of exporter usb; its next export must be a full one\n");
            assertThat(refused.errLines()).containsExactly("error: exporter 'usb' has not exported 'isos' before; make a full export first");
            assertThat(Cli.ok(db, "export", "list").outLines()).hasSize(1);
        }
    }

    @Test
    void aRepositoryNamedListIsExportedWithItsVersionNumber() {
        try (TestDatabase db = TestDatabase.create()) {
            Cli.ok(db, "repo", "create", "list", "--type", "file");

            Cli.Result exported = Cli.ok(db, "export", "list@0", "--to", db.path("x").toString(), "--name", "l");

            assertThat(exported.out()).contains("exported list@0 (full)");
            assertThat(Cli.run(db, "export", "--to", db.path("x").toString()).errLines().get(0))
                    .isEqualTo("Missing required parameter: 'NAME[@N]'");
        }
    }

    @Test
    void statusCountsRepositoriesVersionsUnitsAndTheStore() throws IOException {
        try (TestDatabase db = TestDatabase.create()) {
            Path input = Trees.write(db.path("input"), Trees.sample());
            Cli.ok(db, "repo", "create", "isos", "--type", "file");
            Cli.ok(db, "file", "add", "isos", input.toString());
            long bytes = Trees.sample().values().stream().mapToLong(b -> b.length).sum();

            JsonNode status = JSON.readTree(Cli.ok(db, "status", "--json").out());
            List<String> table = Cli.ok(db, "status").outLines();

            assertThat(status.get("home").asText()).isEqualTo(db.directory().toAbsolutePath().normalize().toString());
            assertThat(status.get("repositories").asLong()).isEqualTo(1);
            assertThat(status.get("versions").asLong()).isEqualTo(2);
            assertThat(status.get("units").get("file.file").asLong()).isEqualTo(Trees.sample().size());
            assertThat(status.get("artifacts").asLong()).isEqualTo(Trees.sample().size());
            assertThat(status.get("artifact_bytes").asLong()).isEqualTo(bytes);
            assertThat(status.get("store_bytes").asLong()).isGreaterThanOrEqualTo(bytes);
            assertThat(status.get("orphans").get("content").asLong()).isZero();
            assertThat(status.get("plugins").has("file")).isTrue();
            assertThat(status.get("schema").get(0).get("pending")).isEmpty();
            assertThat(status.get("database").asText()).doesNotContain(db.password().isEmpty() ? "\u0000" : db.password());
            assertThat(table).anySatisfy(line -> assertThat(line).startsWith("repositories").endsWith(" 1"));
        }
    }

    private static List<Integer> numbers(TestDatabase db, String repository) throws IOException {
        List<Integer> numbers = new ArrayList<>();
        for (String line : Cli.ok(db, "repo", "versions", repository, "--json").outLines()) {
            numbers.add(JSON.readTree(line).get("number").asInt());
        }
        return numbers;
    }

    private static List<Path> storeFiles(TestDatabase db) throws IOException {
        Path store = db.directory().resolve("artifacts");
        if (!Files.exists(store)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(store)) {
            return files.filter(Files::isRegularFile).filter(p -> !store.relativize(p).startsWith("tmp")).toList();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
