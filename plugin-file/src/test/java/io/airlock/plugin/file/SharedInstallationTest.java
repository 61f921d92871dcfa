package io.airlock.plugin.file;

import static io.airlock.plugin.file.FileTrees.files;
import static io.airlock.plugin.file.FileTrees.keys;
import static io.airlock.plugin.file.FileTrees.tree;
import static io.airlock.plugin.file.FileTrees.versionContents;
import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.core.Airlock;
import io.airlock.core.copy.CopyEngine;
import io.airlock.core.copy.CopyRequest;
import io.airlock.core.copy.CopyRequest.Entry;
import io.airlock.core.export.ExportEngine;
import io.airlock.core.export.ExportRequest;
import io.airlock.core.imports.ImportEngine;
import io.airlock.core.imports.ImportRequest;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.core.repository.VersionRef;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ErrorCode;
import io.airlock.spi.ProgressListener;
import io.airlock.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One {@link Airlock} shared by a host's threads, as docs/embedding.md says it may be: eight tasks
 * at once on the same instance — syncs into one repository, named exports, an import and copies —
 * each get a whole version of their own, and every unit and artifact exists once.
 */
@Tag("persistence")
final class SharedInstallationTest {

    @Test
    void eightTasksOnOneInstanceEachGetTheirOwnWholeVersion() throws Exception {
        try (TestDatabase db = TestDatabase.create();
                Airlock airlock = Airlock.builder().jdbcUrl(db.url()).credentials(db.user(), db.password())
                        .storage(db.path("artifacts")).build()) {
            Map<String, String> common = files("common/", 100);
            Map<String, String> seed = files("seed/", 10);
            for (String repository : List.of("shared", "seed", "imported", "copied")) {
                airlock.repositories().create(repository, "file", null);
            }
            new FileRepositories(airlock).sync("seed", tree(db.path("seed"), seed), ProgressListener.NONE);
            Path seedExport = db.path("seed-export");
            new ExportEngine(airlock).export(ExportRequest.full(List.of(VersionRef.parse("seed@1")), seedExport)
                    .withName("seed"), ProgressListener.NONE);

            Map<String, Set<String>> syncs = new TreeMap<>();
            Map<String, Callable<Optional<Integer>>> tasks = new LinkedHashMap<>();
            for (int i = 1; i <= 4; i++) {
                Map<String, String> files = new TreeMap<>(common);
                files.putAll(files("sync" + i + "/", 5));
                syncs.put("sync" + i, keys(files));
                Path directory = tree(db.path("sync" + i), files);
                tasks.put("sync" + i, () -> new FileRepositories(airlock).sync("shared", directory, ProgressListener.NONE)
                        .map(RepositoryVersion::number));
            }
            for (int i = 1; i <= 2; i++) {
                Path to = db.path("export" + i);
                String name = "seed" + i;
                tasks.put("export" + i, () -> {
                    new ExportEngine(airlock).export(ExportRequest.full(List.of(VersionRef.parse("seed@1")), to)
                            .withName(name).withExporter("exporter" + name), ProgressListener.NONE);
                    return Optional.empty();
                });
            }
            tasks.put("import", () -> new ImportEngine(airlock)
                    .importArchive(ImportRequest.of(seedExport.resolve("seed-toc.json")).mapping("seed", "imported"), ProgressListener.NONE)
                    .repositories().get(0).version());
            tasks.put("copy", () -> new CopyEngine(airlock).copy(CopyRequest.of(List.of(Entry.whole("seed@1", "copied"))))
                    .destinations().get(0).version());

            Map<String, Optional<Integer>> outcomes = runAtOnce(tasks);

            Map<Integer, Set<String>> shared = versionContents(airlock, "shared");
            assertThat(shared.keySet()).containsExactly(0, 1, 2, 3, 4);
            for (String sync : syncs.keySet()) {
                assertThat(shared.get(outcomes.get(sync).orElseThrow())).as(sync).isEqualTo(syncs.get(sync));
            }
            assertThat(versionContents(airlock, "imported")).isEqualTo(Map.of(0, Set.of(), 1, keys(seed)));
            assertThat(versionContents(airlock, "copied")).isEqualTo(Map.of(0, Set.of(), 1, keys(seed)));
            for (int i = 1; i <= 2; i++) {
                assertThat(db.path("export" + i).resolve("seed" + i + "-toc.json")).isRegularFile();
            }
            Set<String> everyUnit = new TreeSet<>(keys(seed));
            syncs.values().forEach(everyUnit::addAll);
            try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
                assertThat(count(statement, "select count(*) from file_content")).as("one row per unit").isEqualTo(everyUnit.size());
                assertThat(count(statement, "select count(*) from artifact")).as("one row per file").isEqualTo(everyUnit.size());
            }
        }
    }

    /** Starts every task on its own thread at the same moment; a task refused as busy is tried again, as a host would. */
    private static Map<String, Optional<Integer>> runAtOnce(Map<String, Callable<Optional<Integer>>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            Map<String, Future<Optional<Integer>>> futures = new LinkedHashMap<>();
            for (Map.Entry<String, Callable<Optional<Integer>>> task : tasks.entrySet()) {
                futures.put(task.getKey(), pool.submit(() -> {
                    start.await();
                    for (int attempt = 1; ; attempt++) {
                        try {
                            return task.getValue().call();
                        } catch (AirlockException e) {
                            if (e.code() != ErrorCode.BUSY || attempt == 5) {
                                throw e;
                            }
                        }
                    }
                }));
            }
            start.countDown();
            Map<String, Optional<Integer>> outcomes = new LinkedHashMap<>();
            for (Map.Entry<String, Future<Optional<Integer>>> future : futures.entrySet()) {
                outcomes.put(future.getKey(), future.getValue().get(2, TimeUnit.MINUTES));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    private static long count(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

}
