package io.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.testing.RpmFixture;
import io.airlock.testing.SharedData;
import io.airlock.testing.TestDatabase;
import io.airlock.testing.TestHttpServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code rpm sync NAME URL --policy on-demand}, {@code download} and {@code export --download} against a real HTTP server. */
@Tag("persistence")
final class DownloadCommandTest {

    @Test
    void downloadFetchesTheOnDemandFilesOnceAndTheExportCarriesThem() {
        try (TestDatabase db = TestDatabase.create()) {
            Path fixture = RpmFixture.build(db.path("fixture"));
            try (TestHttpServer server = TestHttpServer.serve(fixture)) {
                Cli.ok(db, "repo", "create", "el", "--type", "rpm");
                Cli.ok(db, "rpm", "sync", "el", server.url().toString(), "--policy", "on-demand");
                Cli.Result refused = Cli.run(db, "export", "el", "--to", db.path("refused").toString());

                Cli.Result download = Cli.ok(db, "download", "el", "--connections", "2");
                Cli.Result again = Cli.ok(db, "download", "el@1");
                Cli.Result export = Cli.ok(db, "export", "el", "--to", db.path("export").toString());

                assertThat(refused.exitCode()).isEqualTo(1);
                assertThat(download.outLines()).singleElement().asString()
                        .matches("el@1: downloaded " + RpmFixture.PACKAGES.size() + " files \\(.*\\), 0 already stored; .* s");
                assertThat(again.outLines()).singleElement().asString().startsWith("el@1: downloaded 0 files (0 B), 0 already stored;");
                // the packages and the fixture's productid file (a repo_metadata_file, stored by the sync itself)
                assertThat(export.outLines().get(1)).contains(", " + (RpmFixture.PACKAGES.size() + 1) + " artifacts (");
            }
        }
    }

    @Test
    void exportWithDownloadFetchesWhatTheExportNeedsFirst() {
        try (TestDatabase db = TestDatabase.create()) {
            Path fixture = RpmFixture.build(db.path("fixture"));
            try (TestHttpServer server = TestHttpServer.serve(fixture)) {
                Cli.ok(db, "repo", "create", "el", "--type", "rpm");
                Cli.ok(db, "rpm", "sync", "el", server.url().toString(), "--policy", "on-demand");

                Cli.Result export = Cli.ok(db, "export", "el", "--to", db.path("export").toString(), "--download");

                assertThat(export.outLines().get(0)).startsWith("el@1: downloaded " + RpmFixture.PACKAGES.size() + " files (");
                assertThat(export.outLines().get(2)).contains(", " + (RpmFixture.PACKAGES.size() + 1) + " artifacts (");
            }
        }
    }

    @Test
    void downloadOfFilesWithoutAUrlNamesTheFirstAndTheCount() {
        try (TestDatabase db = TestDatabase.create()) {
            Cli.ok(db, "repo", "create", "baseos", "--type", "rpm");
            Cli.ok(db, "rpm", "sync", "baseos", SharedData.require("cs9-baseos").toString());

            Cli.Result download = Cli.run(db, "download", "baseos");

            assertThat(download.exitCode()).isEqualTo(1);
            assertThat(download.errLines()).singleElement().asString().matches("error: 1,125 on-demand files of baseos@1 have no"
                    + " remote location to download from, the first rpm\\.package:\\S+ \\(file Packages/\\S+\\.rpm\\); sync it from"
                    + " a URL with the on-demand policy first");
        }
    }
}
