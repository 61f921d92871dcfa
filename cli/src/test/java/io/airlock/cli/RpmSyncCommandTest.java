package io.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.airlock.testing.SharedData;
import io.airlock.testing.TestDatabase;
import io.airlock.testing.TestHttpServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("persistence")
final class RpmSyncCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void syncReportsTheVersionAndWhatItRead() {
        try (TestDatabase db = TestDatabase.create()) {
            Cli.ok(db, "repo", "create", "baseos", "--type", "rpm");

            Cli.Result sync = Cli.ok(db, "rpm", "sync", "baseos", SharedData.require("cs9-baseos").toString());

            assertThat(sync.outLines().get(0)).isEqualTo("created version 1 of baseos: 1167 units (+1167 -0)");
            assertThat(sync.outLines().get(1)).startsWith("read 1125 rpm.package, 4 rpm.packagecategory, "
                    + "3 rpm.packageenvironment, 34 rpm.packagegroup, 1 rpm.repo_metadata; 0 package files stored, 1125 on demand;");
        }
    }

    @Test
    void contentAsJsonShowsPackageLabelsAndNaturalKeys() throws IOException {
        try (TestDatabase db = TestDatabase.create()) {
            Cli.ok(db, "repo", "create", "baseos", "--type", "rpm");
            Cli.ok(db, "rpm", "sync", "baseos", SharedData.require("cs9-baseos").toString());

            List<String> lines = Cli.ok(db, "repo", "content", "baseos", "--type", "rpm.package", "--json").outLines();

            assertThat(lines).hasSize(1125);
            List<JsonNode> bash = new ArrayList<>();
            for (String line : lines) {
                JsonNode unit = JSON.readTree(line);
                if (unit.get("label").asText().startsWith("bash-5")) {
                    bash.add(unit);
                }
            }
            assertThat(bash).singleElement().satisfies(unit -> {
                assertThat(unit.get("type").asText()).isEqualTo("rpm.package");
                assertThat(unit.get("label").asText()).isEqualTo("bash-5.1.8-2.el9.x86_64");
                JsonNode key = unit.get("key");
                assertThat(key.get("name").asText()).isEqualTo("bash");
                assertThat(key.get("epoch").asText()).isEqualTo("0");
                assertThat(key.get("arch").asText()).isEqualTo("x86_64");
                assertThat(key.get("checksumType").asText()).isEqualTo("sha256");
                assertThat(key.get("pkgId").asText()).hasSize(64);
            });
        }
    }

    @Test
    void aDirectoryWithoutRepodataIsRefusedWithOneLine() {
        try (TestDatabase db = TestDatabase.create()) {
            Cli.ok(db, "repo", "create", "r", "--type", "rpm");

            Cli.Result sync = Cli.run(db, "rpm", "sync", "r", db.directory().toString());

            assertThat(sync.exitCode()).isEqualTo(1);
            assertThat(sync.errLines()).singleElement().asString()
                    .startsWith("error: ").contains("is not a yum repository: repodata/repomd.xml is missing");
            assertThat(Cli.ok(db, "repo", "versions", "r").outLines()).hasSize(2); // the header and version 0
        }
    }

    @Test
    void aSymlinkedRepodataIsRefusedWithOneLineEvenWhenFollowingLinks() throws IOException {
        try (TestDatabase db = TestDatabase.create()) {
            Cli.ok(db, "repo", "create", "r", "--type", "rpm");
            java.nio.file.Path repo = java.nio.file.Files.createDirectories(db.path("yum"));
            java.nio.file.Files.createSymbolicLink(repo.resolve("repodata"), SharedData.require("cs9-baseos").resolve("repodata"));

            Cli.Result refused = Cli.run(db, "rpm", "sync", "r", repo.toString());
            Cli.Result followed = Cli.run(db, "rpm", "sync", "r", repo.toString(), "--follow-symlinks");

            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.errLines()).singleElement().asString()
                    .isEqualTo("error: " + repo.resolve("repodata") + " is a symbolic link: refused (--follow-symlinks follows"
                            + " links that stay inside " + repo + ")");
            assertThat(followed.exitCode()).isEqualTo(1);
            assertThat(followed.errLines()).singleElement().asString()
                    .startsWith("error: " + repo.resolve("repodata") + " is a symbolic link to ").endsWith(", outside " + repo + ": refused");
            assertThat(Cli.ok(db, "repo", "versions", "r").outLines()).hasSize(2);
        }
    }

    @Test
    void syncFromAUrlOnDemandReportsWhatItDownloaded() {
        try (TestDatabase db = TestDatabase.create();
                TestHttpServer server = TestHttpServer.serve(SharedData.require("cs9-baseos"))) {
            Cli.ok(db, "repo", "create", "baseos", "--type", "rpm");

            Cli.Result sync = Cli.ok(db, "rpm", "sync", "baseos", server.url().toString(), "--policy", "on-demand",
                    "--connections", "4");

            assertThat(sync.outLines().get(0)).isEqualTo("created version 1 of baseos: 1167 units (+1167 -0)");
            assertThat(sync.outLines().get(1)).startsWith("read 1125 rpm.package, 4 rpm.packagecategory, "
                    + "3 rpm.packageenvironment, 34 rpm.packagegroup, 1 rpm.repo_metadata; 0 package files stored, 1125 on demand;"
                    + " downloaded 4 files (");
            assertThat(sync.errLines()).singleElement().asString().startsWith("warning: other metadata repodata/");
        }
    }

    @Test
    void syncFromAUrlThatIsNoRepositoryIsOneErrorLine() {
        try (TestDatabase db = TestDatabase.create(); TestHttpServer server = TestHttpServer.serve(db.path("empty"))) {
            Cli.ok(db, "repo", "create", "r", "--type", "rpm");

            Cli.Result sync = Cli.run(db, "rpm", "sync", "r", server.url().toString());

            assertThat(sync.exitCode()).isEqualTo(1);
            assertThat(sync.errLines()).containsExactly("error: " + server.url() + " is not a yum repository: "
                    + server.url("repodata/repomd.xml") + " is not found");
        }
    }

    @Test
    void downloadOptionsWithADirectoryAndOtherSchemesAreUsageErrors() {
        try (TestDatabase db = TestDatabase.create()) {
            Cli.ok(db, "repo", "create", "r", "--type", "rpm");

            Cli.Result policy = Cli.run(db, "rpm", "sync", "r", db.path("dir").toString(), "--policy", "on-demand");
            Cli.Result ftp = Cli.run(db, "rpm", "sync", "r", "ftp://mirror/repo");
            Cli.Result badPolicy = Cli.run(db, "rpm", "sync", "r", "https://mirror/repo", "--policy", "lazy");

            assertThat(policy.exitCode()).isEqualTo(2);
            assertThat(policy.errLines().get(0)).isEqualTo("--policy and the download options apply to URLs only");
            assertThat(ftp.exitCode()).isEqualTo(2);
            assertThat(ftp.errLines().get(0)).isEqualTo("only http:// and https:// URLs can be synced from, not ftp://");
            assertThat(badPolicy.exitCode()).isEqualTo(2);
            assertThat(badPolicy.errLines().get(0)).isEqualTo("Invalid value for option '--policy': 'lazy' (expected immediate or on-demand)");
        }
    }
}
