package io.airlock.core.imports;

import static io.airlock.core.imports.ExportImportRoundTripTest.addWidgets;
import static io.airlock.core.imports.ExportImportRoundTripTest.storeFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.airlock.core.Airlock;
import io.airlock.core.WidgetPlugin;
import io.airlock.core.copy.CopyEngine;
import io.airlock.core.copy.CopyRequest;
import io.airlock.core.copy.CopyResult;
import io.airlock.core.export.ExportEngine;
import io.airlock.core.export.ExportRecord;
import io.airlock.core.export.ExportRequest;
import io.airlock.core.export.ExportResult;
import io.airlock.core.repository.VersionRef;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ProgressListener;
import io.airlock.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Each operation holds one connection of the host's pool at a time: on a real pool (HikariCP) of
 * one connection every operation completes, and with a short acquisition timeout one that asked for
 * a second connection would fail fast instead of hanging.
 */
@Tag("persistence")
final class ConnectionsPerOperationTest {

    private static final Duration SHORT = Duration.ofSeconds(2);

    @Test
    void fourConcurrentNamedExportsShareAPoolOfTwoAndAllAreRecorded() throws Exception {
        try (TestDatabase db = TestDatabase.create(); HikariDataSource pool = pool(db, 2, Duration.ofSeconds(60));
                Airlock airlock = open(db, pool)) {
            airlock.repositories().create("r", "test", null);
            addWidgets(airlock, "a", "b", "c");
            ExportEngine exporter = new ExportEngine(airlock);
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService threads = Executors.newFixedThreadPool(4);
            List<Future<ExportResult>> exports = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    String name = "e" + i;
                    exports.add(threads.submit(() -> {
                        start.await();
                        return exporter.export(ExportRequest.full(List.of(VersionRef.latest("r")), db.path("exports"))
                                .withName(name).withExporter("usb"), ProgressListener.NONE);
                    }));
                }
                start.countDown();
                for (Future<ExportResult> export : exports) {
                    assertThat(export.get(120, TimeUnit.SECONDS).units()).isEqualTo(3);
                }
            } finally {
                threads.shutdownNow();
            }

            assertThat(records(airlock)).containsExactlyInAnyOrder("e0", "e1", "e2", "e3");
            for (int i = 0; i < 4; i++) {
                assertThat(db.path("exports").resolve("e" + i + "-toc.json")).isRegularFile();
            }
        }
    }

    @Test
    void aNamedExportAndAnIncrementalOnItRunOnAPoolOfOne() throws IOException {
        try (TestDatabase db = TestDatabase.create(); HikariDataSource pool = pool(db, 1, SHORT); Airlock airlock = open(db, pool)) {
            airlock.repositories().create("r", "test", null);
            addWidgets(airlock, "a", "b");
            ExportEngine exporter = new ExportEngine(airlock);
            exporter.export(ExportRequest.full(List.of(VersionRef.latest("r")), db.path("exports")).withName("full")
                    .withExporter("usb"), ProgressListener.NONE);
            addWidgets(airlock, "c");

            ExportResult incremental = exporter.export(ExportRequest.full(List.of(VersionRef.latest("r")), db.path("exports"))
                    .withName("delta").withExporter("usb").incremental(), ProgressListener.NONE);

            assertThat(incremental.units()).isEqualTo(1);
            assertThat(incremental.repositories().get(0).baseVersion()).contains(1);
            assertThat(records(airlock)).containsExactlyInAnyOrder("full", "delta");
            assertThat(scratchRows(airlock)).isZero();
        }
    }

    @Test
    void anExportWhoseFilesCannotBeMovedIntoPlaceIsNotRecorded() throws IOException {
        try (TestDatabase db = TestDatabase.create(); HikariDataSource pool = pool(db, 1, SHORT); Airlock airlock = open(db, pool)) {
            airlock.repositories().create("r", "test", null);
            addWidgets(airlock, "a", "b");
            Path exports = db.path("exports");
            // While the export writes, something takes the archive's name in the target directory:
            // the move into place fails after the record was written in the export's transaction.
            ProgressListener takeTheName = (phase, done, total) -> {
                try {
                    Files.createDirectories(exports.resolve("blocked.tar").resolve("occupied"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            };

            assertThatThrownBy(() -> new ExportEngine(airlock).export(ExportRequest.full(List.of(VersionRef.latest("r")), exports)
                    .withName("blocked").withExporter("usb"), takeTheName))
                    .isInstanceOf(AirlockException.class)
                    .hasMessageStartingWith("cannot write export blocked to ");

            assertThat(records(airlock)).isEmpty();
            assertThat(exports.resolve("blocked-toc.json")).doesNotExist();
            try (Stream<Path> left = Files.list(exports)) {
                assertThat(left.map(p -> p.getFileName().toString())).containsExactly("blocked.tar");
            }
        }
    }

    @Test
    void anExportWhoseRecordFailsAtCommitTakesItsFilesBack() throws IOException {
        assumeTrue(TestDatabase.isPostgres(), "a constraint checked at commit needs PostgreSQL");
        try (TestDatabase db = TestDatabase.create(); HikariDataSource pool = pool(db, 1, SHORT); Airlock airlock = open(db, pool)) {
            airlock.repositories().create("r", "test", null);
            addWidgets(airlock, "a", "b");
            // A deferred constraint trigger: the record is accepted when written and refused by the commit,
            // which comes after the files were moved into place.
            airlock.inTransaction(s -> {
                s.doWork(c -> {
                    try (var statement = c.createStatement()) {
                        statement.execute("create function refuse_export_record() returns trigger language plpgsql as"
                                + " $$ begin raise exception 'export records are refused at commit'; end $$");
                        statement.execute("create constraint trigger refuse_at_commit after insert on export_record"
                                + " deferrable initially deferred for each row execute function refuse_export_record()");
                    }
                });
                return null;
            });
            Path exports = db.path("exports");

            assertThatThrownBy(() -> new ExportEngine(airlock).export(ExportRequest.full(List.of(VersionRef.latest("r")), exports)
                    .withName("refused").withExporter("usb"), ProgressListener.NONE))
                    .isInstanceOf(AirlockException.class)
                    .hasMessageContaining("export records are refused at commit");

            assertThat(records(airlock)).isEmpty();
            try (Stream<Path> left = Files.list(exports)) {
                assertThat(left).isEmpty();
            }
        }
    }

    @Test
    void aCopyRunsOnAPoolOfOne() {
        try (TestDatabase db = TestDatabase.create(); HikariDataSource pool = pool(db, 1, SHORT); Airlock airlock = open(db, pool)) {
            airlock.repositories().create("r", "test", null);
            airlock.repositories().create("copy", "test", null);
            addWidgets(airlock, "a", "b");

            CopyResult result = new CopyEngine(airlock).copy(CopyRequest.of(List.of(CopyRequest.Entry.whole("r", "copy"))));

            assertThat(result.destinations().get(0).version()).contains(1);
            assertThat(labels(airlock, "copy")).containsExactly("a", "b");
        }
    }

    @Test
    void anImportRunsOnAPoolOfOne() {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = open(up, null); HikariDataSource pool = pool(down, 1, SHORT); Airlock downstream = open(down, pool)) {
            upstream.repositories().create("r", "test", null);
            addWidgets(upstream, "a", "b");
            Path toc = new ExportEngine(upstream).export(ExportRequest.full(List.of(VersionRef.latest("r")), up.path("x")),
                    ProgressListener.NONE).toc().orElseThrow();

            ImportResult imported = new ImportEngine(downstream).importArchive(ImportRequest.of(toc).creatingRepositories(),
                    ProgressListener.NONE);

            assertThat(imported.repositories().get(0).version()).contains(1);
            assertThat(labels(downstream, "r")).containsExactly("a", "b");
        }
    }

    @Test
    void aFailedImportOnAPoolOfOneRemovesTheFilesItStored() throws IOException {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock upstream = open(up, null); HikariDataSource pool = pool(down, 1, SHORT); Airlock downstream = open(down, pool)) {
            upstream.repositories().create("r", "test", null);
            addWidgets(upstream, "a");
            ExportEngine exporter = new ExportEngine(upstream);
            exporter.export(ExportRequest.full(List.of(VersionRef.latest("r")), up.path("x")).withName("full")
                    .withExporter("usb"), ProgressListener.NONE);
            addWidgets(upstream, "b");
            Path delta = exporter.export(ExportRequest.full(List.of(VersionRef.latest("r")), up.path("x")).withName("delta")
                    .withExporter("usb").incremental().withFullMembership(), ProgressListener.NONE).toc().orElseThrow();
            downstream.repositories().create("r", "test", null);

            // The incremental export's artifact is stored before its complete membership names a unit of the base, which is missing
            // (a delta would be refused before any artifact is stored, its base not being downstream).
            assertThatThrownBy(() -> new ImportEngine(downstream).importArchive(ImportRequest.of(delta), ProgressListener.NONE))
                    .isInstanceOf(AirlockException.class)
                    .hasMessageContaining("is neither in the export nor in this installation");

            assertThat(storeFiles(down)).isEmpty();
            assertThat(downstream.repositories().versions("r")).hasSize(1);
        }
    }

    @Test
    void aConnectionThatCannotBeHadIsAnAirlockException() throws Exception {
        try (TestDatabase db = TestDatabase.create(); HikariDataSource pool = pool(db, 1, Duration.ofMillis(300));
                Airlock airlock = open(db, pool)) {
            airlock.repositories().create("r", "test", null);
            addWidgets(airlock, "a");

            try (Connection held = pool.getConnection()) {
                assertThatThrownBy(() -> airlock.repositories().list())
                        .isInstanceOfSatisfying(AirlockException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_FAILURE));
                assertThatThrownBy(() -> new ExportEngine(airlock).export(ExportRequest.full(List.of(VersionRef.latest("r")),
                        db.path("exports")).withExporter("usb"), ProgressListener.NONE))
                        .isInstanceOfSatisfying(AirlockException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_FAILURE));
            }

            assertThat(db.path("exports")).doesNotExist();
            assertThat(records(airlock)).isEmpty();
        }
    }

    /** A HikariCP pool of {@code size} connections whose callers give up waiting after {@code timeout}. */
    private static HikariDataSource pool(TestDatabase db, int size, Duration timeout) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.url());
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(timeout.toMillis());
        return new HikariDataSource(config);
    }

    /** The widget installation on the pool, or on its own connections by URL when {@code pool} is null. */
    private static Airlock open(TestDatabase db, HikariDataSource pool) {
        Airlock.Builder builder = Airlock.builder().storage(db.path("artifacts")).discoverPlugins(false).plugin(new WidgetPlugin());
        if (pool == null) {
            builder.jdbcUrl(db.url()).credentials(db.user(), db.password());
        } else {
            builder.dataSource(pool);
        }
        return builder.build();
    }

    private static List<String> records(Airlock airlock) {
        return airlock.inTransaction(s -> s.createSelectionQuery("from ExportRecord", ExportRecord.class).getResultList())
                .stream().map(ExportRecord::exportName).toList();
    }

    /** The labels of a repository's latest version, sorted (read on one connection). */
    private static List<String> labels(Airlock airlock, String repository) {
        List<String> labels = new ArrayList<>();
        airlock.repositories().scanContent(airlock.repositories().version(VersionRef.latest(repository)), Optional.empty(), 100,
                batch -> batch.forEach(unit -> labels.add(unit.label())));
        labels.sort(null);
        return labels;
    }

    private static long scratchRows(Airlock airlock) {
        return airlock.inTransaction(s -> s.createNativeQuery("select count(*) from version_draft_unit", Long.class).getSingleResult());
    }
}
