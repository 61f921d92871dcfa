package io.airlock.core.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlock.core.Airlock;
import io.airlock.core.TestInstallations;
import io.airlock.core.Widget;
import io.airlock.core.ingest.Ingest;
import io.airlock.core.ingest.IngestFile;
import io.airlock.core.repository.VersionRef;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ProgressListener;
import io.airlock.testing.TestDatabase;
import io.airlock.testing.TestHttpServer;
import io.airlock.testing.TestHttpServer.Fault;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("persistence")
final class VersionDownloadTest {

    private static final RemoteOptions FAST = RemoteOptions.defaults().retries(2, Duration.ofMillis(10))
            .timeouts(Duration.ofSeconds(5), Duration.ofSeconds(1));

    private static byte[] bytes(String name) {
        return ("the file of " + name).getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Widgets a, b, c whose files are served under files/, recorded on demand with their URLs (and {@code local} without). */
    private static void syncOnDemand(Airlock airlock, TestHttpServer server, Path served, List<String> local) throws IOException {
        Files.createDirectories(served.resolve("files"));
        for (String name : List.of("a", "b", "c")) {
            Files.write(served.resolve("files/" + name + ".bin"), bytes(name));
        }
        airlock.repositories().create("w", "test", null);
        airlock.ingest("w", Ingest.Mode.MIRROR, ProgressListener.NONE, sink -> {
            for (String name : List.of("a", "b", "c")) {
                sink.add(new Widget(name, 1), IngestFile.remote(name + ".bin", new RemoteFile(server.url("files/" + name + ".bin"),
                        "SHA-256", sha256(bytes(name)), OptionalLong.of(bytes(name).length))));
            }
            for (String name : local) {
                sink.add(new Widget(name, 1), IngestFile.onDemand(name + ".bin"));
            }
        });
    }

    private static List<String> storedFiles(Airlock airlock) throws IOException {
        List<String> files = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            if (airlock.artifacts().contains(sha256(bytes(name)))) {
                try (InputStream in = airlock.artifacts().open(sha256(bytes(name)))) {
                    files.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return files;
    }

    @Test
    void onDemandFilesAreDownloadedVerifiedStoredAndLinked() throws IOException {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db);
                TestHttpServer server = TestHttpServer.serve(db.path("served"))) {
            syncOnDemand(airlock, server, db.path("served"), List.of());

            VersionDownload.Result result = airlock.download(VersionRef.latest("w"), FAST, ProgressListener.NONE);

            assertThat(result).isEqualTo(new VersionDownload.Result(VersionRef.of("w", 1), 3, 3 * bytes("a").length, 0));
            assertThat(storedFiles(airlock)).containsExactly("the file of a", "the file of b", "the file of c");
            assertThat(TestInstallations.count(airlock, "select count(*) from ContentArtifact where artifactId is null")).isZero();
        }
    }

    @Test
    void aSecondDownloadFetchesNothing() throws IOException {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db);
                TestHttpServer server = TestHttpServer.serve(db.path("served"))) {
            syncOnDemand(airlock, server, db.path("served"), List.of());
            airlock.download(VersionRef.latest("w"), FAST, ProgressListener.NONE);
            long requests = server.requests();

            VersionDownload.Result again = airlock.download(VersionRef.latest("w"), FAST, ProgressListener.NONE);

            assertThat(again.downloaded()).isZero();
            assertThat(server.requests()).isEqualTo(requests);
        }
    }

    @Test
    void filesWithoutARemoteLocationAreRefusedNamingTheFirstAndTheCountBeforeAnyDownload() throws IOException {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db);
                TestHttpServer server = TestHttpServer.serve(db.path("served"))) {
            syncOnDemand(airlock, server, db.path("served"), List.of("y", "x"));

            assertThatThrownBy(() -> airlock.download(VersionRef.latest("w"), FAST, ProgressListener.NONE))
                    .isInstanceOfSatisfying(AirlockException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                    .hasMessage("2 on-demand files of w@1 have no remote location to download from, the first test.widget:x"
                            + " (file x.bin); sync it from a URL with the on-demand policy first");
            assertThat(server.requests()).isZero();
        }
    }

    @Test
    void aFailedDownloadNamesTheUnitAndUrlRecordsNothingAndCanBeRunAgain() throws IOException {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db);
                TestHttpServer server = TestHttpServer.serve(db.path("served"))) {
            syncOnDemand(airlock, server, db.path("served"), List.of());
            server.faults("files/b.bin", Fault.WRONG_BODY); // refused at once: a wrong body is not retried

            assertThatThrownBy(() -> airlock.download(VersionRef.latest("w"), FAST, ProgressListener.NONE))
                    .isInstanceOfSatisfying(AirlockException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH))
                    .hasMessageStartingWith("test.widget:b (file b.bin): " + server.url("files/b.bin") + ": the body's SHA-256 is ");
            // Nothing recorded; the files verified before the failure kept in the store for the next run.
            List<String> kept = storedFiles(airlock);
            assertThat(kept).doesNotContain("the file of b");
            assertThat(TestInstallations.count(airlock, "select count(*) from Artifact")).isZero();
            assertThat(airlock.workArea().root()).satisfiesAnyOf(p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyDirectory());

            VersionDownload.Result retried = airlock.download(VersionRef.latest("w"), FAST, ProgressListener.NONE);

            assertThat(retried.downloaded()).isEqualTo(3 - kept.size());
            assertThat(retried.alreadyStored()).isEqualTo(kept.size());
            assertThat(server.requests("files/b.bin")).isEqualTo(2);
            assertThat(storedFiles(airlock)).hasSize(3);
        }
    }

    @Test
    void cleanupRemovesTheRemoteLocationsWithTheirContent() throws IOException {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db);
                TestHttpServer server = TestHttpServer.serve(db.path("served"))) {
            syncOnDemand(airlock, server, db.path("served"), List.of());
            assertThat(TestInstallations.count(airlock, "select count(*) from RemoteArtifact")).isEqualTo(3);
            airlock.repositories().delete("w");

            airlock.cleanup(false);

            assertThat(TestInstallations.count(airlock, "select count(*) from RemoteArtifact")).isZero();
            assertThat(TestInstallations.count(airlock, "select count(*) from ContentArtifact")).isZero();
        }
    }
}
