package io.airlock.plugin.rpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.airlock.core.Airlock;
import io.airlock.core.content.ContentWriter;
import io.airlock.core.export.ExportEngine;
import io.airlock.core.export.ExportRequest;
import io.airlock.core.imports.ArchiveVerifier;
import io.airlock.core.imports.ImportEngine;
import io.airlock.core.imports.ImportRequest;
import io.airlock.core.ingest.Ingest;
import io.airlock.core.ingest.IngestFile;
import io.airlock.core.repository.VersionRef;
import io.airlock.core.store.StoredArtifact;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ProgressListener;
import io.airlock.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Archives whose package files are not the packages they claim: a link's file must match the
 * package's pkgId by its checksum type, whether the package is new or already present on demand.
 * The hostile upstream plants its file with SQL, as a modified exporter would.
 */
@Tag("persistence")
final class RpmImportTrustTest {

    private static final YumRepo.Pkg GLIBC = YumRepo.Pkg.of("glibc", "2.34", "60.el9", "x86_64").onDemand();
    /** The bytes GLIBC's pkgId is the sha256 of (YumRepo's convention for an on-demand package). */
    private static final byte[] GLIBC_BYTES = GLIBC.href().getBytes(StandardCharsets.UTF_8);
    private static final byte[] PLANTED = "not glibc at all".getBytes(StandardCharsets.UTF_8);
    private static final byte[] TOOL = "tool 1.0 payload".getBytes(StandardCharsets.UTF_8);
    private static final String TOOL_HREF = "Packages/t/tool-1.0-1.noarch.rpm";

    @Test
    void anOnDemandPackageIsNotFilledWithBytesThatAreNotItsPkgId() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = RpmTests.open(up); Airlock downstream = RpmTests.open(down)) {
            syncGlibc(downstream, down, "el9");
            syncGlibc(upstream, up, "other");
            relink(upstream, GLIBC.href(), put(upstream, PLANTED));
            Path toc = export(upstream, up, "other");
            Snapshot before = Snapshot.of(downstream, down);

            AirlockException refused = refusedImport(downstream, ImportRequest.of(toc).creatingRepositories());

            assertThat(refused.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
            assertThat(refused).hasMessage("export " + toc + ", content_artifacts.jsonl, line 1: file '" + GLIBC.href()
                    + "' of rpm.package:glibc-2.34-60.el9.x86_64 has SHA-256 " + hex("SHA-256", PLANTED)
                    + ", but the unit's own SHA-256 is " + GLIBC.sha256());
            assertThat(Snapshot.of(downstream, down)).isEqualTo(before);
        }
    }

    @Test
    void anOnDemandPackageIsFilledWithItsRealFile() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = RpmTests.open(up); Airlock downstream = RpmTests.open(down)) {
            syncGlibc(downstream, down, "el9");
            syncGlibc(upstream, up, "other");
            relink(upstream, GLIBC.href(), put(upstream, GLIBC_BYTES));
            Path toc = export(upstream, up, "other");

            new ImportEngine(downstream).importArchive(ImportRequest.of(toc).creatingRepositories(), ProgressListener.NONE);

            assertThat(count(downstream, "ContentArtifact where artifactId is null")).isZero();
            assertThat(downstream.artifacts().contains(GLIBC.sha256())).isTrue();
        }
    }

    @Test
    void aSha1PackageLinkedToOtherBytesIsRefusedByItsSha1() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = RpmTests.open(up); Airlock downstream = RpmTests.open(down)) {
            Path toc = sha1Export(upstream, up, PLANTED);
            Snapshot before = Snapshot.of(downstream, down);

            AirlockException refused = refusedImport(downstream, ImportRequest.of(toc).creatingRepositories());

            assertThat(refused.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
            assertThat(refused).hasMessage(sha1Mismatch(toc));
            assertThat(Snapshot.of(downstream, down)).isEqualTo(before);
        }
    }

    @Test
    void aDryRunRefusesASha1PackageLinkedToOtherBytes() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = RpmTests.open(up); Airlock downstream = RpmTests.open(down)) {
            Path toc = sha1Export(upstream, up, PLANTED);
            Snapshot before = Snapshot.of(downstream, down);

            AirlockException refused = refusedImport(downstream, ImportRequest.of(toc).creatingRepositories().asDryRun());

            assertThat(refused).hasMessage(sha1Mismatch(toc));
            assertThat(Snapshot.of(downstream, down)).isEqualTo(before);
        }
    }

    @Test
    void verifyRefusesASha1PackageLinkedToOtherBytes() throws IOException {
        try (TestDatabase up = TestDatabase.create(); Airlock upstream = RpmTests.open(up)) {
            Path toc = sha1Export(upstream, up, PLANTED);

            AirlockException refused = catchThrowableOfType(AirlockException.class,
                    () -> new ArchiveVerifier(upstream.plugins()).verify(toc, ProgressListener.NONE));

            assertThat(refused.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
            assertThat(refused).hasMessage(sha1Mismatch(toc));
        }
    }

    @Test
    void aSha1PackageWithItsRealFileImports() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = RpmTests.open(up); Airlock downstream = RpmTests.open(down)) {
            Path toc = sha1Export(upstream, up, TOOL);

            new ArchiveVerifier(downstream.plugins()).verify(toc, ProgressListener.NONE);
            new ImportEngine(downstream).importArchive(ImportRequest.of(toc).creatingRepositories(), ProgressListener.NONE);

            assertThat(downstream.artifacts().contains(hex("SHA-256", TOOL))).isTrue();
            assertThat(count(downstream, "ContentArtifact where artifactId is null")).isZero();
        }
    }

    // --- helpers ---

    private static void syncGlibc(Airlock airlock, TestDatabase db, String repository) throws IOException {
        airlock.repositories().create(repository, RpmPlugin.NAME, null);
        new RpmRepositories(airlock).sync(repository, new YumRepo().add(GLIBC).write(db.path("yum-" + repository)), ProgressListener.NONE);
    }

    /**
     * Upstream: repository legacy with package tool, whose pkgId is the sha1 of {@link #TOOL},
     * given the file {@code bytes}; exported whole.
     */
    private static Path sha1Export(Airlock upstream, TestDatabase up, byte[] bytes) {
        upstream.repositories().create("legacy", RpmPlugin.NAME, null);
        RpmPackage tool = new RpmPackage("tool", "0", "1.0", "1", "noarch", hex("SHA-1", TOOL), "sha1", TOOL_HREF);
        upstream.ingest("legacy", Ingest.Mode.ADD, ProgressListener.NONE, sink -> sink.add(tool, IngestFile.onDemand(TOOL_HREF)));
        relink(upstream, TOOL_HREF, put(upstream, bytes));
        return export(upstream, up, "legacy");
    }

    private static String sha1Mismatch(Path toc) {
        return "export " + toc + ", content_artifacts.jsonl, line 1: file '" + TOOL_HREF + "' of rpm.package:tool-1.0-1.noarch has SHA-1 "
                + hex("SHA-1", PLANTED) + ", but the unit's own SHA-1 is " + hex("SHA-1", TOOL);
    }

    private static Path export(Airlock upstream, TestDatabase up, String repository) {
        return new ExportEngine(upstream).export(ExportRequest.full(List.of(VersionRef.latest(repository)), up.path("exports"))
                .withName(repository), ProgressListener.NONE).toc().orElseThrow();
    }

    private static AirlockException refusedImport(Airlock downstream, ImportRequest request) {
        AirlockException refused = catchThrowableOfType(AirlockException.class,
                () -> new ImportEngine(downstream).importArchive(request, ProgressListener.NONE));
        assertThat(refused).as("the import of " + request.path()).isNotNull();
        return refused;
    }

    /** Stores {@code bytes} with an artifact row. */
    private static StoredArtifact put(Airlock airlock, byte[] bytes) {
        StoredArtifact artifact = airlock.artifacts().put(new ByteArrayInputStream(bytes), Optional.empty());
        airlock.inTransaction(s -> {
            s.doWork(c -> airlock.contentWriter().artifactIds(c, Map.of(artifact.sha256(), artifact)));
            return null;
        });
        return artifact;
    }

    /** Points the link at {@code path} to {@code artifact}, in SQL, past the writer's checks. */
    private static void relink(Airlock airlock, String path, StoredArtifact artifact) {
        airlock.inTransaction(s -> {
            s.doWork(c -> {
                try (PreparedStatement update = c.prepareStatement("update content_artifact set artifact_id ="
                        + " (select id from artifact where sha256 = ?) where relative_path = ?")) {
                    update.setString(1, artifact.sha256());
                    update.setString(2, path);
                    assertThat(update.executeUpdate()).as("links at " + path).isEqualTo(1);
                }
            });
            return null;
        });
    }

    private static long count(Airlock airlock, String from) {
        return airlock.inTransaction(s -> s.createSelectionQuery("select count(*) from " + from, Long.class).getSingleResult());
    }

    private static String hex(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Row counts an import writes, on-demand files and the store's files: "nothing changed" means equal snapshots. */
    private record Snapshot(List<Long> counts, List<String> storeFiles) {
        static Snapshot of(Airlock airlock, TestDatabase db) throws IOException {
            List<Long> counts = Stream.of("Repository", "RepositoryVersion", "Content", "Artifact", "ContentArtifact",
                    "ContentArtifact where artifactId is null").map(from -> count(airlock, from)).toList();
            Path store = db.path("home").resolve("artifacts");
            if (!Files.exists(store)) {
                return new Snapshot(counts, List.of());
            }
            try (Stream<Path> files = Files.walk(store)) {
                return new Snapshot(counts, files.filter(Files::isRegularFile).map(Path::toString).sorted().toList());
            }
        }
    }
}
