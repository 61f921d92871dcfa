package io.airlock.plugin.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlock.core.Airlock;
import io.airlock.core.remote.DownloadPolicy;
import io.airlock.core.remote.RemoteOptions;
import io.airlock.core.repository.VersionRef;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ProgressListener;
import io.airlock.testing.Leftovers;
import io.airlock.testing.TestDatabase;
import io.airlock.testing.TestHttpServer;
import io.airlock.testing.TestHttpServer.Fault;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code file sync NAME URL}: a repository {@code file publish} wrote, served by a real HTTP server on 127.0.0.1. */
@Tag("persistence")
final class FileUrlSyncTest {

    private static final RemoteOptions FAST = RemoteOptions.defaults().retries(3, Duration.ofMillis(10))
            .timeouts(Duration.ofSeconds(5), Duration.ofSeconds(1));

    /** Files in folders, with a comma (a quoted manifest field) and a space (an encoded URL) in names. */
    private static Map<String, String> files() {
        Map<String, String> files = new TreeMap<>(FileTrees.files("isos/", 30));
        files.put("docs/read me, first.txt", "hello");
        files.put("empty", "");
        return files;
    }

    /** Publishes {@code files} from an installation of its own; returns the published folder. */
    private static Path published(TestDatabase db, Map<String, String> files) {
        try (TestDatabase upstream = TestDatabase.create(); Airlock airlock = FileRepositoriesTest.open(upstream)) {
            airlock.repositories().create("up", FilePlugin.NAME, null);
            FileRepositories repositories = new FileRepositories(airlock);
            repositories.sync("up", FileTrees.tree(upstream.path("tree"), files), ProgressListener.NONE);
            return repositories.publish(VersionRef.latest("up"), db.path("published")).directory();
        }
    }

    @Test
    void aUrlSyncHoldsExactlyThePublishedFiles() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = FileRepositoriesTest.open(db);
                TestHttpServer server = TestHttpServer.serve(published(db, files()))) {
            airlock.repositories().create("down", FilePlugin.NAME, null);

            new FileRepositories(airlock).sync("down", server.url(), FAST, DownloadPolicy.IMMEDIATE, ProgressListener.NONE);

            assertThat(FileTrees.versionContents(airlock, "down").get(1)).isEqualTo(FileTrees.keys(files()));
            assertThat(airlock.artifacts().contains(FileTrees.sha256("hello"))).isTrue();
            assertThat(server.requests()).isEqualTo(1 + files().size());
        }
    }

    @Test
    void aSecondSyncDownloadsOnlyTheManifest() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = FileRepositoriesTest.open(db);
                TestHttpServer server = TestHttpServer.serve(published(db, files()))) {
            airlock.repositories().create("down", FilePlugin.NAME, null);
            FileRepositories repositories = new FileRepositories(airlock);
            repositories.sync("down", server.url(), FAST, DownloadPolicy.IMMEDIATE, ProgressListener.NONE);
            long first = server.requests();

            assertThat(repositories.sync("down", server.url(), FAST, DownloadPolicy.IMMEDIATE, ProgressListener.NONE)).isEmpty();

            assertThat(server.requests() - first).isEqualTo(1);
        }
    }

    @Test
    void onDemandRecordsTheUrlsAndADownloadFetchesThem() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = FileRepositoriesTest.open(db);
                TestHttpServer server = TestHttpServer.serve(published(db, files()))) {
            airlock.repositories().create("down", FilePlugin.NAME, null);
            new FileRepositories(airlock).sync("down", server.url(), FAST, DownloadPolicy.ON_DEMAND, ProgressListener.NONE);
            assertThat(server.requests()).isEqualTo(1);
            assertThat(airlock.artifacts().contains(FileTrees.sha256("hello"))).isFalse();

            airlock.download(VersionRef.latest("down"), FAST, ProgressListener.NONE);

            assertThat(airlock.artifacts().contains(FileTrees.sha256("hello"))).isTrue();
            assertThat(server.requests("docs/read me, first.txt")).isEqualTo(1);
            assertThat(FileTrees.versionContents(airlock, "down").get(1)).isEqualTo(FileTrees.keys(files()));
        }
    }

    @Test
    void faultsAreRetriedAndTheSyncSucceeds() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = FileRepositoriesTest.open(db);
                TestHttpServer server = TestHttpServer.serve(published(db, files()))) {
            airlock.repositories().create("down", FilePlugin.NAME, null);
            server.faults("isos/f001.bin", Fault.DROP, Fault.ERROR_500).faults("isos/f002.bin", Fault.TRUNCATE)
                    .faults("isos/f003.bin", Fault.REDIRECT).faults(FileRepositories.MANIFEST, Fault.ERROR_500);

            new FileRepositories(airlock).sync("down", server.url(), FAST, DownloadPolicy.IMMEDIATE, ProgressListener.NONE);

            assertThat(FileTrees.versionContents(airlock, "down").get(1)).isEqualTo(FileTrees.keys(files()));
            assertThat(server.requests("isos/f001.bin")).isEqualTo(3);
        }
    }

    @Test
    void aFailedSyncKeepsWhatItDownloadedAndTheNextSyncFetchesOnlyTheRest() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = FileRepositoriesTest.open(db)) {
            Path published = published(db, files());
            airlock.repositories().create("down", FilePlugin.NAME, null);
            FileRepositories repositories = new FileRepositories(airlock);
            Leftovers before = leftovers(airlock, db.path("artifacts"));
            // One connection: downloads run in the manifest's order, those ahead of f007 are complete when it fails.
            RemoteOptions one = FAST.connections(1);
            try (TestHttpServer failing = TestHttpServer.serve(published)) {
                failing.always("isos/f007.bin", Fault.ERROR_500);

                assertThatThrownBy(() -> repositories.sync("down", failing.url(), one, DownloadPolicy.IMMEDIATE, ProgressListener.NONE))
                        .isInstanceOfSatisfying(AirlockException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_FAILURE))
                        .hasMessageStartingWith("file 'isos/f007.bin': ");
            }
            assertThat(leftovers(airlock, db.path("artifacts")).rows()).as("the database").isEqualTo(before.rows());
            List<String> kept = files().entrySet().stream().filter(f -> airlock.artifacts().contains(FileTrees.sha256(f.getValue())))
                    .map(Map.Entry::getKey).toList();
            assertThat(kept).isNotEmpty().doesNotContain("isos/f007.bin");

            try (TestHttpServer healthy = TestHttpServer.serve(published)) {
                repositories.sync("down", healthy.url(), one, DownloadPolicy.IMMEDIATE, ProgressListener.NONE);

                assertThat(healthy.requests()).isEqualTo(1 + files().size() - kept.size());
                assertThat(kept).allSatisfy(path -> assertThat(healthy.requests(path)).as(path).isZero());
                assertThat(healthy.requests("isos/f007.bin")).isEqualTo(1);
            }
            assertThat(FileTrees.versionContents(airlock, "down").get(1)).isEqualTo(FileTrees.keys(files()));
        }
    }

    @Test
    void aWrongFileIsRefusedNamingItAndItsUrlAndLeavesNothing() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = FileRepositoriesTest.open(db);
                TestHttpServer server = TestHttpServer.serve(published(db, files()))) {
            airlock.repositories().create("down", FilePlugin.NAME, null);
            server.always("isos/f007.bin", Fault.WRONG_BODY);
            Leftovers before = leftovers(airlock, db.path("artifacts"));

            assertThatThrownBy(() -> new FileRepositories(airlock).sync("down", server.url(), FAST, DownloadPolicy.IMMEDIATE,
                    ProgressListener.NONE))
                    .isInstanceOfSatisfying(AirlockException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH))
                    .hasMessageStartingWith("file 'isos/f007.bin': " + server.url("isos/f007.bin") + ": the body's SHA-256 is ");
            assertThat(leftovers(airlock, db.path("artifacts")).rows()).isEqualTo(before.rows());
            assertThat(airlock.artifacts().contains(FileTrees.sha256(files().get("isos/f007.bin")))).isFalse();
            // The files verified before the refusal stay for the next sync, until a cleanup removes them.
            airlock.cleanup(false);
            assertThat(leftovers(airlock, db.path("artifacts"))).isEqualTo(before);
            assertThat(airlock.repositories().versions("down")).hasSize(1);
        }
    }

    @Test
    void aBadManifestLineIsRefusedNamingIt() throws IOException {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = FileRepositoriesTest.open(db)) {
            Path served = Files.createDirectories(db.path("served"));
            Files.writeString(served.resolve(FileRepositories.MANIFEST), "a.bin," + FileTrees.sha256("a") + ",1\n../b.bin,"
                    + FileTrees.sha256("b") + ",1\n");
            airlock.repositories().create("down", FilePlugin.NAME, null);
            try (TestHttpServer server = TestHttpServer.serve(served)) {
                assertThatThrownBy(() -> new FileRepositories(airlock).sync("down", server.url(), FAST, DownloadPolicy.ON_DEMAND,
                        ProgressListener.NONE))
                        .isInstanceOfSatisfying(AirlockException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
                        .hasMessageStartingWith(server.url(FileRepositories.MANIFEST) + " line 2: ");
            }
            assertThat(airlock.repositories().versions("down")).hasSize(1);
        }
    }

    private static Leftovers leftovers(Airlock airlock, Path store) {
        try {
            Files.createDirectories(store.resolve("tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return airlock.inRolledBackTransaction(session -> session.doReturningWork(c -> Leftovers.of(c, store)));
    }
}
