package io.airlock.core.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlock.core.Airlock;
import io.airlock.core.TestInstallations;
import io.airlock.core.Widget;
import io.airlock.core.content.ContentFiles;
import io.airlock.core.content.ContentWriter.NewUnit;
import io.airlock.core.content.ContentWriter.UnitFile;
import io.airlock.core.export.ExportEngine;
import io.airlock.core.export.ExportRequest;
import io.airlock.core.export.ExportResult;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.core.repository.VersionRef;
import io.airlock.core.store.StoredArtifact;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ProgressListener;
import io.airlock.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("persistence")
final class ExportImportRoundTripTest {

    @Test
    void aFullExportImportsAsAnEqualVersion() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            upstream.repositories().create("r", "test", null);
            addWidgets(upstream, "a", "b", "c");
            Path exports = up.path("exports");

            ExportResult exported = new ExportEngine(upstream).export(
                    ExportRequest.full(List.of(VersionRef.latest("r")), exports).withName("first"), ProgressListener.NONE);
            ImportResult imported = new ImportEngine(downstream).importArchive(
                    ImportRequest.of(exported.toc().orElseThrow()).creatingRepositories(), ProgressListener.NONE);

            assertThat(exported.units()).isEqualTo(3);
            assertThat(exported.artifacts()).isEqualTo(3);
            assertThat(imported.repositories()).singleElement().satisfies(r -> {
                assertThat(r.destination()).isEqualTo("r");
                assertThat(r.version()).contains(1);
                assertThat(r.createdRepository()).isTrue();
            });
            assertThat(contentOf(downstream, "r")).isEqualTo(contentOf(upstream, "r"));
            for (String scratch : List.of("import_key", "version_draft_unit")) {
                long rows = downstream.inTransaction(s -> s.createNativeQuery("select count(*) from " + scratch, Long.class)
                        .getSingleResult());
                assertThat(rows).as(scratch).isZero();
            }
        }
    }

    @Test
    void moreSmallArtifactsThanOneBatchAreAllStoredAndRecorded() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            upstream.repositories().create("r", "test", null);
            List<String> digests = addWidgets(upstream, java.util.stream.IntStream.range(0, 2_500).mapToObj(i -> "small" + i)
                    .toArray(String[]::new));
            Path toc = new ExportEngine(upstream).export(ExportRequest.full(List.of(VersionRef.latest("r")), up.path("exports")),
                    ProgressListener.NONE).toc().orElseThrow();

            ImportResult imported = new ImportEngine(downstream).importArchive(ImportRequest.of(toc).creatingRepositories(),
                    ProgressListener.NONE);

            assertThat(imported.artifactsWritten()).isEqualTo(2_500);
            long rows = downstream.inTransaction(s -> s.createNativeQuery("select count(*) from artifact", Long.class).getSingleResult());
            assertThat(rows).isEqualTo(2_500);
            assertThat(digests).allMatch(downstream.artifacts()::contains);
            assertThat(contentOf(downstream, "r")).isEqualTo(contentOf(upstream, "r"));
        }
    }

    @Test
    void anExportWritesUnitsAndTheirLinksInKeyDigestOrder() throws IOException {
        try (TestDatabase up = TestDatabase.create(); Airlock upstream = TestInstallations.open(up)) {
            upstream.repositories().create("r", "test", null);
            // Created in this order, so their ids ascend in it; their key digests do not.
            addWidgets(upstream, "k", "d", "x", "a", "q", "m", "b", "z", "e", "h");
            Path toc = new ExportEngine(upstream).export(ExportRequest.full(List.of(VersionRef.latest("r")), up.path("exports")),
                    ProgressListener.NONE).toc().orElseThrow();

            List<String> units = new ArrayList<>();
            for (TamperedArchives.Item item : TamperedArchives.read(toc)) {
                if (item.name().equals(io.airlock.core.archive.ArchiveNames.CONTENT_ARTIFACTS)) {
                    for (String line : new String(item.bytes(), StandardCharsets.UTF_8).split("\n")) {
                        units.add(io.airlock.core.archive.Json.mapper().readTree(line).get("unit").asText());
                    }
                }
            }

            assertThat(units).hasSize(10).isSorted();
        }
    }

    @Test
    void anExportCarriesOnlyTheSelectedUnitsWhereverOtherUnitsOfTheirTypeFallAmongThem() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            upstream.repositories().create("r", "test", null);
            // Ids ascend in this order: first two other widgets after each selected one (a batch's id range holds
            // three times its units), then one after every tenth (a range holds a few more than its units).
            List<NewUnit> units = new ArrayList<>();
            List<Boolean> selected = new ArrayList<>();
            for (int i = 0; i < 2_300; i++) {
                String name = "w" + i;
                StoredArtifact artifact = upstream.artifacts().put(
                        new ByteArrayInputStream(("bytes of " + name).getBytes(StandardCharsets.UTF_8)), Optional.empty());
                units.add(new NewUnit(new Widget(name, 1), List.of(new UnitFile(name + ".bin", Optional.of(artifact)))));
                selected.add(true);
                int others = i < 1_200 ? 2 : i % 10 == 0 ? 1 : 0;
                for (int j = 0; j < others; j++) {
                    units.add(new NewUnit(new Widget("other" + i + "-" + j, 1), List.of()));
                    selected.add(false);
                }
            }
            List<UUID> ids = upstream.inTransaction(s -> upstream.contentWriter().save(s, units)).ids();
            List<UUID> chosen = java.util.stream.IntStream.range(0, ids.size()).filter(selected::get).mapToObj(ids::get).toList();
            upstream.repositories().modify("r", OptionalInt.empty(), d -> d.add(chosen));

            ExportResult exported = new ExportEngine(upstream).export(
                    ExportRequest.full(List.of(VersionRef.latest("r")), up.path("exports")), ProgressListener.NONE);
            new ImportEngine(downstream).importArchive(ImportRequest.of(exported.toc().orElseThrow()).creatingRepositories(),
                    ProgressListener.NONE);

            assertThat(exported.units()).isEqualTo(2_300);
            assertThat(count(downstream, "select count(*) from Content")).isEqualTo(2_300);
            assertThat(contentOf(downstream, "r")).hasSize(2_300).isEqualTo(contentOf(upstream, "r"));
        }
    }

    @Test
    void anArtifactThatSeveralUnitsShareIsCarriedOnceWhetherTheExportHoldsMostOfTheStoreOrLittle() throws IOException {
        try (TestDatabase up = TestDatabase.create(); Airlock upstream = TestInstallations.open(up)) {
            upstream.repositories().create("r", "test", null);
            upstream.repositories().create("big", "test", null);
            StoredArtifact common = upstream.artifacts().put(
                    new ByteArrayInputStream("the same bytes".getBytes(StandardCharsets.UTF_8)), Optional.empty());
            List<UUID> shared = upstream.inTransaction(s -> upstream.contentWriter().save(s, List.of(
                    new NewUnit(new Widget("one", 1), List.of(new UnitFile("one.bin", Optional.of(common)))),
                    new NewUnit(new Widget("two", 1), List.of(new UnitFile("two.bin", Optional.of(common)))),
                    new NewUnit(new Widget("three", 1), List.of(new UnitFile("three.bin", Optional.of(common))))))).ids();
            upstream.repositories().modify("r", OptionalInt.empty(), d -> d.add(shared));
            ExportResult most = new ExportEngine(upstream).export(
                    ExportRequest.full(List.of(VersionRef.latest("r")), up.path("most")), ProgressListener.NONE);
            // Twenty other artifacts in the store: the three links are now few against it.
            List<String> others = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                others.add("other" + i);
            }
            List<NewUnit> big = new ArrayList<>();
            for (String name : others) {
                StoredArtifact artifact = upstream.artifacts().put(
                        new ByteArrayInputStream(name.getBytes(StandardCharsets.UTF_8)), Optional.empty());
                big.add(new NewUnit(new Widget(name, 1), List.of(new UnitFile(name + ".bin", Optional.of(artifact)))));
            }
            List<UUID> bigIds = upstream.inTransaction(s -> upstream.contentWriter().save(s, big)).ids();
            upstream.repositories().modify("big", OptionalInt.empty(), d -> d.add(bigIds));
            ExportResult little = new ExportEngine(upstream).export(
                    ExportRequest.full(List.of(VersionRef.latest("r")), up.path("little")), ProgressListener.NONE);

            for (ExportResult exported : List.of(most, little)) {
                List<String> entries = TamperedArchives.read(exported.toc().orElseThrow()).stream().map(TamperedArchives.Item::name)
                        .filter(name -> name.startsWith("artifacts/")).toList();
                assertThat(exported.artifacts()).isEqualTo(1);
                assertThat(exported.artifactBytes()).isEqualTo(14);
                assertThat(entries).containsExactly(io.airlock.core.archive.ArchiveNames.artifactEntry(common.sha256()));
            }
        }
    }

    @Test
    void everyLineOfAnExportsJsonLinesEntriesStartsWithItsObject() throws IOException {
        try (TestDatabase up = TestDatabase.create(); Airlock upstream = TestInstallations.open(up)) {
            upstream.repositories().create("r", "test", null);
            addWidgets(upstream, "k", "d", "x", "a", "q");
            Path toc = new ExportEngine(upstream).export(ExportRequest.full(List.of(VersionRef.latest("r")), up.path("exports")),
                    ProgressListener.NONE).toc().orElseThrow();

            List<String> lines = new ArrayList<>();
            for (TamperedArchives.Item item : TamperedArchives.read(toc)) {
                if (item.name().endsWith(".jsonl")) {
                    lines.addAll(List.of(new String(item.bytes(), StandardCharsets.UTF_8).split("\n")));
                }
            }

            // 5 rows, 5 links, 5 artifacts: Jackson's default separator had put a space before every value but the first
            assertThat(lines).hasSize(15).allMatch(line -> line.startsWith("{") && line.endsWith("}"));
        }
    }

    @Test
    void aChunkedExportImportsFromItsTableOfContents() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            upstream.repositories().create("r", "test", null);
            addWidgets(upstream, "a", "b", "c", "d", "e");
            Path exports = up.path("exports");

            ExportResult exported = new ExportEngine(upstream).export(
                    ExportRequest.full(List.of(VersionRef.latest("r")), exports).withName("chunked").withChunkSize(2048),
                    ProgressListener.NONE);
            new ImportEngine(downstream).importArchive(ImportRequest.of(exported.toc().orElseThrow()).creatingRepositories(),
                    ProgressListener.NONE);

            assertThat(exported.files()).isGreaterThan(3);
            try (Stream<Path> files = Files.list(exports)) {
                assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                        .contains("chunked-toc.json", "chunked.tar.000000", "chunked.tar.000001")
                        .noneMatch(name -> name.startsWith("."));
            }
            assertThat(contentOf(downstream, "r")).isEqualTo(contentOf(upstream, "r"));
        }
    }

    @Test
    void anIncrementalExportCarriesOnlyWhatIsNewAndImportsToTheSameContent() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            upstream.repositories().create("r", "test", null);
            addWidgets(upstream, "a", "b", "c");
            Path exports = up.path("exports");
            ExportEngine exporter = new ExportEngine(upstream);
            ImportEngine importer = new ImportEngine(downstream);
            downstream.repositories().create("r", "test", null);
            ExportResult full = exporter.export(ExportRequest.full(List.of(VersionRef.latest("r")), exports)
                    .withName("full").withExporter("nightly"), ProgressListener.NONE);
            importer.importArchive(ImportRequest.of(full.toc().orElseThrow()), ProgressListener.NONE);
            addWidgets(upstream, "d");
            List<UUID> b = TestInstallations.save(upstream, new Widget("b", 1));
            upstream.repositories().modify("r", OptionalInt.empty(), d -> d.remove(b));

            ExportResult incremental = exporter.export(ExportRequest.full(List.of(VersionRef.latest("r")), exports)
                    .withName("incremental").withExporter("nightly").incremental(), ProgressListener.NONE);
            ImportResult imported = importer.importArchive(ImportRequest.of(incremental.toc().orElseThrow()), ProgressListener.NONE);

            assertThat(incremental.units()).isEqualTo(1);
            assertThat(incremental.artifacts()).isEqualTo(1);
            assertThat(incremental.repositories().get(0).baseVersion()).contains(1);
            assertThat(imported.repositories().get(0).version()).contains(2);
            assertThat(contentOf(downstream, "r")).isEqualTo(contentOf(upstream, "r")).containsOnlyKeys("a", "c", "d");
        }
    }

    @Test
    void anIncrementalExportLeavesOutArtifactsTheBaseAlreadyHas() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            upstream.repositories().create("r", "test", null);
            addWidgets(upstream, "a", "b");
            ExportEngine exporter = new ExportEngine(upstream);
            ImportEngine importer = new ImportEngine(downstream);
            ExportResult full = exporter.export(ExportRequest.full(List.of(VersionRef.latest("r")), up.path("exports"))
                    .withName("full").withExporter("nightly"), ProgressListener.NONE);
            importer.importArchive(ImportRequest.of(full.toc().orElseThrow()).creatingRepositories(), ProgressListener.NONE);
            // A new unit whose file has the bytes of a's, and one with bytes of its own.
            StoredArtifact same = upstream.artifacts().put(new ByteArrayInputStream("bytes of a".getBytes(StandardCharsets.UTF_8)),
                    Optional.empty());
            List<UUID> twin = upstream.inTransaction(s -> upstream.contentWriter().save(s,
                    List.of(new NewUnit(new Widget("twin", 1), List.of(new UnitFile("twin.bin", Optional.of(same))))))).ids();
            upstream.repositories().modify("r", OptionalInt.empty(), d -> d.add(twin));
            addWidgets(upstream, "c");

            ExportResult incremental = exporter.export(ExportRequest.full(List.of(VersionRef.latest("r")), up.path("exports"))
                    .withName("incremental").withExporter("nightly").incremental(), ProgressListener.NONE);
            importer.importArchive(ImportRequest.of(incremental.toc().orElseThrow()), ProgressListener.NONE);

            assertThat(incremental.units()).isEqualTo(2);
            assertThat(incremental.artifacts()).as("only c's: twin's bytes are a's, which the base has").isEqualTo(1);
            assertThat(contentOf(downstream, "r")).isEqualTo(contentOf(upstream, "r")).containsOnlyKeys("a", "b", "twin", "c");
        }
    }

    @Test
    void anIncrementalExportLeavesOutEveryArtifactTheBaseHasAmongMoreThanOneBatchOfNewOnes() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            upstream.repositories().create("r", "test", null);
            List<String> base = java.util.stream.IntStream.range(0, 600).mapToObj(i -> "base" + i).toList();
            addWidgets(upstream, base.toArray(String[]::new));
            ExportEngine exporter = new ExportEngine(upstream);
            ImportEngine importer = new ImportEngine(downstream);
            ExportResult full = exporter.export(ExportRequest.full(List.of(VersionRef.latest("r")), up.path("exports"))
                    .withName("full").withExporter("nightly"), ProgressListener.NONE);
            importer.importArchive(ImportRequest.of(full.toc().orElseThrow()).creatingRepositories(), ProgressListener.NONE);
            // 1,200 new units (their artifacts more than one batch): every other one has the bytes of a base unit's
            // file, the rest bytes of their own.
            List<NewUnit> units = new ArrayList<>();
            for (int i = 0; i < 1_200; i++) {
                String bytes = i % 2 == 0 ? "bytes of base" + (i / 2) : "bytes of new" + i;
                StoredArtifact artifact = upstream.artifacts().put(new ByteArrayInputStream(bytes.getBytes(StandardCharsets.UTF_8)),
                        Optional.empty());
                units.add(new NewUnit(new Widget("new" + i, 1), List.of(new UnitFile("new" + i + ".bin", Optional.of(artifact)))));
            }
            List<UUID> ids = upstream.inTransaction(s -> upstream.contentWriter().save(s, units)).ids();
            upstream.repositories().modify("r", OptionalInt.empty(), d -> d.add(ids));

            ExportResult incremental = exporter.export(ExportRequest.full(List.of(VersionRef.latest("r")), up.path("exports"))
                    .withName("incremental").withExporter("nightly").incremental(), ProgressListener.NONE);
            importer.importArchive(ImportRequest.of(incremental.toc().orElseThrow()), ProgressListener.NONE);

            assertThat(incremental.units()).isEqualTo(1_200);
            assertThat(incremental.artifacts()).isEqualTo(600);
            assertThat(contentOf(downstream, "r")).isEqualTo(contentOf(upstream, "r")).hasSize(1_800);
        }
    }

    @Test
    void importingTheSameExportTwiceChangesNothingTheSecondTime() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            upstream.repositories().create("r", "test", null);
            addWidgets(upstream, "a", "b");
            Path toc = new ExportEngine(upstream).export(ExportRequest.full(List.of(VersionRef.latest("r")), up.path("x")),
                    ProgressListener.NONE).toc().orElseThrow();
            ImportEngine importer = new ImportEngine(downstream);
            importer.importArchive(ImportRequest.of(toc).creatingRepositories(), ProgressListener.NONE);

            ImportResult again = importer.importArchive(ImportRequest.of(toc), ProgressListener.NONE);

            assertThat(again.repositories().get(0).version()).isEmpty();
            assertThat(again.artifactsWritten()).isZero();
            assertThat(again.created().values()).allMatch(n -> n == 0);
            assertThat(downstream.repositories().versions("r")).hasSize(2);
        }
    }

    @Test
    void dryRunsWriteNothingAndReportWhatWouldHappen() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            upstream.repositories().create("r", "test", null);
            addWidgets(upstream, "a", "b");
            ExportEngine exporter = new ExportEngine(upstream);

            ExportResult planned = exporter.export(ExportRequest.full(List.of(VersionRef.latest("r")), up.path("dry"))
                    .asDryRun(), ProgressListener.NONE);
            Path toc = exporter.export(ExportRequest.full(List.of(VersionRef.latest("r")), up.path("real")),
                    ProgressListener.NONE).toc().orElseThrow();
            ImportResult wouldImport = new ImportEngine(downstream).importArchive(
                    ImportRequest.of(toc).creatingRepositories().asDryRun(), ProgressListener.NONE);

            assertThat(planned.units()).isEqualTo(2);
            assertThat(planned.toc()).isEmpty();
            assertThat(up.path("dry")).doesNotExist();
            assertThat(wouldImport.created()).containsEntry("test.widget", 2L);
            assertThat(wouldImport.artifactsWritten()).isEqualTo(2);
            assertThat(wouldImport.repositories().get(0).version()).contains(1);
            assertThat(downstream.repositories().find("r")).isEmpty();
            assertThat(storeFiles(down)).isEmpty();
        }
    }

    @Test
    void onDemandUnitsAreRefusedUnlessAllowedAndThenImportAsOnDemand() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            upstream.repositories().create("r", "test", null);
            List<UUID> ids = upstream.inTransaction(s -> upstream.contentWriter().save(s, List.of(
                    new NewUnit(new Widget("remote", 1), List.of(new UnitFile("remote.bin", Optional.empty())))))).ids();
            upstream.repositories().modify("r", OptionalInt.empty(), d -> d.add(ids));
            ExportRequest request = ExportRequest.full(List.of(VersionRef.latest("r")), up.path("x"));

            assertThatThrownBy(() -> new ExportEngine(upstream).export(request, ProgressListener.NONE))
                    .hasMessage("unit test.widget:remote has no file in the store for remote.bin (on demand);"
                            + " use --allow-on-demand to export it as metadata only");
            Path toc = new ExportEngine(upstream).export(request.allowingOnDemand(), ProgressListener.NONE).toc().orElseThrow();
            new ImportEngine(downstream).importArchive(ImportRequest.of(toc).creatingRepositories(), ProgressListener.NONE);

            assertThat(contentOf(downstream, "r")).containsEntry("remote", "remote.bin=on-demand");
        }
    }

    @Test
    void aFailedExportLeavesNoFilesAndDoesNotAdvanceTheExporter() throws IOException {
        try (TestDatabase up = TestDatabase.create(); Airlock upstream = TestInstallations.open(up)) {
            upstream.repositories().create("r", "test", null);
            String lost = addWidgets(upstream, "a", "b").get(0);
            upstream.artifacts().delete(lost);
            Path exports = up.path("exports");

            assertThatThrownBy(() -> new ExportEngine(upstream).export(ExportRequest.full(List.of(VersionRef.latest("r")), exports)
                    .withExporter("nightly"), ProgressListener.NONE))
                    .hasMessageContaining(lost);
            try (Stream<Path> files = Files.list(exports)) {
                assertThat(files).isEmpty();
            }
            assertThatThrownBy(() -> new ExportEngine(upstream).export(ExportRequest.full(List.of(VersionRef.latest("r")), exports)
                    .withExporter("nightly").incremental(), ProgressListener.NONE))
                    .hasMessage("exporter 'nightly' has not exported 'r' before; make a full export first");
        }
    }

    /** Adds one widget per name, each with a file holding its name; returns the files' sha256s. */
    static List<String> addWidgets(Airlock airlock, String... names) {
        List<NewUnit> units = new ArrayList<>();
        List<String> shas = new ArrayList<>();
        for (String name : names) {
            StoredArtifact artifact = airlock.artifacts().put(
                    new ByteArrayInputStream(("bytes of " + name).getBytes(StandardCharsets.UTF_8)), Optional.empty());
            shas.add(artifact.sha256());
            units.add(new NewUnit(new Widget(name, 1), List.of(new UnitFile(name + ".bin", Optional.of(artifact)))));
        }
        List<UUID> ids = airlock.inTransaction(s -> airlock.contentWriter().save(s, units)).ids();
        airlock.repositories().modify("r", OptionalInt.empty(), d -> d.add(ids));
        return shas;
    }

    /** Label → "path=content-of-file" of the latest version, from the store's bytes. */
    static Map<String, String> contentOf(Airlock airlock, String repository) {
        Map<String, String> content = new TreeMap<>();
        RepositoryVersion version = airlock.repositories().version(VersionRef.latest(repository));
        airlock.repositories().scanContent(version, Optional.empty(), 100, batch -> {
            Map<UUID, List<UnitFile>> files = airlock.inTransaction(s -> ContentFiles.of(s, batch.stream().map(u -> u.id()).toList()));
            batch.forEach(unit -> {
                StringBuilder value = new StringBuilder();
                for (UnitFile file : files.getOrDefault(unit.id(), List.of())) {
                    value.append(file.relativePath()).append('=');
                    if (file.artifact().isEmpty()) {
                        value.append("on-demand");
                    } else {
                        try (InputStream in = airlock.artifacts().open(file.artifact().get().sha256())) {
                            value.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                }
                content.put(unit.label(), value.toString());
            });
        });
        return content;
    }

    static long count(Airlock airlock, String hql) {
        return airlock.inTransaction(s -> s.createSelectionQuery(hql, Long.class).getSingleResult());
    }

    static List<Path> storeFiles(TestDatabase db) throws IOException {
        try (Stream<Path> files = Files.walk(db.path("artifacts"))) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
