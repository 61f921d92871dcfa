package io.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("persistence")
final class ExportImportCommandTest {

    @Test
    void fullThenIncrementalExportsCarryTheRepositoryAcrossTheGap() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create()) {
            Path input = Trees.write(up.path("input"), Trees.sample());
            Path usb = up.path("usb");
            Cli.ok(up, "repo", "create", "isos", "--type", "file");
            Cli.ok(up, "file", "add", "isos", input.toString());
            Cli.Result full = Cli.ok(up, "export", "isos", "--to", usb.toString(), "--name", "full", "--exporter", "usb",
                    "--chunk-size", "4K");
            Cli.ok(down, "import", usb.resolve("full-toc.json").toString(), "--create-repositories");
            Files.writeString(input.resolve("new.txt"), "new upstream");
            Files.delete(input.resolve("README.txt"));
            Cli.ok(up, "file", "sync", "isos", input.toString());

            Cli.Result incremental = Cli.ok(up, "export", "isos", "--to", usb.toString(), "--name", "delta",
                    "--exporter", "usb", "--incremental");
            Cli.Result imported = Cli.ok(down, "import", usb.resolve("delta-toc.json").toString());

            assertThat(full.out()).contains("exported isos@1 (full)");
            assertThat(incremental.out()).contains("exported isos@2 (incremental since 1)").contains("wrote 1 units");
            assertThat(imported.outLines().get(0)).isEqualTo("isos -> isos: version 2 (" + Trees.sample().size() + " units)");
            assertThat(Cli.ok(down, "repo", "content", "isos", "--json").outLines())
                    .containsExactlyInAnyOrderElementsOf(Cli.ok(up, "repo", "content", "isos", "--json").outLines());
        }
    }

    @Test
    void aSingleTarImportsIntoAMappedRepository() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create()) {
            Path input = Trees.write(up.path("input"), Trees.sample());
            Cli.ok(up, "repo", "create", "isos", "--type", "file");
            Cli.ok(up, "file", "add", "isos", input.toString());
            Cli.ok(up, "export", "isos@1", "--to", up.path("out").toString(), "--name", "one");
            Cli.ok(down, "repo", "create", "mirror", "--type", "file");

            Cli.Result imported = Cli.ok(down, "import", up.path("out").resolve("one.tar").toString(), "--map", "isos=mirror");

            assertThat(imported.outLines().get(0)).startsWith("isos -> mirror: version 1");
            assertThat(Cli.ok(down, "repo", "content", "mirror").outLines()).hasSize(Trees.sample().size());
        }
    }

    @Test
    void verifyPrintsWhatAnExportHolds() throws IOException {
        try (TestDatabase up = TestDatabase.create()) {
            Path input = Trees.write(up.path("input"), Trees.sample());
            Cli.ok(up, "repo", "create", "isos", "--type", "file");
            Cli.ok(up, "file", "add", "isos", input.toString());
            Cli.ok(up, "export", "isos", "--to", up.path("out").toString(), "--name", "x");

            Cli.Result verified = Cli.run("verify", up.path("out").resolve("x-toc.json").toString());

            assertThat(verified.exitCode()).isZero();
            assertThat(verified.out()).contains("repository isos@1 (file, full): " + Trees.sample().size() + " units")
                    .contains("content file.file: " + Trees.sample().size() + " rows")
                    .contains("ok: every check passed");
        }
    }

    @Test
    void verifyAndImportRefuseAFilePlantedOnAUnitInOneLine() throws IOException, java.sql.SQLException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create()) {
            Path input = Trees.write(up.path("input"), java.util.Map.of(
                    "a.iso", "the real iso".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    "planted.sh", "echo planted".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            Cli.ok(up, "repo", "create", "isos", "--type", "file");
            Cli.ok(up, "file", "add", "isos", input.toString());
            // A hostile exporter: a.iso's link now names planted.sh's bytes.
            try (java.sql.Connection connection = up.connect(); java.sql.Statement sql = connection.createStatement()) {
                assertThat(sql.executeUpdate("update content_artifact set artifact_id = (select artifact_id from content_artifact"
                        + " where relative_path = 'planted.sh') where relative_path = 'a.iso'")).isEqualTo(1);
            }
            Cli.ok(up, "export", "isos", "--to", up.path("out").toString(), "--name", "x");
            String toc = up.path("out").resolve("x-toc.json").toString();
            Cli.ok(down, "repo", "create", "isos", "--type", "file");
            List<String> versionsBefore = Cli.ok(down, "repo", "versions", "isos").outLines();

            Cli.Result verified = Cli.run("verify", toc);
            Cli.Result imported = Cli.run(down, "import", toc);

            for (Cli.Result refused : List.of(verified, imported)) {
                assertThat(refused.exitCode()).isEqualTo(1);
                assertThat(refused.errLines()).singleElement().asString()
                        .startsWith("error: export " + toc + ", content_artifacts.jsonl, line ")
                        .contains(": file 'a.iso' of file.file:a.iso has SHA-256 ")
                        .contains(", but the unit's own SHA-256 is ");
            }
            assertThat(Cli.ok(down, "repo", "versions", "isos").outLines()).isEqualTo(versionsBefore);
        }
    }

    @Test
    void verifyRefusesAChangedByteOnOneLineNamingTheFile() throws IOException {
        try (TestDatabase up = TestDatabase.create()) {
            Path input = Trees.write(up.path("input"), Trees.sample());
            Cli.ok(up, "repo", "create", "isos", "--type", "file");
            Cli.ok(up, "file", "add", "isos", input.toString());
            Cli.ok(up, "export", "isos", "--to", up.path("out").toString(), "--name", "x");
            Path tar = up.path("out").resolve("x.tar");
            byte[] bytes = Files.readAllBytes(tar);
            bytes[bytes.length / 2] ^= 1;
            Files.write(tar, bytes);

            Cli.Result verified = Cli.run("verify", up.path("out").resolve("x-toc.json").toString());

            assertThat(verified.exitCode()).isEqualTo(1);
            assertThat(verified.errLines()).singleElement().asString()
                    .startsWith("error: ").contains("x.tar has sha256 ").contains("but the table of contents gives");
        }
    }

    @Test
    void aMissingDestinationIsRefusedAndNothingIsCreated() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create()) {
            Path input = Trees.write(up.path("input"), Trees.sample());
            Cli.ok(up, "repo", "create", "isos", "--type", "file");
            Cli.ok(up, "file", "add", "isos", input.toString());
            Cli.ok(up, "export", "isos", "--to", up.path("out").toString(), "--name", "x");

            Cli.Result refused = Cli.run(down, "import", up.path("out").resolve("x-toc.json").toString());

            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.errLines()).containsExactly("error: destination repository 'isos' does not exist;"
                    + " create it, map it with --map isos=NAME, or pass --create-repositories");
            assertThat(Cli.ok(down, "repo", "list").outLines()).hasSize(1); // the header only
            assertThat(storeFiles(down)).isEmpty();
        }
    }

    @Test
    void dryRunsChangeNothing() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create()) {
            Path input = Trees.write(up.path("input"), Trees.sample());
            Cli.ok(up, "repo", "create", "isos", "--type", "file");
            Cli.ok(up, "file", "add", "isos", input.toString());

            Cli.Result plan = Cli.ok(up, "export", "isos", "--to", up.path("dry").toString(), "--dry-run");
            Cli.ok(up, "export", "isos", "--to", up.path("out").toString(), "--name", "x");
            Cli.Result wouldImport = Cli.ok(down, "import", up.path("out").resolve("x-toc.json").toString(),
                    "--create-repositories", "--dry-run");

            assertThat(plan.out()).contains("would export isos@1").contains("would write " + Trees.sample().size() + " units");
            assertThat(up.path("dry")).doesNotExist();
            assertThat(wouldImport.out()).contains("would create version 1").contains("dry run, nothing changed");
            assertThat(Cli.ok(down, "repo", "list").outLines()).hasSize(1);
            assertThat(storeFiles(down)).isEmpty();
        }
    }

    @Test
    void aDriftedDestinationRefusesADeltaAndTakesAFullMembershipExport() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create()) {
            Path input = Trees.write(up.path("input"), Trees.sample());
            Path usb = up.path("usb");
            Cli.ok(up, "repo", "create", "isos", "--type", "file");
            Cli.ok(up, "file", "add", "isos", input.toString());
            Cli.ok(up, "export", "isos", "--to", usb.toString(), "--name", "full", "--exporter", "usb");
            Cli.ok(down, "import", usb.resolve("full-toc.json").toString(), "--create-repositories");
            Files.writeString(input.resolve("new.txt"), "new upstream");
            Cli.ok(up, "file", "sync", "isos", input.toString());
            Cli.ok(up, "export", "isos", "--to", usb.toString(), "--name", "delta", "--since", "isos@1");
            Cli.ok(up, "export", "isos", "--to", usb.toString(), "--name", "whole", "--since", "isos@1", "--full-membership");
            Path local = Trees.write(down.path("local"),
                    java.util.Map.of("local.txt", "only downstream".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            Cli.ok(down, "file", "add", "isos", local.toString());

            Cli.Result refused = Cli.run(down, "import", usb.resolve("delta-toc.json").toString());
            Cli.Result imported = Cli.ok(down, "import", usb.resolve("whole-toc.json").toString());

            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.errLines()).containsExactly("error: export " + usb.resolve("delta-toc.json") + " holds isos@2 as"
                    + " changes to its version 1 (" + Trees.sample().size() + " units), but destination repository 'isos' does not"
                    + " hold that version's units (its latest version 2 has " + (Trees.sample().size() + 1) + " units);"
                    + " import the full export, or an export made with --full-membership");
            assertThat(imported.outLines().get(0)).isEqualTo("isos -> isos: version 3 (" + (Trees.sample().size() + 1) + " units)");
            assertThat(Cli.ok(down, "repo", "content", "isos", "--json").outLines())
                    .containsExactlyInAnyOrderElementsOf(Cli.ok(up, "repo", "content", "isos", "--json").outLines());
        }
    }

    @Test
    void fullMembershipWithoutAnIncrementalExportIsAUsageError() {
        Cli.Result result = Cli.run("export", "isos", "--to", "/tmp/x", "--full-membership");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--full-membership needs --incremental or --since");
    }

    @Test
    void aChunkSizeThatIsNotASizeIsAUsageError() {
        Cli.Result result = Cli.run("export", "isos", "--to", "/tmp/x", "--chunk-size", "lots");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("'lots' is not a size");
    }

    @Test
    void theDemoTellsTheWholeStoryAndSucceeds() {
        Cli.Result demo = Cli.run("demo");

        assertThat(demo.exitCode()).isZero();
        assertThat(demo.out()).contains("both sides' content is equal: true")
                .contains("nothing changed: importing an export twice is a no-op")
                .endsWith("demo finished: the air-gapped side mirrors the connected side" + System.lineSeparator());
    }

    private static List<Path> storeFiles(TestDatabase db) throws IOException {
        Path store = db.directory().resolve("artifacts");
        if (!Files.exists(store)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(store)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

}
