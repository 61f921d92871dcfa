package io.airlock.plugin.rpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlock.core.Airlock;
import io.airlock.core.content.ContentFiles;
import io.airlock.core.content.ContentWriter.UnitFile;
import io.airlock.core.remote.DownloadPolicy;
import io.airlock.core.remote.RemoteOptions;
import io.airlock.core.repository.VersionRef;
import io.airlock.spi.AirlockException;
import io.airlock.spi.Content;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ProgressListener;
import io.airlock.testing.Leftovers;
import io.airlock.testing.SharedData;
import io.airlock.testing.TestDatabase;
import io.airlock.testing.TestHttpServer;
import io.airlock.testing.TestHttpServer.Fault;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code rpm sync NAME URL} against a real HTTP server on 127.0.0.1 serving fixture trees and the CS9 metadata. */
@Tag("persistence")
final class RpmUrlSyncTest {

    /** Quick retries and a short read timeout, so injected faults cost little time. */
    private static final RemoteOptions FAST = RemoteOptions.defaults().retries(3, Duration.ofMillis(10))
            .timeouts(Duration.ofSeconds(5), Duration.ofSeconds(1));

    private static final YumRepo.Pkg GLIBC = YumRepo.Pkg.of("glibc", "2.34", "60.el9", "x86_64");

    /** Three packages with their files, their file lists and changelogs, advisories, modules and comps. */
    private static YumRepo tree() {
        return new YumRepo().add(RpmRoundTripTest.BASH, RpmRoundTripTest.NGINX, GLIBC)
                .details(RpmRoundTripTest.BASH, RpmRoundTripTest.BASH_FILES, RpmRoundTripTest.BASH_CHANGELOG)
                .details(RpmRoundTripTest.NGINX, "  <file>/usr/sbin/nginx</file>\n", "")
                .metadata("updateinfo", YumRepo.UPDATEINFO)
                .metadata("modules", YumRepo.MODULES)
                .metadata("group", YumRepo.COMPS);
    }

    @Test
    void aUrlSyncEqualsTheDirectorySyncOfTheSameTree() {
        try (TestDatabase db = TestDatabase.create(); TestDatabase other = TestDatabase.create();
                Airlock byUrl = RpmTests.open(db); Airlock byDirectory = RpmTests.open(other)) {
            Path tree = tree().write(db.path("tree"));
            byUrl.repositories().create("r", RpmPlugin.NAME, null);
            byDirectory.repositories().create("r", RpmPlugin.NAME, null);
            RpmRepositories.SyncResult fromDirectory = new RpmRepositories(byDirectory).sync("r", tree, ProgressListener.NONE);

            RpmRepositories.SyncResult fromUrl;
            try (TestHttpServer server = TestHttpServer.serve(tree)) {
                fromUrl = new RpmRepositories(byUrl).sync("r", server.url(), FAST, DownloadPolicy.IMMEDIATE, ProgressListener.NONE);
            }

            assertThat(fromUrl.units()).isEqualTo(fromDirectory.units());
            assertThat(fromUrl.artifacts()).isEqualTo(fromDirectory.artifacts()).isEqualTo(3);
            assertThat(fromUrl.downloads()).isEqualTo(3 + 7); // the packages, repomd.xml and the six files it lists
            assertThat(content(byUrl, "r")).isEqualTo(content(byDirectory, "r")).hasSize(fromDirectory.units().values().stream()
                    .mapToInt(Long::intValue).sum());
        }
    }

    @Test
    void aPackageTakenFromXmlBaseIsDownloadedFromThere() throws IOException {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            Path tree = new YumRepo().add(RpmRoundTripTest.BASH).compression("").write(db.path("tree"));
            Path primary;
            try (var files = Files.list(tree.resolve("repodata"))) {
                primary = files.filter(f -> f.getFileName().toString().endsWith("primary.xml")).findFirst().orElseThrow();
            }
            try (TestHttpServer packages = TestHttpServer.serve(tree); TestHttpServer metadata = TestHttpServer.serve(tree)) {
                String xml = Files.readString(primary).replace("<location href=", "<location xml:base=\"" + packages.url()
                        + "\" href=");
                byte[] bytes = xml.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                String oldSha = YumRepo.sha256(Files.readAllBytes(primary));
                Files.write(primary, bytes);
                Path repomd = tree.resolve("repodata/repomd.xml");
                Files.writeString(repomd, Files.readString(repomd).replace(oldSha + "</checksum>", YumRepo.sha256(bytes) + "</checksum>"));
                airlock.repositories().create("r", RpmPlugin.NAME, null);

                RpmRepositories.SyncResult result = new RpmRepositories(airlock).sync("r", metadata.url(), FAST,
                        DownloadPolicy.IMMEDIATE, ProgressListener.NONE);

                assertThat(result.artifacts()).isEqualTo(1);
                assertThat(packages.requests(RpmRoundTripTest.BASH.href())).isEqualTo(1);
                assertThat(metadata.requests(RpmRoundTripTest.BASH.href())).isZero();
            }
        }
    }

    @Test
    void cs9MetadataOnDemandEqualsTheDirectorySyncAndRemembersEachPackagesUrl() {
        Path baseos = SharedData.require("cs9-baseos");
        try (TestDatabase db = TestDatabase.create(); TestDatabase other = TestDatabase.create();
                Airlock byUrl = RpmTests.open(db); Airlock byDirectory = RpmTests.open(other);
                TestHttpServer server = TestHttpServer.serve(baseos)) {
            byUrl.repositories().create("baseos", RpmPlugin.NAME, null);
            byDirectory.repositories().create("baseos", RpmPlugin.NAME, null);
            RpmRepositories.SyncResult fromDirectory = new RpmRepositories(byDirectory).sync("baseos", baseos, ProgressListener.NONE);

            RpmRepositories.SyncResult fromUrl = new RpmRepositories(byUrl).sync("baseos", server.url(), FAST,
                    DownloadPolicy.ON_DEMAND, ProgressListener.NONE);

            assertThat(fromUrl.units()).isEqualTo(fromDirectory.units());
            assertThat(fromUrl.onDemand()).isEqualTo(1125);
            assertThat(fromUrl.warnings()).isEqualTo(fromDirectory.warnings());
            assertThat(content(byUrl, "baseos")).isEqualTo(content(byDirectory, "baseos"));
            List<String> urls = byUrl.inTransaction(session -> session.createSelectionQuery(
                    "select r.url from RemoteArtifact r order by r.url", String.class).getResultList());
            assertThat(urls).hasSize(1125).allMatch(u -> u.startsWith(server.url() + "Packages/") && u.endsWith(".rpm"));
            assertThat(server.requests()).isEqualTo(1 + 5); // repomd.xml and the five files it lists (other.xml is missing)
        }
    }

    @Test
    void aSecondSyncDownloadsNoPackage() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            Path tree = tree().write(db.path("tree"));
            airlock.repositories().create("r", RpmPlugin.NAME, null);
            try (TestHttpServer server = TestHttpServer.serve(tree)) {
                RpmRepositories rpm = new RpmRepositories(airlock);
                rpm.sync("r", server.url(), FAST, DownloadPolicy.IMMEDIATE, ProgressListener.NONE);
                long first = server.requests();

                RpmRepositories.SyncResult again = rpm.sync("r", server.url(), FAST, DownloadPolicy.IMMEDIATE, ProgressListener.NONE);

                assertThat(again.version()).isEmpty();
                assertThat(again.artifacts()).isEqualTo(3);
                assertThat(server.requests() - first).isEqualTo(7); // the metadata only
                assertThat(server.requests(RpmRoundTripTest.BASH.href())).isEqualTo(1);
            }
        }
    }

    @Test
    void droppedConnectionsErrorsSlowBodiesAndRedirectsAreRetriedAndTheSyncSucceeds() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            Path tree = tree().write(db.path("tree"));
            airlock.repositories().create("r", RpmPlugin.NAME, null);
            try (TestHttpServer server = TestHttpServer.serve(tree)) {
                server.faults(RpmRoundTripTest.BASH.href(), Fault.DROP, Fault.ERROR_500)
                        .faults(RpmRoundTripTest.NGINX.href(), Fault.SLOW, Fault.TRUNCATE)
                        .faults(GLIBC.href(), Fault.REDIRECT)
                        .faults("repodata/repomd.xml", Fault.ERROR_500);

                RpmRepositories.SyncResult result = new RpmRepositories(airlock).sync("r", server.url(), FAST,
                        DownloadPolicy.IMMEDIATE, ProgressListener.NONE);

                assertThat(result.artifacts()).isEqualTo(3);
                assertThat(server.requests(RpmRoundTripTest.BASH.href())).isEqualTo(3);
                assertThat(server.requests(RpmRoundTripTest.NGINX.href())).isEqualTo(3);
                assertThat(server.requests("moved/" + GLIBC.href())).isEqualTo(1);
            }
        }
    }

    @Test
    void aServerThatAlwaysFailsLeavesNothing() {
        refused(Fault.ERROR_500, ErrorCode.REMOTE_FAILURE, ": HTTP status 500 (tried 3 times)");
    }

    @Test
    void aMissingPackageIsAnErrorNamingItAndLeavesNothing() {
        refused(Fault.NOT_FOUND, ErrorCode.NOT_FOUND, ": not found on the server (HTTP status 404)");
    }

    @Test
    void aWrongBodyIsRefusedNamingTheUrlAndLeavesNothing() {
        refused(Fault.WRONG_BODY, ErrorCode.CHECKSUM_MISMATCH, ", but the metadata says " + RpmRoundTripTest.NGINX.sha256()
                + ": refused");
    }

    @Test
    void aBodyAlwaysCutShortIsRefusedNamingTheUrlAndLeavesNothing() {
        refused(Fault.TRUNCATE, ErrorCode.REMOTE_FAILURE, ": the connection closed before the whole body arrived"
                + " (fixed content-length: 11, bytes received: 5) (tried 3 times)");
    }

    @Test
    void interruptingASyncStopsItsDownloadsAndLeavesNothing() throws InterruptedException {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            Path tree = tree().write(db.path("tree"));
            airlock.repositories().create("r", RpmPlugin.NAME, null);
            Leftovers before = leftovers(airlock, db.path("home"));
            try (TestHttpServer server = TestHttpServer.serve(tree)) {
                server.always(RpmRoundTripTest.NGINX.href(), Fault.SLOW);
                RemoteOptions patient = FAST.timeouts(Duration.ofSeconds(5), Duration.ofSeconds(30));

                io.airlock.testing.Interruption<RpmRepositories.SyncResult> run = io.airlock.testing.Interruption.after(
                        Duration.ofMillis(1500), () -> new RpmRepositories(airlock).sync("r", server.url(), patient,
                                DownloadPolicy.IMMEDIATE, ProgressListener.NONE));

                assertThat(run.failure()).get().isInstanceOfSatisfying(AirlockException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED));
                assertThat(run.stoppedAfter()).isLessThan(Duration.ofSeconds(2));
            }
            assertUnchangedButKeptDownloads(airlock, db.path("home"), before);
            assertThat(airlock.repositories().versions("r")).hasSize(1);
        }
    }

    /**
     * The database as {@code before}; the package files downloaded before the failure kept in the
     * store (so a next sync does not fetch them again), which a cleanup removes.
     */
    private static void assertUnchangedButKeptDownloads(Airlock airlock, Path home, Leftovers before) {
        Leftovers after = leftovers(airlock, home);
        assertThat(after.rows()).as("the database").isEqualTo(before.rows());
        assertThat(after.files()).filteredOn(f -> !before.files().contains(f))
                .allSatisfy(f -> assertThat(f).matches("home/artifacts/[0-9a-f]{2}/[0-9a-f]{62}"));
        airlock.cleanup(false);
        assertThat(leftovers(airlock, home)).isEqualTo(before);
    }

    /** A sync where nginx's file is always answered with {@code fault}: refused, the database unchanged. */
    private static void refused(Fault fault, ErrorCode code, String ending) {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = RpmTests.open(db)) {
            Path tree = tree().write(db.path("tree"));
            airlock.repositories().create("r", RpmPlugin.NAME, null);
            Leftovers before = leftovers(airlock, db.path("home"));
            try (TestHttpServer server = TestHttpServer.serve(tree)) {
                server.always(RpmRoundTripTest.NGINX.href(), fault);
                URI url = server.url(RpmRoundTripTest.NGINX.href());

                assertThatThrownBy(() -> new RpmRepositories(airlock).sync("r", server.url(), FAST, DownloadPolicy.IMMEDIATE,
                        ProgressListener.NONE))
                        .isInstanceOfSatisfying(AirlockException.class, e -> assertThat(e.code()).isEqualTo(code))
                        .hasMessageStartingWith("package nginx-")
                        .hasMessageContaining(" (location " + RpmRoundTripTest.NGINX.href() + "): " + url + ": ")
                        .hasMessageEndingWith(ending);
            }
            assertThat(airlock.artifacts().contains(RpmRoundTripTest.NGINX.sha256())).isFalse();
            assertUnchangedButKeptDownloads(airlock, db.path("home"), before);
            assertThat(airlock.repositories().versions("r")).hasSize(1);
        }
    }

    private static Leftovers leftovers(Airlock airlock, Path home) {
        try {
            Files.createDirectories(home.resolve("artifacts/tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return airlock.inRolledBackTransaction(session -> session.doReturningWork(c -> Leftovers.of(c, home)));
    }

    /** The latest version's units by natural-key digest, each with its files as "path sha256" (or "path on demand"). */
    static Map<String, List<String>> content(Airlock airlock, String repository) {
        Map<String, List<String>> content = new TreeMap<>();
        airlock.repositories().scanContent(airlock.repositories().version(VersionRef.latest(repository)), Optional.empty(), 1000,
                batch -> {
                    List<UUID> ids = batch.stream().map(Content::id).toList();
                    Map<UUID, List<UnitFile>> files = airlock.inTransaction(session -> ContentFiles.of(session, ids));
                    for (Content unit : batch) {
                        List<String> described = new ArrayList<>();
                        for (UnitFile file : files.getOrDefault(unit.id(), List.of())) {
                            described.add(file.relativePath() + " " + file.artifact().map(a -> a.sha256()).orElse("on demand"));
                        }
                        content.put(unit.typeId() + " " + unit.keyDigest(), described);
                    }
                });
        return content;
    }
}
