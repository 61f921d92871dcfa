package io.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.airlock.testing.TestDatabase;
import io.airlock.testing.TestHttpServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("persistence")
final class FileSyncTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void syncRemovesADeletedFile() throws IOException {
        try (TestDatabase db = TestDatabase.create()) {
            Map<String, byte[]> files = Trees.sample();
            Path input = Trees.write(db.path("input"), files);
            Cli.ok(db, "repo", "create", "isos", "--type", "file");
            Cli.ok(db, "file", "sync", "isos", input.toString());
            Files.delete(input.resolve("README.txt"));

            Cli.Result sync = Cli.ok(db, "file", "sync", "isos", input.toString());

            assertThat(sync.out().strip()).isEqualTo("created version 2 of isos: " + (files.size() - 1) + " units (+0 -1)");
            assertThat(Cli.ok(db, "repo", "content", "isos").outLines())
                    .hasSize(files.size() - 1)
                    .doesNotContain("file.file:README.txt");
        }
    }

    @Test
    void versionsJsonShowsTheCountsOfEachVersion() throws IOException {
        try (TestDatabase db = TestDatabase.create()) {
            Map<String, byte[]> files = Trees.sample();
            Path input = Trees.write(db.path("input"), files);
            Cli.ok(db, "repo", "create", "isos", "--type", "file");
            Cli.ok(db, "file", "sync", "isos", input.toString());
            Files.delete(input.resolve("README.txt"));
            Cli.ok(db, "file", "sync", "isos", input.toString());

            Cli.Result versions = Cli.ok(db, "repo", "versions", "isos", "--json");

            List<List<Integer>> counts = new ArrayList<>();
            for (String line : versions.outLines()) {
                JsonNode version = JSON.readTree(line);
                counts.add(List.of(version.get("number").asInt(), version.get("content_count").asInt(),
                        version.get("added").asInt(), version.get("removed").asInt()));
            }
            int n = files.size();
            assertThat(counts).containsExactly(List.of(0, 0, 0, 0), List.of(1, n, n, 0), List.of(2, n - 1, 0, 1));
        }
    }

    @Test
    void syncFromThePublicationOfAnotherInstallationOverHttp() throws IOException {
        try (TestDatabase upstream = TestDatabase.create(); TestDatabase db = TestDatabase.create()) {
            Map<String, byte[]> files = Trees.sample();
            Cli.ok(upstream, "repo", "create", "isos", "--type", "file");
            Cli.ok(upstream, "file", "sync", "isos", Trees.write(upstream.path("input"), files).toString());
            Cli.ok(upstream, "file", "publish", "isos", upstream.path("published").toString());
            Cli.ok(db, "repo", "create", "isos", "--type", "file");
            try (TestHttpServer server = TestHttpServer.serve(upstream.path("published"))) {

                Cli.Result sync = Cli.ok(db, "file", "sync", "isos", server.url().toString(), "--connections", "3");
                Cli.Result again = Cli.ok(db, "file", "sync", "isos", server.url().toString());

                assertThat(sync.out().strip()).isEqualTo("created version 1 of isos: " + files.size() + " units (+" + files.size()
                        + " -0)");
                assertThat(again.out().strip()).isEqualTo("no change: isos is already at version 1");
                assertThat(server.requests()).isEqualTo(1 + files.size() + 1);
                // Listed by unit id, whose order is random among units created in one millisecond.
                assertThat(Cli.ok(db, "repo", "content", "isos").outLines())
                        .containsExactlyInAnyOrderElementsOf(Cli.ok(upstream, "repo", "content", "isos").outLines());
            }
        }
    }
}
