package io.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Kills the {@code airlock} command (a child JVM, SIGKILL) at random moments of its work and checks
 * what it left: every version is whole or absent, every artifact row has its file, and after the
 * next start (even trials) or {@code airlock cleanup} (odd trials) the store holds exactly the
 * files the rows name, with no run directory, staging or scratch folder left. The random delays are
 * seeded (printed; rerun with {@code -Dairlock.crash.seed=N}).
 */
@Tag("persistence")
final class CrashRecoveryTest {

    private static final int TRIALS = 24;
    private static final int FILES = 800;

    /** The commands killed, in the order the trials cycle through them. */
    private enum Kind { FILE_ADD, FILE_SYNC, EXPORT, IMPORT, COPY, PUBLISH }

    /** What one kind of trial saw. */
    private static final class Tally {
        int trials;
        int killedMidway;
        int finished;
        int leftRunDirectories;
        int leftUnrecordedFiles;
        int leftStaging;
        int newVersions;
    }

    @Test
    void killedCommandsLeaveWholeVersionsAndRecoveryLeavesExactlyTheRecordedFiles() throws Exception {
        long seed = Long.getLong("airlock.crash.seed", System.nanoTime());
        System.out.println("CrashRecoveryTest: seed " + seed + " (rerun with -Dairlock.crash.seed=" + seed + ")"
                + (TestDatabase.isPostgres() ? " on PostgreSQL" : " on H2"));
        Random random = new Random(seed);
        try (TestDatabase db = TestDatabase.create(); TestDatabase vendor = TestDatabase.create()) {
            Path work = db.path("work");
            Path dirA = tree(work.resolve("a"), FILES, 1, random);
            Path dirB = tree(work.resolve("b"), FILES, 2, random);
            Path vendorDir = tree(work.resolve("vendor"), FILES, 3, random);
            Set<String> pathsA = relativePaths(dirA);
            Set<String> pathsB = relativePaths(dirB);
            Set<String> vendorPaths = relativePaths(vendorDir);

            // Set-up in-process; its durations estimate how long each kind of work takes.
            Map<Kind, Long> budget = new EnumMap<>(Kind.class);
            Cli.ok(db, "repo", "create", "files", "--type", "file");
            budget.put(Kind.FILE_ADD, 2 * millis(() -> Cli.ok(db, "file", "add", "files", dirA.toString())));
            budget.put(Kind.FILE_SYNC, budget.get(Kind.FILE_ADD));
            Cli.ok(vendor, "repo", "create", "vendor", "--type", "file");
            Cli.ok(vendor, "file", "add", "vendor", vendorDir.toString());
            Path vendorExport = work.resolve("vendor-export");
            budget.put(Kind.EXPORT, 2 * millis(() -> Cli.ok(vendor, "export", "vendor", "--to", vendorExport.toString(),
                    "--chunk-size", "2M")));
            budget.put(Kind.IMPORT, budget.get(Kind.EXPORT));
            Path toc;
            try (Stream<Path> files = Files.list(vendorExport)) {
                toc = files.filter(p -> p.toString().endsWith("-toc.json")).findFirst().orElseThrow();
            }
            Path copyRequest = work.resolve("copy.json");
            Cli.ok(db, "repo", "create", "copy0", "--type", "file");
            Files.writeString(copyRequest, "{\"config\": [{\"source_repo_version\": \"files\", \"dest_repo\": \"copy0\"}]}");
            budget.put(Kind.COPY, 2 * millis(() -> Cli.ok(db, "copy", copyRequest.toString())));
            Path publications = work.resolve("pub");
            budget.put(Kind.PUBLISH, 2 * millis(() -> Cli.ok(db, "file", "publish", "files", publications.resolve("p0").toString())));
            Path exports = work.resolve("exports");

            Map<Kind, Tally> tallies = new EnumMap<>(Kind.class);
            long startupMillis = 0;
            int startups = 0;
            Kind[] kinds = Kind.values();
            for (int trial = 0; trial < TRIALS; trial++) {
                Kind kind = kinds[trial % kinds.length];
                Tally tally = tallies.computeIfAbsent(kind, k -> new Tally());
                tally.trials++;
                String target = kind.name().toLowerCase(java.util.Locale.ROOT).replace("_", "") + trial;
                Set<String> expected;
                String repository;
                List<String> args;
                switch (kind) {
                    case FILE_ADD -> {
                        // New bytes each time, so that a killed add leaves files no row names.
                        Path fresh = tree(work.resolve(target), FILES / 2, 3, random);
                        Cli.ok(db, "repo", "create", target, "--type", "file");
                        repository = target;
                        expected = relativePaths(fresh);
                        args = List.of("file", "add", target, fresh.toString());
                    }
                    case FILE_SYNC -> {
                        repository = "files";
                        boolean toB = labels(db, "files", latest(db, "files")).equals(pathsA);
                        expected = toB ? pathsB : pathsA;
                        args = List.of("file", "sync", "files", (toB ? dirB : dirA).toString());
                    }
                    case EXPORT -> {
                        repository = null;
                        expected = Set.of();
                        args = List.of("export", "files", "--to", exports.toString(), "--exporter", "e", "--chunk-size", "2M");
                    }
                    case IMPORT -> {
                        repository = target;
                        expected = vendorPaths;
                        args = List.of("import", toc.toString(), "--map", "vendor=" + target, "--create-repositories");
                    }
                    case COPY -> {
                        Cli.ok(db, "repo", "create", target, "--type", "file");
                        Files.writeString(copyRequest, "{\"config\": [{\"source_repo_version\": \"files\", \"dest_repo\": \""
                                + target + "\"}]}");
                        repository = target;
                        expected = labels(db, "files", latest(db, "files"));
                        args = List.of("copy", copyRequest.toString());
                    }
                    case PUBLISH -> {
                        repository = null;
                        expected = labels(db, "files", latest(db, "files"));
                        args = List.of("file", "publish", "files", publications.resolve(target).toString());
                    }
                    default -> throw new IllegalStateException();
                }
                int before = repository == null ? 0 : Math.max(0, latest(db, repository));

                // Kill after a random part of the work: measured from the moment the child's run
                // directory appears (its first file write), or for copy, which writes no file, from
                // the start plus the usual start-up time.
                Process child = start(db, args, work.resolve("child-" + trial + ".err"));
                long spawned = System.nanoTime();
                long delay = (long) (random.nextDouble() * budget.get(kind));
                boolean working = kind == Kind.COPY
                        ? !child.waitFor((startups == 0 ? 3000 : startupMillis / startups) + delay, TimeUnit.MILLISECONDS)
                        : awaitRunDirectory(db, child);
                long started = System.nanoTime();
                if (working && kind != Kind.COPY) {
                    startupMillis += (started - spawned) / 1_000_000;
                    startups++;
                    working = !child.waitFor(delay, TimeUnit.MILLISECONDS);
                }
                if (working) {
                    child.destroyForcibly();
                    tally.killedMidway++;
                } else {
                    tally.finished++;
                    // It took less than the budget: later delays of this kind stay within what it took.
                    budget.put(kind, Math.max(50, (System.nanoTime() - (kind == Kind.COPY ? spawned : started)) / 1_000_000
                            - (kind == Kind.COPY && startups > 0 ? startupMillis / startups : 0)));
                }
                child.waitFor();
                if (!working && child.exitValue() != 0) {
                    throw new AssertionError("airlock " + String.join(" ", args) + " failed: "
                            + Files.readString(work.resolve("child-" + trial + ".err")));
                }
                String what = "trial " + trial + " (" + kind + ", seed " + seed + ", " + (working ? "killed" : "finished") + ")";

                // What the dead run left, read without starting Airlock (whose start-up would clean up).
                Path tmp = db.path("artifacts").resolve("tmp");
                if (Files.isDirectory(tmp) && !list(tmp).isEmpty()) {
                    tally.leftRunDirectories++;
                }
                Set<String> rows = checkVersionsAndRows(db, what);
                if (!storeFiles(db).equals(rows)) {
                    tally.leftUnrecordedFiles++;
                }
                if (hasHidden(exports) || hasHidden(publications)) {
                    tally.leftStaging++;
                }
                if (repository != null && latest(db, repository) > before) {
                    tally.newVersions++;
                    assertThat(labels(db, repository, latest(db, repository))).as(what + ": the new version of " + repository)
                            .isEqualTo(expected);
                }
                if (kind == Kind.PUBLISH && Files.exists(publications.resolve(target))) {
                    assertThat(Files.readAllLines(publications.resolve(target).resolve("PULP_MANIFEST"))).as(what).hasSize(expected.size());
                }

                // The next start removes what a dead run left; cleanup does that and removes orphans.
                if (trial % 2 == 0) {
                    Cli.ok(db, "repo", "list");
                } else {
                    Cli.Result cleanup = Cli.ok(db, "cleanup");
                    assertThat(cleanup.out()).as(what).contains("orphans: 0 content unit(s), 0 artifact row(s)");
                }
                assertThat(storeFiles(db)).as(what + ": stored files after recovery").isEqualTo(checkVersionsAndRows(db, what));
                assertThat(Files.exists(tmp) ? list(tmp) : List.of()).as(what + ": run directories after recovery").isEmpty();
                assertThat(hasHidden(exports) || hasHidden(publications)).as(what + ": staging folders after recovery").isFalse();
                checkExports(exports, what);
            }

            System.out.println("CrashRecoveryTest: " + TRIALS + " trials (seed " + seed + "):");
            int killed = 0;
            for (Map.Entry<Kind, Tally> entry : tallies.entrySet()) {
                Tally t = entry.getValue();
                killed += t.killedMidway;
                System.out.printf("  %-9s %d trials: %d killed mid-way, %d finished first; after the kill: %d left a run directory,"
                        + " %d left artifact files no row names, %d left a staging folder; %d new versions, all whole%n",
                        entry.getKey(), t.trials, t.killedMidway, t.finished, t.leftRunDirectories, t.leftUnrecordedFiles,
                        t.leftStaging, t.newVersions);
            }
            assertThat(killed).as("trials killed mid-way (the others finished before their kill)").isGreaterThanOrEqualTo(TRIALS / 2);
        }
    }

    private static Process start(TestDatabase db, List<String> args, Path stderr) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--home", db.directory().toString(), "--db", db.url(), "--db-user=" + db.user(), "--db-password=" + db.password()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile()).start();
    }

    /** Waits until the child owns a run directory (its work began); false if it ended first. */
    private static boolean awaitRunDirectory(TestDatabase db, Process child) throws Exception {
        Path tmp = db.path("artifacts").resolve("tmp");
        while (child.isAlive()) {
            if (Files.isDirectory(tmp) && !list(tmp).isEmpty()) {
                return true;
            }
            Thread.sleep(2);
        }
        return false;
    }

    /**
     * Every version is whole (complete, its count equal to its membership, the repository's latest
     * number its highest version) and every artifact row has its file with its size. Returns the
     * sha256 of every artifact row.
     */
    private static Set<String> checkVersionsAndRows(TestDatabase db, String what) throws SQLException {
        try (Connection c = db.connect()) {
            try (PreparedStatement versions = c.prepareStatement("""
                    select r.name, v.number, v.complete, v.content_count, r.latest_version,
                           (select count(*) from repository_content rc where rc.repository_id = r.id and rc.version_added <= v.number
                               and (rc.version_removed is null or rc.version_removed > v.number)),
                           (select max(w.number) from repository_version w where w.repository_id = r.id)
                      from repository r join repository_version v on v.repository_id = r.id""");
                    ResultSet rows = versions.executeQuery()) {
                while (rows.next()) {
                    String version = rows.getString(1) + "@" + rows.getInt(2);
                    assertThat(rows.getBoolean(3)).as(what + ": " + version + " complete").isTrue();
                    assertThat(rows.getLong(6)).as(what + ": members of " + version).isEqualTo(rows.getLong(4));
                    assertThat(rows.getInt(5)).as(what + ": latest version of " + rows.getString(1)).isEqualTo(rows.getInt(7));
                }
            }
            Set<String> named = new HashSet<>();
            try (PreparedStatement artifacts = c.prepareStatement("select sha256, size from artifact");
                    ResultSet rows = artifacts.executeQuery()) {
                while (rows.next()) {
                    String sha256 = rows.getString(1);
                    Path file = db.path("artifacts").resolve(sha256.substring(0, 2)).resolve(sha256.substring(2));
                    assertThat(file).as(what + ": the file of artifact row " + sha256).isRegularFile();
                    try {
                        assertThat(Files.size(file)).as(what + ": size of " + file).isEqualTo(rows.getLong(2));
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                    named.add(sha256);
                }
            }
            try (PreparedStatement dangling = c.prepareStatement("select count(*) from content_artifact ca"
                    + " where ca.artifact_id is not null and not exists (select 1 from artifact a where a.id = ca.artifact_id)");
                    ResultSet rows = dangling.executeQuery()) {
                rows.next();
                assertThat(rows.getLong(1)).as(what + ": links to missing artifact rows").isZero();
            }
            return named;
        }
    }

    private static int latest(TestDatabase db, String repository) throws SQLException {
        try (Connection c = db.connect();
                PreparedStatement query = c.prepareStatement("select latest_version from repository where name = ?")) {
            query.setString(1, repository);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? rows.getInt(1) : -1;
            }
        }
    }

    private static Set<String> labels(TestDatabase db, String repository, int version) throws SQLException {
        try (Connection c = db.connect();
                PreparedStatement query = c.prepareStatement("""
                        select c.label from repository_content rc join content c on c.id = rc.content_id
                          join repository r on r.id = rc.repository_id
                         where r.name = ? and rc.version_added <= ? and (rc.version_removed is null or rc.version_removed > ?)""")) {
            query.setString(1, repository);
            query.setInt(2, version);
            query.setInt(3, version);
            Set<String> labels = new TreeSet<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    labels.add(rows.getString(1));
                }
            }
            return labels;
        }
    }

    /** Exports in the directory are whole: each TOC's files exist, and no file belongs to no TOC. */
    private static void checkExports(Path exports, String what) throws IOException {
        if (!Files.isDirectory(exports)) {
            return;
        }
        Set<String> listed = new HashSet<>();
        for (Path toc : list(exports)) {
            if (toc.toString().endsWith("-toc.json")) {
                String name = toc.getFileName().toString().replace("-toc.json", "");
                listed.add(toc.getFileName().toString());
                Map<String, Long> files = new HashMap<>();
                for (com.fasterxml.jackson.databind.JsonNode file : new com.fasterxml.jackson.databind.ObjectMapper().readTree(toc.toFile())
                        .get("files")) {
                    files.put(file.get("name").asText(), file.get("size").asLong());
                }
                assertThat(files).as(what + ": files of " + name).isNotEmpty();
                for (Map.Entry<String, Long> file : files.entrySet()) {
                    assertThat(Files.size(exports.resolve(file.getKey()))).as(what + ": " + file.getKey()).isEqualTo(file.getValue());
                    listed.add(file.getKey());
                }
            }
        }
        assertThat(list(exports).stream().map(p -> p.getFileName().toString()).filter(n -> !listed.contains(n)))
                .as(what + ": export files without a TOC").isEmpty();
    }

    private static boolean hasHidden(Path directory) throws IOException {
        return Files.isDirectory(directory) && list(directory).stream().anyMatch(p -> p.getFileName().toString().startsWith("."));
    }

    /** The artifact store's files outside tmp/, as sha256s. */
    private static Set<String> storeFiles(TestDatabase db) throws IOException {
        Path store = db.path("artifacts");
        try (Stream<Path> files = Files.walk(store)) {
            return files.filter(Files::isRegularFile).filter(p -> !store.relativize(p).startsWith("tmp"))
                    .map(p -> p.getParent().getFileName().toString() + p.getFileName()).collect(java.util.stream.Collectors.toSet());
        }
    }

    private static List<Path> list(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.toList();
        }
    }

    /**
     * {@code count} files of 4–28 KiB under 20 folders. Tree 1 ("a") and tree 2 ("b") share their
     * even files (same path, same bytes); tree 2's odd files and tree 3 ("vendor") are their own.
     */
    private static Path tree(Path root, int count, int variant, Random random) throws IOException {
        for (int i = 0; i < count; i++) {
            boolean shared = variant == 1 || (variant == 2 && i % 2 == 0);
            Path file = root.resolve("d" + (i % 20)).resolve((shared ? "f" : "g") + i + ".bin");
            Files.createDirectories(file.getParent());
            byte[] bytes = new byte[4096 + (shared ? (i * 7919) % (24 * 1024) : random.nextInt(24 * 1024))];
            (shared ? new Random(i) : random).nextBytes(bytes);
            Files.write(file, bytes);
        }
        return root;
    }

    private static Set<String> relativePaths(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    private static long millis(Work work) throws Exception {
        long start = System.nanoTime();
        work.run();
        return Math.max(200, (System.nanoTime() - start) / 1_000_000);
    }
}
