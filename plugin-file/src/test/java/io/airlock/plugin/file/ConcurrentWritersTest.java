package io.airlock.plugin.file;

import static io.airlock.plugin.file.FileTrees.files;
import static io.airlock.plugin.file.FileTrees.keys;
import static io.airlock.plugin.file.FileTrees.tree;
import static io.airlock.plugin.file.FileTrees.versionContents;
import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.core.Airlock;
import io.airlock.core.export.ExportEngine;
import io.airlock.core.export.ExportRequest;
import io.airlock.core.repository.VersionRef;
import io.airlock.spi.ProgressListener;
import io.airlock.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Eight writers at once on one database — four threads, each with its own {@link Airlock}, and four
 * child JVMs — importing one export, copying and syncing directories into the same and different
 * repositories, with most content in common: 200 files every importer and syncer stores, new to
 * the database. On H2 the child JVMs reach the file database through the server its first opener
 * starts ({@code AUTO_SERVER=TRUE}).
 *
 * <p>A writer may be refused only as busy, and then retries, as a host would. In the end each
 * repository has each version number once, each writer's version holds exactly what its operation
 * says, and every unit and artifact exists exactly once.
 */
@Tag("persistence")
final class ConcurrentWritersTest {

    private static final int COMMON = 200;
    private static final int UNIQUE = 5;
    private static final int VENDOR_ONLY = 20;
    private static final int SEED = 5;

    @Test
    void eightWritersWithContentInCommonLoseNothingAndDuplicateNothing() throws Exception {
        try (TestDatabase db = TestDatabase.create(); TestDatabase upstream = TestDatabase.create()) {
            Map<String, String> common = files("common/", COMMON);
            Map<String, String> vendor = merge(common, files("vendor/", VENDOR_ONLY));
            Map<String, String> seed = files("seed/", SEED);
            Path export = exportOf(upstream, vendor);
            String url = TestDatabase.isPostgres() ? db.url() : db.url() + ";AUTO_SERVER=TRUE";
            Path storage = db.path("artifacts");

            try (Airlock observer = Airlock.builder().jdbcUrl(url).credentials(db.user(), db.password()).storage(storage).build()) {
                for (String repository : List.of("shared", "imp-t1", "sync-p3", "sync-t3", "copy-t4", "seed")) {
                    observer.repositories().create(repository, "file", null);
                }
                new FileRepositories(observer).sync("seed", tree(db.path("seed"), seed), ProgressListener.NONE);
                Map<String, Set<String>> syncs = new TreeMap<>();
                Map<String, List<String>> writers = new LinkedHashMap<>(); // p*: child JVMs, t*: threads
                writers.put("p1", List.of("import", export.toString(), "vendor", "shared"));
                writers.put("t1", List.of("import", export.toString(), "vendor", "imp-t1"));
                for (String writer : List.of("p2", "t2", "p3", "t3")) {
                    Map<String, String> files = merge(common, files(writer + "/", UNIQUE));
                    syncs.put(writer, keys(files));
                    String repository = writer.endsWith("2") ? "shared" : "sync-" + writer;
                    writers.put(writer, List.of("sync", repository, tree(db.path(writer), files).toString()));
                }
                writers.put("p4", List.of("copy", "seed@1", "shared"));
                writers.put("t4", List.of("copy", "seed@1", "copy-t4"));

                Map<String, ConcurrentWriter.Outcome> outcomes = runAtOnce(db, url, storage, writers);

                Map<Integer, Set<String>> shared = versionContents(observer, "shared");
                assertThat(shared.keySet()).containsExactly(0, 1, 2, 3, 4);
                assertThat(List.of("p1", "p2", "t2", "p4")).extracting(w -> outcomes.get(w).version().orElseThrow())
                        .as("one version of 'shared' per writer").containsExactlyInAnyOrder(1, 2, 3, 4);
                assertThat(shared.get(outcomes.get("p1").version().orElseThrow())).as("import").isEqualTo(keys(vendor));
                assertThat(shared.get(outcomes.get("p2").version().orElseThrow())).as("sync p2").isEqualTo(syncs.get("p2"));
                assertThat(shared.get(outcomes.get("t2").version().orElseThrow())).as("sync t2").isEqualTo(syncs.get("t2"));
                int copied = outcomes.get("p4").version().orElseThrow();
                assertThat(shared.get(copied)).as("copy: the version before plus the seed")
                        .isEqualTo(union(shared.get(copied - 1), keys(seed)));
                assertThat(versionContents(observer, "imp-t1")).isEqualTo(Map.of(0, Set.of(), 1, keys(vendor)));
                assertThat(versionContents(observer, "sync-p3")).isEqualTo(Map.of(0, Set.of(), 1, syncs.get("p3")));
                assertThat(versionContents(observer, "sync-t3")).isEqualTo(Map.of(0, Set.of(), 1, syncs.get("t3")));
                assertThat(versionContents(observer, "copy-t4")).isEqualTo(Map.of(0, Set.of(), 1, keys(seed)));

                Set<String> everyUnit = union(keys(vendor), keys(seed));
                syncs.values().forEach(everyUnit::addAll);
                try (Connection connection = DriverManager.getConnection(url, db.user(), db.password())) {
                    assertThat(strings(connection, "select relative_path || ' ' || sha256 from file_content"))
                            .as("one content row per unit").containsExactlyInAnyOrderElementsOf(everyUnit);
                    assertThat(strings(connection, "select key_digest from content")).hasSize(everyUnit.size());
                    assertThat(strings(connection, "select sha256 from artifact")).as("one artifact row per file")
                            .containsExactlyInAnyOrderElementsOf(everyUnit.stream().map(k -> k.split(" ")[1]).toList());
                    assertThat(strings(connection, "select f.relative_path || ' ' || a.sha256 from file_content f"
                            + " join content_artifact ca on ca.content_id = f.id join artifact a on a.id = ca.artifact_id"))
                            .as("each unit linked once, to its own bytes").containsExactlyInAnyOrderElementsOf(everyUnit);
                }
                for (String unit : everyUnit) {
                    String sha256 = unit.split(" ")[1];
                    assertThat(storage.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2))).as("file of %s", unit).exists();
                }
            }
        }
    }

    /** Starts the child JVMs, waits until each has opened its installation, then lets all writers go at once. */
    private static Map<String, ConcurrentWriter.Outcome> runAtOnce(TestDatabase db, String url, Path storage,
            Map<String, List<String>> writers) throws Exception {
        Path start = db.path("start");
        long began = System.nanoTime();
        Map<String, Process> children = new LinkedHashMap<>();
        Map<String, Airlock> installations = new LinkedHashMap<>();
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            for (Map.Entry<String, List<String>> writer : writers.entrySet()) {
                if (writer.getKey().startsWith("p")) {
                    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                            "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dorg.jboss.logging.provider=slf4j",
                            "-Dorg.slf4j.simpleLogger.defaultLogLevel=error", "-cp", System.getProperty("java.class.path"),
                            ConcurrentWriter.class.getName(), url, db.user(), db.password(), storage.toString(),
                            db.path("ready-" + writer.getKey()).toString(), start.toString()));
                    command.addAll(writer.getValue());
                    children.put(writer.getKey(), new ProcessBuilder(command).redirectErrorStream(true)
                            .redirectOutput(db.path("out-" + writer.getKey()).toFile()).start());
                } else {
                    installations.put(writer.getKey(), Airlock.builder().jdbcUrl(url).credentials(db.user(), db.password())
                            .storage(storage).lockTimeout(ConcurrentWriter.LOCK_TIMEOUT).build());
                }
            }
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            for (String child : children.keySet()) {
                while (!Files.exists(db.path("ready-" + child))) {
                    assertThat(children.get(child).isAlive()).as("writer %s started: %s", child, output(db, child)).isTrue();
                    assertThat(System.nanoTime() - deadline).as("writer %s ready in time", child).isNegative();
                    Thread.sleep(10);
                }
            }
            long ready = System.nanoTime();
            CountDownLatch go = new CountDownLatch(1);
            Map<String, CompletableFuture<ConcurrentWriter.Outcome>> threads = new LinkedHashMap<>();
            installations.forEach((writer, airlock) -> threads.put(writer, CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                    return ConcurrentWriter.run(airlock, writers.get(writer));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, pool)));
            Files.createFile(start);
            go.countDown();

            Map<String, ConcurrentWriter.Outcome> outcomes = new TreeMap<>();
            for (Map.Entry<String, CompletableFuture<ConcurrentWriter.Outcome>> thread : threads.entrySet()) {
                outcomes.put(thread.getKey(), thread.getValue().get(3, TimeUnit.MINUTES));
            }
            for (Map.Entry<String, Process> child : children.entrySet()) {
                assertThat(child.getValue().waitFor(3, TimeUnit.MINUTES)).as("writer %s finished", child.getKey()).isTrue();
                String output = output(db, child.getKey());
                assertThat(child.getValue().exitValue()).as("writer %s: %s", child.getKey(), output).isZero();
                String[] words = output.lines().filter(l -> l.startsWith("version ")).findFirst().orElseThrow().split(" ");
                outcomes.put(child.getKey(), new ConcurrentWriter.Outcome(
                        words[1].equals("none") ? Optional.empty() : Optional.of(Integer.parseInt(words[1])), Integer.parseInt(words[3])));
            }
            System.out.printf("concurrent writers: %d writers, %d retries after busy; start-up %d ms, writing %d ms%n",
                    outcomes.size(), outcomes.values().stream().mapToInt(ConcurrentWriter.Outcome::retries).sum(),
                    (ready - began) / 1_000_000, (System.nanoTime() - ready) / 1_000_000);
            return outcomes;
        } finally {
            children.values().forEach(Process::destroyForcibly);
            installations.values().forEach(Airlock::close);
            pool.shutdownNow();
        }
    }

    private static String output(TestDatabase db, String writer) {
        try {
            Path file = db.path("out-" + writer);
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An export of a repository "vendor" holding these files, made by another installation. */
    private static Path exportOf(TestDatabase upstream, Map<String, String> files) {
        try (Airlock airlock = Airlock.builder().jdbcUrl(upstream.url()).credentials(upstream.user(), upstream.password())
                .storage(upstream.path("artifacts")).build()) {
            airlock.repositories().create("vendor", "file", null);
            new FileRepositories(airlock).sync("vendor", tree(upstream.path("vendor"), files), ProgressListener.NONE);
            Path to = upstream.path("export");
            new ExportEngine(airlock).export(ExportRequest.full(List.of(VersionRef.parse("vendor")), to).withName("vendor"),
                    ProgressListener.NONE);
            return to.resolve("vendor-toc.json");
        }
    }

    private static Map<String, String> merge(Map<String, String> first, Map<String, String> second) {
        Map<String, String> all = new TreeMap<>(first);
        all.putAll(second);
        return all;
    }

    private static Set<String> union(Set<String> first, Set<String> second) {
        Set<String> all = new TreeSet<>(first);
        all.addAll(second);
        return all;
    }

    private static List<String> strings(Connection connection, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }
}
