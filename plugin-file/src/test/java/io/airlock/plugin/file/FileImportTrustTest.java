package io.airlock.plugin.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.airlock.core.Airlock;
import io.airlock.core.content.ContentWriter;
import io.airlock.core.export.ExportEngine;
import io.airlock.core.export.ExportRequest;
import io.airlock.core.imports.ArchiveVerifier;
import io.airlock.core.imports.ImportEngine;
import io.airlock.core.imports.ImportRequest;
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
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * An archive from a hostile upstream tries to plant files on a unit the downstream installation
 * already holds in another repository: the victim's {@code isos} holds {@code a.iso}, and the
 * archive, meant for {@code tools}, carries a unit with the same key and other files.
 */
@Tag("persistence")
final class FileImportTrustTest {

    private static final String ISO = "the real iso";
    private static final String PLANTED = "#!/bin/sh\necho planted\n";

    @Test
    void aFileWhoseSha256IsNotTheUnitsOwnIsRefusedAndTheVictimIsUnchanged() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = FileRepositoriesTest.open(up); Airlock downstream = FileRepositoriesTest.open(down)) {
            victim(downstream, down);
            hostileUpstream(upstream, up);
            relink(upstream, "a.iso", put(upstream, PLANTED));
            Path toc = export(upstream, up);
            Snapshot before = Snapshot.of(downstream, down);

            AirlockException refused = catchThrowableOfType(AirlockException.class, () -> new ImportEngine(downstream)
                    .importArchive(ImportRequest.of(toc).creatingRepositories(), ProgressListener.NONE));

            assertThat(refused.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
            assertThat(refused).hasMessageMatching(Pattern.quote("export " + toc + ", content_artifacts.jsonl, line ")
                    + "\\d+" + Pattern.quote(": file 'a.iso' of file.file:a.iso has SHA-256 " + sha256(PLANTED)
                    + ", but the unit's own SHA-256 is " + sha256(ISO)));
            assertThat(Snapshot.of(downstream, down)).isEqualTo(before);
            assertThat(published(downstream, down, "isos")).containsExactly(Map.entry("a.iso", ISO));
        }
    }

    @Test
    void verifyRefusesAFileWhoseSha256IsNotTheUnitsOwn() throws IOException {
        try (TestDatabase up = TestDatabase.create(); Airlock upstream = FileRepositoriesTest.open(up)) {
            hostileUpstream(upstream, up);
            relink(upstream, "a.iso", put(upstream, PLANTED));
            Path toc = export(upstream, up);

            AirlockException refused = catchThrowableOfType(AirlockException.class,
                    () -> new ArchiveVerifier(upstream.plugins()).verify(toc, ProgressListener.NONE));

            assertThat(refused.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
            assertThat(refused).hasMessageMatching(Pattern.quote("export " + toc + ", content_artifacts.jsonl, line ")
                    + "\\d+" + Pattern.quote(": file 'a.iso' of file.file:a.iso has SHA-256 " + sha256(PLANTED)
                    + ", but the unit's own SHA-256 is " + sha256(ISO)));
        }
    }

    @Test
    void aUnitAlreadyPresentGetsNoFileAtAnotherPathFromAnArchive() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = FileRepositoriesTest.open(up); Airlock downstream = FileRepositoriesTest.open(down)) {
            victim(downstream, down);
            hostileUpstream(upstream, up);
            addLink(upstream, "a.iso", "injected.sh", put(upstream, ISO)); // the right bytes, at a path a.iso does not have
            Path toc = export(upstream, up);

            new ImportEngine(downstream).importArchive(ImportRequest.of(toc).creatingRepositories(), ProgressListener.NONE);

            assertThat(published(downstream, down, "isos")).containsExactly(Map.entry("a.iso", ISO));
            assertThat(published(downstream, down, "tools")).containsOnlyKeys("a.iso", "tool.sh");
        }
    }

    @Test
    void aLocalIngestCannotGiveAFileAnotherFileThanItsSha256() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = FileRepositoriesTest.open(db)) {
            StoredArtifact planted = put(airlock, PLANTED);

            AirlockException refused = catchThrowableOfType(AirlockException.class, () -> airlock.inTransaction(s ->
                    airlock.contentWriter().save(s, List.of(new ContentWriter.NewUnit(new FileContent("a.iso", sha256(ISO)),
                            List.of(new ContentWriter.UnitFile("a.iso", Optional.of(planted))))))));

            assertThat(refused.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
            assertThat(refused).hasMessage("file 'a.iso' of file.file:a.iso has SHA-256 " + sha256(PLANTED)
                    + ", but the unit's own SHA-256 is " + sha256(ISO));
            long units = airlock.inTransaction(s -> s.createSelectionQuery("select count(*) from Content", Long.class).getSingleResult());
            assertThat(units).isZero();
        }
    }

    // --- helpers ---

    /** Downstream: repository isos@1 holding a.iso. */
    private static void victim(Airlock downstream, TestDatabase down) throws IOException {
        downstream.repositories().create("isos", FilePlugin.NAME, null);
        new FileRepositories(downstream).add("isos", FileRepositoriesTest.tree(down.path("isos"), Map.of("a.iso", ISO)),
                ProgressListener.NONE);
    }

    /** Upstream: repository tools holding a.iso (the victim's unit: same path, same sha256) and tool.sh. */
    private static void hostileUpstream(Airlock upstream, TestDatabase up) throws IOException {
        upstream.repositories().create("tools", FilePlugin.NAME, null);
        new FileRepositories(upstream).add("tools", FileRepositoriesTest.tree(up.path("tools"),
                Map.of("a.iso", ISO, "tool.sh", "echo tool\n")), ProgressListener.NONE);
    }

    private static Path export(Airlock upstream, TestDatabase up) {
        return new ExportEngine(upstream).export(ExportRequest.full(List.of(VersionRef.latest("tools")), up.path("exports"))
                .withName("tools"), ProgressListener.NONE).toc().orElseThrow();
    }

    /** Stores {@code text} with an artifact row, as an upstream that bypasses the writer's checks would. */
    private static StoredArtifact put(Airlock airlock, String text) {
        StoredArtifact artifact = airlock.artifacts().put(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), Optional.empty());
        airlock.inTransaction(s -> {
            s.doWork(c -> airlock.contentWriter().artifactIds(c, Map.of(artifact.sha256(), artifact)));
            return null;
        });
        return artifact;
    }

    /** Points the link at {@code path} to another artifact, in SQL. */
    private static void relink(Airlock airlock, String path, StoredArtifact artifact) {
        sql(airlock, "update content_artifact set artifact_id = (select id from artifact where sha256 = ?) where relative_path = ?",
                artifact.sha256(), path);
    }

    /** Gives the unit that has a file at {@code path} one more file at {@code extraPath}, in SQL. */
    private static void addLink(Airlock airlock, String path, String extraPath, StoredArtifact artifact) {
        sql(airlock, "insert into content_artifact (id, content_id, relative_path, artifact_id) select ?, content_id, ?,"
                + " (select id from artifact where sha256 = ?) from content_artifact where relative_path = ?",
                UUID.randomUUID(), extraPath, artifact.sha256(), path);
    }

    private static void sql(Airlock airlock, String sql, Object... parameters) {
        airlock.inTransaction(s -> {
            s.doWork(c -> {
                try (PreparedStatement statement = c.prepareStatement(sql)) {
                    for (int i = 0; i < parameters.length; i++) {
                        statement.setObject(i + 1, parameters[i]);
                    }
                    assertThat(statement.executeUpdate()).as(sql).isEqualTo(1);
                }
            });
            return null;
        });
    }

    /** Publishes the latest version of {@code repository}; returns path → text, without the manifest. */
    private static Map<String, String> published(Airlock airlock, TestDatabase db, String repository) throws IOException {
        Path out = db.path("published-" + repository + "-" + UUID.randomUUID());
        new FileRepositories(airlock).publish(VersionRef.latest(repository), out);
        Map<String, String> files = new java.util.TreeMap<>();
        FileRepositoriesTest.read(out).forEach((path, bytes) -> files.put(path, new String(bytes, StandardCharsets.UTF_8)));
        files.remove(FileRepositories.MANIFEST);
        return files;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Row counts an import writes, on-demand files and the store's files: "nothing changed" means equal snapshots. */
    private record Snapshot(List<Long> counts, List<String> storeFiles) {
        static Snapshot of(Airlock airlock, TestDatabase db) throws IOException {
            List<Long> counts = Stream.of("Repository", "RepositoryVersion", "Content", "Artifact", "ContentArtifact",
                    "ContentArtifact where artifactId is null").map(entity -> airlock.inTransaction(s -> s.createSelectionQuery(
                    "select count(*) from " + entity, Long.class).getSingleResult())).toList();
            try (Stream<Path> files = Files.walk(db.path("artifacts"))) {
                return new Snapshot(counts, files.filter(Files::isRegularFile).map(Path::toString).sorted().toList());
            }
        }
    }
}
