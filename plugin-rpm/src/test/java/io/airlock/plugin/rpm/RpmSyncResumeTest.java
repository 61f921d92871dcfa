package io.airlock.plugin.rpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlock.core.Airlock;
import io.airlock.core.remote.DownloadPolicy;
import io.airlock.core.remote.DownloadedFiles;
import io.airlock.core.remote.RemoteOptions;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ProgressListener;
import io.airlock.testing.RpmFixture;
import io.airlock.testing.TestDatabase;
import io.airlock.testing.TestHttpServer;
import io.airlock.testing.TestHttpServer.Fault;
import io.airlock.testing.Tools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * URL syncs of a repository whose primary.xml gives sha512 checksums ({@code createrepo_c
 * --checksum sha512}): what is stored is not downloaded again, by a later sync or after a failed one.
 */
@Tag("persistence")
final class RpmSyncResumeTest {

    private static final RemoteOptions FAST = RemoteOptions.defaults().retries(3, Duration.ofMillis(10))
            .timeouts(Duration.ofSeconds(5), Duration.ofSeconds(1));

    @Test
    void aSecondSyncOfASha512RepositoryDownloadsNoPackage() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            Path repository = sha512Repository(db.path("fixture"));
            airlock.repositories().create("r", RpmPlugin.NAME, null);
            RpmRepositories rpm = new RpmRepositories(airlock);
            try (TestHttpServer server = TestHttpServer.serve(repository)) {
                rpm.sync("r", server.url(), FAST, DownloadPolicy.IMMEDIATE, ProgressListener.NONE);
                assertThat(packageRequests(server, repository)).isEqualTo(RpmFixture.PACKAGES.size());

                RpmRepositories.SyncResult again = rpm.sync("r", server.url(), FAST, DownloadPolicy.IMMEDIATE, ProgressListener.NONE);

                assertThat(again.version()).isEmpty();
                assertThat(packageRequests(server, repository)).isEqualTo(RpmFixture.PACKAGES.size());
            }
        }
    }

    @Test
    void aFailedSyncKeepsItsVerifiedPackagesAndTheNextDownloadsOnlyTheOthers() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            Path repository = sha512Repository(db.path("fixture"));
            List<String> packages = packages(repository);
            String failing = packages.get(packages.size() - 1);
            airlock.repositories().create("r", RpmPlugin.NAME, null);
            RpmRepositories rpm = new RpmRepositories(airlock);
            try (TestHttpServer server = TestHttpServer.serve(repository)) {
                server.always(failing, Fault.ERROR_500);
                // One connection: the packages are downloaded in primary's order, the others before the failing one.
                assertThatThrownBy(() -> rpm.sync("r", server.url(), FAST.connections(1), DownloadPolicy.IMMEDIATE,
                        ProgressListener.NONE))
                        .isInstanceOfSatisfying(AirlockException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_FAILURE))
                        .hasMessageContaining(failing);
            }
            assertThat(airlock.repositories().versions("r")).hasSize(1);

            try (TestHttpServer healthy = TestHttpServer.serve(repository)) {
                RpmRepositories.SyncResult result = rpm.sync("r", healthy.url(), FAST, DownloadPolicy.IMMEDIATE,
                        ProgressListener.NONE);

                assertThat(result.version()).isPresent();
                assertThat(result.artifacts()).isEqualTo(RpmFixture.PACKAGES.size());
                assertThat(healthy.requests(failing)).isEqualTo(1);
                assertThat(packageRequests(healthy, repository)).isEqualTo(1);
            }
        }
    }

    @Test
    void aCleanupRemovesTheDigestEntriesOfTheFilesItRemoves() throws IOException {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            Path repository = sha512Repository(db.path("fixture"));
            Path digests = db.path("home").resolve("artifacts").resolve(DownloadedFiles.DIGESTS);
            airlock.repositories().create("r", RpmPlugin.NAME, null);
            try (TestHttpServer server = TestHttpServer.serve(repository)) {
                new RpmRepositories(airlock).sync("r", server.url(), FAST, DownloadPolicy.IMMEDIATE, ProgressListener.NONE);
            }
            assertThat(entries(digests)).hasSize(RpmFixture.PACKAGES.size());
            airlock.cleanup(false);
            assertThat(entries(digests)).as("files still stored keep their entries").hasSize(RpmFixture.PACKAGES.size());
            airlock.repositories().delete("r");

            airlock.cleanup(false);

            assertThat(entries(digests)).isEmpty();
        }
    }

    private static List<Path> entries(Path digests) throws IOException {
        try (Stream<Path> files = Files.walk(digests)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    /** RpmFixture's packages in a repository whose metadata checksums are sha512. */
    private static Path sha512Repository(Path directory) {
        Path repository = RpmFixture.build(directory);
        Tools.ok(directory, Map.of(), List.of("createrepo_c", "--quiet", "--no-database", "--checksum", "sha512",
                repository.toString()));
        try {
            String primary;
            try (Stream<Path> files = Files.list(repository.resolve("repodata"))) {
                primary = files.filter(f -> f.getFileName().toString().endsWith("primary.xml.gz")).findFirst().orElseThrow()
                        .toString();
            }
            assertThat(primary).as("the metadata is named by its sha512").matches(".*/[0-9a-f]{128}-primary\\.xml\\.gz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return repository;
    }

    private static List<String> packages(Path repository) {
        try (Stream<Path> files = Files.list(repository.resolve("Packages"))) {
            return files.map(f -> "Packages/" + f.getFileName()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long packageRequests(TestHttpServer server, Path repository) {
        return packages(repository).stream().mapToLong(server::requests).sum();
    }
}
