package io.airlock.core.imports;

import static io.airlock.core.imports.ExportImportRoundTripTest.addWidgets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlock.core.Airlock;
import io.airlock.core.TestInstallations;
import io.airlock.core.WidgetPlugin;
import io.airlock.core.export.ExportEngine;
import io.airlock.core.export.ExportRequest;
import io.airlock.core.repository.VersionRef;
import io.airlock.spi.ProgressListener;
import io.airlock.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scratch rows are written outside the operation's transaction (committed by a second connection)
 * and removed when it ends; those of a killed process are removed by the next start, and those of
 * a live run by nobody else.
 */
@Tag("persistence")
final class ScratchRowsTest {

    @Test
    void aKilledImportLeavesScratchRowsThatTheNextStartRemovesAndTheImportThenSucceeds() throws Exception {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create()) {
            Path toc = exportOf(up, "a", "b", "c");

            killImporter(down, toc);

            assertThat(count(down, "import_key")).as("the killed run's committed keys").isPositive();
            assertThat(count(down, "scratch_run")).isPositive();
            awaitUnlocked(down);
            try (Airlock airlock = TestInstallations.open(down)) {
                assertThat(scratch(down)).as("after the next start").containsExactly(0L, 0L, 0L, 0L);
                assertThat(airlock.repositories().find("r")).as("the killed import's repository").isEmpty();

                ImportResult imported = new ImportEngine(airlock).importArchive(ImportRequest.of(toc).creatingRepositories(),
                        ProgressListener.NONE);

                assertThat(imported.repositories().get(0).version()).contains(1);
                assertThat(airlock.repositories().version(VersionRef.latest("r")).contentCount()).isEqualTo(3);
                assertThat(scratch(down)).as("after the second import").containsExactly(0L, 0L, 0L, 0L);
            }
        }
    }

    @Test
    void aLiveImportsRowsAreCommittedOutsideItsTransactionAndNoOtherInstanceRemovesThem() throws Exception {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock importer = TestInstallations.open(down)) {
            Path toc = exportOf(up, "a", "b");

            record Seen(long keys, int removed, long keysAfter) {
            }
            Paused<Seen> run = pausedAfterTheVersion(importer, ImportRequest.of(toc).creatingRepositories(), () -> {
                long keys = count(down, "import_key");
                try (Airlock other = TestInstallations.open(down)) {
                    return new Seen(keys, other.removeDeadScratch(), count(down, "import_key"));
                }
            });

            assertThat(run.seen().keys()).as("keys seen by another connection while the import runs").isPositive();
            assertThat(run.seen().removed()).isZero();
            assertThat(run.seen().keysAfter()).isEqualTo(run.seen().keys());
            assertThat(run.result().repositories().get(0).version()).contains(1);
            assertThat(scratch(down)).containsExactly(0L, 0L, 0L, 0L);
        }
    }

    @Test
    void onH2ARunsKeysAreInATableOfItsOwnThatIsDroppedWhenTheImportEnds() throws Exception {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock importer = TestInstallations.open(down)) {
            Path toc = exportOf(up, "a", "b");

            record Seen(List<String> own, long shared) {
            }
            Paused<Seen> run = pausedAfterTheVersion(importer, ImportRequest.of(toc).creatingRepositories(), () -> {
                try (Connection connection = down.connect(); Statement statement = connection.createStatement();
                        ResultSet rows = statement.executeQuery("select count(*) from import_key")) {
                    rows.next();
                    return new Seen(ownTables(down, "import_key"), rows.getLong(1));
                }
            });

            if (TestDatabase.isPostgres()) {
                assertThat(run.seen().own()).as("PostgreSQL deletes from the shared table quickly").isEmpty();
                assertThat(run.seen().shared()).isPositive();
            } else {
                assertThat(run.seen().own()).as("the run's own table mid-import").hasSize(1);
                assertThat(run.seen().shared()).as("rows in the shared table mid-import").isZero();
            }
            assertThat(ownTables(down, "import_key")).as("after the import").isEmpty();
        }
    }

    @Test
    void aHostsDataSourceLendsASecondConnectionOnlyWhenAskedTo() throws Exception {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create()) {
            Path toc = exportOf(up, "a", "b");
            TestInstallations.open(down).close(); // migrated

            long asked = keysSeenByAnotherConnectionMidImport(down, toc, true);
            long notAsked = keysSeenByAnotherConnectionMidImport(down, toc, false);

            assertThat(asked).as("committed by the second connection").isPositive();
            assertThat(notAsked).as("in the import's own transaction").isZero();
            assertThat(scratch(down)).containsExactly(0L, 0L, 0L, 0L);
        }
    }

    /**
     * Imports {@code toc} into a fresh repository through a HikariCP pool of two, pausing once the
     * version is made, and returns the import_key rows another connection sees meanwhile.
     */
    private static long keysSeenByAnotherConnectionMidImport(TestDatabase db, Path toc, boolean scratchConnections) throws Exception {
        com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
        config.setJdbcUrl(db.url());
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(2);
        config.setConnectionTimeout(2_000);
        try (com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource(config);
                Airlock airlock = Airlock.builder().dataSource(pool).storage(db.path("artifacts")).discoverPlugins(false)
                        .plugin(new WidgetPlugin()).scratchConnections(scratchConnections).build()) {
            String name = scratchConnections ? "second" : "single";
            Paused<Long> run = pausedAfterTheVersion(airlock, ImportRequest.of(toc).mapping("r", name).creatingRepositories(),
                    () -> count(db, "import_key"));
            assertThat(run.result().repositories().get(0).version()).contains(1);
            return run.seen();
        }
    }

    /** What a probe saw while an import was paused after making its version, and the import's result. */
    private record Paused<T>(T seen, ImportResult result) {
    }

    /**
     * Runs {@code request} on {@code airlock} in another thread, pausing it once the version is
     * made (before the commit), calls {@code probe} meanwhile, then lets the import finish.
     */
    private static <T> Paused<T> pausedAfterTheVersion(Airlock airlock, ImportRequest request, Callable<T> probe) throws Exception {
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        ProgressListener pause = (phase, done, total) -> {
            if (phase.equals("repositories") && paused.getCount() > 0) {
                paused.countDown();
                TestInstallations.await(resume);
            }
        };
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<ImportResult> running = thread.submit(() -> new ImportEngine(airlock).importArchive(request, pause));
            assertThat(paused.await(60, TimeUnit.SECONDS)).isTrue();
            T seen;
            try {
                seen = probe.call();
            } finally {
                resume.countDown();
            }
            return new Paused<>(seen, running.get(60, TimeUnit.SECONDS));
        } finally {
            resume.countDown();
            thread.shutdownNow();
        }
    }

    @Test
    void aFailedImportRemovesItsScratchRows() throws Exception {
        try (TestDatabase up = TestDatabase.create(); TestDatabase down = TestDatabase.create();
                Airlock airlock = TestInstallations.open(down)) {
            Path toc = exportOf(up, "a", "b");
            ProgressListener fail = (phase, done, total) -> {
                if (phase.equals("repositories")) {
                    throw new IllegalStateException("stopped after the version");
                }
            };

            assertThatThrownBy(() -> new ImportEngine(airlock).importArchive(ImportRequest.of(toc).creatingRepositories(), fail))
                    .hasMessageContaining("stopped after the version");

            assertThat(airlock.repositories().find("r")).isEmpty();
            assertThat(scratch(down)).containsExactly(0L, 0L, 0L, 0L);
        }
    }

    /** A full export of repository "r" holding widgets of these names, made on {@code up}. */
    private static Path exportOf(TestDatabase up, String... names) {
        try (Airlock upstream = TestInstallations.open(up)) {
            upstream.repositories().create("r", "test", null);
            addWidgets(upstream, names);
            return new ExportEngine(upstream).export(ExportRequest.full(List.of(VersionRef.latest("r")), up.path("x")),
                    ProgressListener.NONE).toc().orElseThrow();
        }
    }

    /** Runs {@link DyingImporter} in a child JVM and kills it (SIGKILL) once its import has made the version, before it commits. */
    private static void killImporter(TestDatabase db, Path toc) throws Exception {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process child = new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                DyingImporter.class.getName(), db.url(), db.user(), db.password(), db.path("artifacts").toString(), toc.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> said = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null && !line.equals("ready"); line = out.readLine()) {
                said.add(line);
            }
            child.destroyForcibly();
            child.waitFor();
        }
        assertThat(said).as("the child's output before it was killed").isEmpty();
    }

    /**
     * Rows of import_key and version_draft_unit (with those of the runs' own tables, see
     * ScratchSpace.table), rows of scratch_run, and how many own tables there are.
     */
    private static List<Long> scratch(TestDatabase db) throws SQLException {
        return List.of(count(db, "import_key"), count(db, "version_draft_unit"), count(db, "scratch_run"),
                (long) ownTables(db, "import_key").size() + ownTables(db, "version_draft_unit").size());
    }

    /** Rows of {@code table}; for a scratch table, with the rows of the runs' own tables for it. */
    private static long count(TestDatabase db, String table) throws SQLException {
        long rows = 0;
        List<String> tables = new ArrayList<>(ownTables(db, table));
        tables.add(table);
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            for (String name : tables) {
                try (ResultSet counted = statement.executeQuery("select count(*) from " + name)) {
                    counted.next();
                    rows += counted.getLong(1);
                }
            }
        }
        return rows;
    }

    /** The tables of runs of their own for the scratch table {@code shared}: {@code shared_<32 hex digits>}. */
    private static List<String> ownTables(TestDatabase db, String shared) throws SQLException {
        List<String> own = new ArrayList<>();
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select table_name from information_schema.tables where table_schema = current_schema")) {
            while (rows.next()) {
                String name = rows.getString(1).toLowerCase(java.util.Locale.ROOT);
                if (name.matches(java.util.regex.Pattern.quote(shared) + "_[0-9a-f]{32}")) {
                    own.add(name);
                }
            }
        }
        return own;
    }

    /**
     * Waits (up to 30 s) until the database has noticed the killed client and dropped its locks:
     * PostgreSQL ends the backend of a closed connection soon, not at once.
     */
    private static void awaitUnlocked(TestDatabase db) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Connection connection = db.connect()) {
                connection.setAutoCommit(false);
                try (Statement statement = connection.createStatement();
                        ResultSet rows = statement.executeQuery("select count(*) from (select id from scratch_run for update skip locked) s")) {
                    rows.next();
                    if (rows.getLong(1) == count(db, "scratch_run") || System.nanoTime() > deadline) {
                        connection.rollback();
                        return;
                    }
                }
                connection.rollback();
            }
            Thread.sleep(100);
        }
    }

    /** The child: imports the export and, once the version is made and before the commit, says so and waits to be killed. */
    static final class DyingImporter {

        public static void main(String[] args) throws Exception {
            Airlock airlock = Airlock.builder().jdbcUrl(args[0]).credentials(args[1], args[2]).storage(Path.of(args[3]))
                    .discoverPlugins(false).plugin(new WidgetPlugin()).build();
            ProgressListener stop = (phase, done, total) -> {
                if (phase.equals("repositories")) {
                    System.out.println("ready");
                    System.out.flush();
                    try {
                        Thread.sleep(600_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            new ImportEngine(airlock).importArchive(ImportRequest.of(Path.of(args[4])).creatingRepositories(), stop);
            System.out.println("finished without being killed");
        }
    }
}
