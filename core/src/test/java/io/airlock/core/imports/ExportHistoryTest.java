package io.airlock.core.imports;

import static io.airlock.core.imports.ExportImportRoundTripTest.addWidgets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlock.core.Airlock;
import io.airlock.core.TestInstallations;
import io.airlock.core.export.ExportEngine;
import io.airlock.core.export.ExportHistory;
import io.airlock.core.export.ExportRecord;
import io.airlock.core.export.ExportRequest;
import io.airlock.core.export.ExportResult;
import io.airlock.core.repository.VersionRef;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ProgressListener;
import io.airlock.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("persistence")
final class ExportHistoryTest {

    @Test
    void theHistoryListsAFullThenAnIncrementalExportWithTheirFilesAndSizes() throws IOException {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            airlock.repositories().create("r", "test", null);
            addWidgets(airlock, "a", "b");
            Path exports = db.path("exports");
            ExportEngine exporter = new ExportEngine(airlock);
            exporter.export(ExportRequest.full(List.of(VersionRef.latest("r")), exports).withName("full").withExporter("nightly"),
                    ProgressListener.NONE);
            addWidgets(airlock, "c");
            exporter.export(ExportRequest.full(List.of(VersionRef.latest("r")), exports).withName("delta").withExporter("nightly")
                    .withChunkSize(2048).incremental(), ProgressListener.NONE);
            exporter.export(ExportRequest.full(List.of(VersionRef.latest("r")), exports).withName("other").withExporter("weekly"),
                    ProgressListener.NONE);

            List<ExportHistory.Entry> nightly = airlock.exportHistory().list(Optional.of("nightly"));

            assertThat(nightly).extracting(ExportHistory.Entry::repository).containsExactly("r", "r");
            ExportRecord full = nightly.get(0).record();
            ExportRecord delta = nightly.get(1).record();
            assertThat(full.exportName()).isEqualTo("full");
            assertThat(full.versionNumber()).isEqualTo(1);
            assertThat(full.incremental()).contains(false);
            assertThat(full.baseVersion()).isEmpty();
            assertThat(full.files()).containsExactly("full-toc.json", "full.tar");
            assertThat(full.totalBytes()).hasValue(Files.size(exports.resolve("full-toc.json")) + Files.size(exports.resolve("full.tar")));
            assertThat(delta.incremental()).contains(true);
            assertThat(delta.baseVersion()).hasValue(1);
            assertThat(delta.versionNumber()).isEqualTo(2);
            assertThat(delta.files()).hasSizeGreaterThan(2).startsWith("delta-toc.json", "delta.tar.000000");
            long bytes = 0;
            for (String file : delta.files()) {
                bytes += Files.size(exports.resolve(file));
            }
            assertThat(delta.totalBytes()).hasValue(bytes);
            assertThat(airlock.exportHistory().list(Optional.empty())).extracting(e -> e.record().exporter())
                    .containsExactly("nightly", "nightly", "weekly");
        }
    }

    @Test
    void aForgottenExporterMustMakeAFullExportAgain() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            airlock.repositories().create("r", "test", null);
            addWidgets(airlock, "a");
            ExportEngine exporter = new ExportEngine(airlock);
            exporter.export(ExportRequest.full(List.of(VersionRef.latest("r")), db.path("x")).withName("full").withExporter("nightly"),
                    ProgressListener.NONE);
            addWidgets(airlock, "b");

            assertThat(airlock.exportHistory().forget("nightly")).isEqualTo(1);

            assertThat(airlock.exportHistory().list(Optional.empty())).isEmpty();
            assertThatThrownBy(() -> exporter.export(ExportRequest.full(List.of(VersionRef.latest("r")), db.path("x"))
                    .withName("delta").withExporter("nightly").incremental(), ProgressListener.NONE))
                    .hasMessage("exporter 'nightly' has not exported 'r' before; make a full export first");
            assertThat(db.path("x").resolve("delta-toc.json")).doesNotExist();
            assertThatThrownBy(() -> airlock.exportHistory().forget("nightly"))
                    .isInstanceOfSatisfying(AirlockException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                    .hasMessage("exporter 'nightly' has no recorded exports");
        }
    }

    @Test
    void anIncrementalExportWhoseBaseVersionWasDeletedIsRefused() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            airlock.repositories().create("r", "test", null);
            addWidgets(airlock, "a");
            ExportEngine exporter = new ExportEngine(airlock);
            exporter.export(ExportRequest.full(List.of(VersionRef.latest("r")), db.path("x")).withName("full").withExporter("nightly"),
                    ProgressListener.NONE);
            addWidgets(airlock, "b");
            airlock.repositories().deleteVersion(VersionRef.of("r", 1));

            assertThatThrownBy(() -> exporter.export(ExportRequest.full(List.of(VersionRef.latest("r")), db.path("x"))
                    .withName("delta").withExporter("nightly").incremental(), ProgressListener.NONE))
                    .isInstanceOfSatisfying(AirlockException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT))
                    .hasMessage("version 1 of repository 'r', which exporter 'nightly' exported last, has been deleted;"
                            + " make a full export (without --incremental)");
            assertThat(db.path("x").resolve("delta-toc.json")).doesNotExist();
            assertThat(airlock.exportHistory().list(Optional.of("nightly"))).hasSize(1);
        }
    }

    @Test
    void aRetentionAppliesToTheVersionsAnImportMakes() {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = TestInstallations.open(up); Airlock downstream = TestInstallations.open(down)) {
            upstream.repositories().create("r", "test", null);
            downstream.repositories().create("r", "test", null);
            downstream.repositories().update("r", new io.airlock.core.repository.Repositories.Update().retainVersions(2));
            ImportEngine importer = new ImportEngine(downstream);
            for (String unit : List.of("a", "b", "c")) {
                addWidgets(upstream, unit);
                ExportResult exported = new ExportEngine(upstream).export(ExportRequest.full(List.of(VersionRef.latest("r")),
                        up.path("x")).withName("e-" + unit), ProgressListener.NONE);
                importer.importArchive(ImportRequest.of(exported.toc().orElseThrow()), ProgressListener.NONE);
            }

            assertThat(downstream.repositories().versions("r")).extracting(v -> v.number()).containsExactly(2, 3);
            assertThat(ExportImportRoundTripTest.contentOf(downstream, "r")).containsOnlyKeys("a", "b", "c");
            assertThat(downstream.repositories().version(VersionRef.of("r", 2)).addedCount()).isEqualTo(2);
        }
    }

    @Test
    void deletingARepositoryThenCleaningUpFreesItsFiles() throws IOException {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            airlock.repositories().create("r", "test", null);
            airlock.repositories().create("kept", "test", null);
            addWidgets(airlock, "a", "b");
            airlock.repositories().modify("kept", OptionalInt.empty(), d -> d.add(TestInstallations.save(airlock,
                    new io.airlock.core.Widget("a", 1))));
            new ExportEngine(airlock).export(ExportRequest.full(List.of(VersionRef.latest("r")), db.path("x")).withExporter("e"),
                    ProgressListener.NONE);
            assertThat(ExportImportRoundTripTest.storeFiles(db)).hasSize(2);

            airlock.repositories().delete("r");
            var status = airlock.status();
            var cleaned = airlock.cleanup(false);

            assertThat(status.orphanContent()).isEqualTo(1);
            assertThat(status.orphanArtifacts()).isEqualTo(1);
            assertThat(cleaned.content()).isEqualTo(1);
            assertThat(cleaned.files()).isEqualTo(1);
            assertThat(ExportImportRoundTripTest.storeFiles(db)).hasSize(1);
            assertThat(airlock.exportHistory().list(Optional.empty())).isEmpty();
            assertThat(ExportImportRoundTripTest.contentOf(airlock, "kept")).containsOnlyKeys("a");
        }
    }

    @Test
    void statusCountsWhatTheInstallationHolds() {
        try (TestDatabase db = TestDatabase.create(); Airlock airlock = TestInstallations.open(db)) {
            airlock.repositories().create("r", "test", null);
            airlock.repositories().create("s", "test", null);
            addWidgets(airlock, "a", "bb");
            TestInstallations.save(airlock, new io.airlock.core.Widget("loose", 1));

            var status = airlock.status();

            assertThat(status.repositories()).isEqualTo(2);
            assertThat(status.versions()).isEqualTo(3);
            assertThat(status.units()).containsExactly(java.util.Map.entry("test.widget", 3L));
            assertThat(status.artifacts()).isEqualTo(2);
            assertThat(status.artifactBytes()).isEqualTo("bytes of a".length() + "bytes of bb".length());
            assertThat(status.storeFiles()).isEqualTo(2);
            assertThat(status.storeBytes()).isEqualTo(status.artifactBytes());
            assertThat(status.orphanContent()).isEqualTo(1);
            assertThat(status.orphanArtifacts()).isZero();
            assertThat(status.plugins()).containsOnlyKeys("test");
            assertThat(status.schema()).extracting(m -> m.module() + " " + m.pending()).contains("core []");
            assertThat(status.database()).startsWith("jdbc:").doesNotContain("airlock-retry");
            assertThat(status.storage()).isEqualTo(db.path("artifacts").toAbsolutePath().normalize());
        }
    }
}
