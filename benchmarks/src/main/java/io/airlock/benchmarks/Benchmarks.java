package io.airlock.benchmarks;

import io.airlock.core.Airlock;
import io.airlock.core.content.ContentWriter;
import io.airlock.core.content.ContentWriter.NewUnit;
import io.airlock.core.content.ContentWriter.UnitFile;
import io.airlock.core.export.ExportEngine;
import io.airlock.core.export.ExportRequest;
import io.airlock.core.export.ExportResult;
import io.airlock.core.imports.ImportEngine;
import io.airlock.core.imports.ImportRequest;
import io.airlock.core.imports.ImportResult;
import io.airlock.core.repository.VersionDraft;
import io.airlock.core.repository.VersionRef;
import io.airlock.core.store.ArtifactBatch;
import io.airlock.core.store.FileTrees;
import io.airlock.core.store.StoredArtifact;
import io.airlock.plugin.file.FileContent;
import io.airlock.plugin.rpm.RpmRepositories;
import io.airlock.spi.ProgressListener;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.UUID;

/**
 * Export/import throughput on embedded H2, or on PostgreSQL with {@code --db} (two fresh databases
 * created on that server and dropped afterwards): generates a file repository of N units with artifacts of
 * a chosen size, exports it, imports it into a fresh installation and prints units/s, MB/s and peak
 * heap for each phase, and the imported database's size per unit; then adds 1% new units and measures an incremental export. With
 * {@code --compare-tar}, also times {@code tar cf} and {@code tar xf} over the same artifact files.
 */
public final class Benchmarks {

    private int units = 100_000;
    private long size = 1024;
    private boolean compareTar;
    private Path workDirectory;
    private long chunkSize;
    private boolean dropUpstreamArtifacts;
    /** A PostgreSQL server's database to connect to first (the benchmark creates and drops its own two), or null for H2. */
    private String db;
    private String dbUser;
    private String dbPassword = "";

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("rpm")) {
            rpm(args);
            return;
        }
        if (args.length > 0 && args[0].equals("publish")) {
            PublishBenchmark.run(args);
            return;
        }
        if (args.length > 0 && args[0].equals("copy")) {
            CopyBenchmark.run(args);
            return;
        }
        if (args.length > 0 && args[0].equals("download")) {
            DownloadBenchmark.run(args);
            return;
        }
        if (args.length > 0 && args[0].equals("large")) {
            LargeFilesBenchmark.run(args);
            return;
        }
        if (args.length > 0 && args[0].equals("startup")) {
            StartupBenchmark.run(args);
            return;
        }
        if (args.length == 0 || !args[0].equals("export-import")) {
            System.err.println("usage: benchmarks/run export-import [--units N] [--size BYTES|nK|nM] [--chunk-size SIZE]"
                    + " [--compare-tar] [--dir DIR] [--drop-upstream-artifacts] [--db JDBC_URL [--db-user U] [--db-password P]]\n"
                    + "       benchmarks/run rpm [--data DIR] [--dir DIR]\n"
                    + "       benchmarks/run publish [--packages N] [--dir DIR] [--appstream] [--data DIR] [--runs N] [--process]\n"
                    + "       benchmarks/run copy [--data DIR] [--dir DIR] [--sample N] [--seed S] [--runs N] [--out DIR]\n"
                    + "       benchmarks/run startup [--units N] [--runs N] [--dir DIR] [--db JDBC_URL [--db-user U]]\n"
                    + "       benchmarks/run download [--packages N] [--connections C] [--runs N] [--dir DIR]\n"
                    + "       benchmarks/run large [--files N] [--size SIZE] [--runs N] [--dir DIR]   (whole processes beside tar)");
            System.exit(2);
        }
        Benchmarks benchmark = new Benchmarks();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--units" -> benchmark.units = Integer.parseInt(args[++i]);
                case "--size" -> benchmark.size = parseSize(args[++i]);
                case "--chunk-size" -> benchmark.chunkSize = parseSize(args[++i]);
                case "--compare-tar" -> benchmark.compareTar = true;
                case "--dir" -> benchmark.workDirectory = Path.of(args[++i]);
                case "--drop-upstream-artifacts" -> benchmark.dropUpstreamArtifacts = true;
                case "--db" -> benchmark.db = args[++i];
                case "--db-user" -> benchmark.dbUser = args[++i];
                case "--db-password" -> benchmark.dbPassword = args[++i];
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        benchmark.run();
    }

    /**
     * {@code rpm sync} of CS9 BaseOS and AppStream into a fresh H2 home, then a metadata-only export
     * of both and its import into another fresh home.
     */
    private static void rpm(String[] args) throws Exception {
        Path data = Path.of("..", "shared", "data").toAbsolutePath().normalize();
        Path workDirectory = null;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> data = Path.of(args[++i]);
                case "--dir" -> workDirectory = Path.of(args[++i]);
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        Path work = workDirectory != null ? Files.createDirectories(workDirectory) : Files.createTempDirectory("airlock-bench-");
        System.out.printf(Locale.ROOT, "rpm: CS9 BaseOS + AppStream metadata from %s, max heap %s, work dir %s%n", data,
                bytes(Runtime.getRuntime().maxMemory()), work);
        List<String> repositories = List.of("cs9-baseos", "cs9-appstream");
        try (Airlock upstream = open(work.resolve("upstream")); Airlock downstream = open(work.resolve("downstream"))) {
            Phase sync = Phase.start("rpm sync (both)");
            long units = 0;
            for (String repository : repositories) {
                upstream.repositories().create(repository, "rpm", null);
                RpmRepositories.SyncResult result = new RpmRepositories(upstream).sync(repository, data.resolve(repository),
                        ProgressListener.NONE);
                units += result.units().values().stream().mapToLong(Long::longValue).sum();
            }
            sync.end(units, 0);
            Phase export = Phase.start("export (metadata only)");
            ExportResult exported = new ExportEngine(upstream).export(ExportRequest.full(
                    repositories.stream().map(VersionRef::latest).toList(), work.resolve("exports")).allowingOnDemand(),
                    ProgressListener.NONE);
            export.end(exported.units(), exported.bytes());
            Phase imports = Phase.start("import");
            ImportResult imported = new ImportEngine(downstream).importArchive(
                    ImportRequest.of(exported.toc().orElseThrow()).creatingRepositories(), ProgressListener.NONE);
            imports.end(imported.units(), exported.bytes());
        } finally {
            if (workDirectory == null) {
                FileTrees.deleteTree(work);
            }
        }
    }

    private void run() throws Exception {
        Path work = workDirectory != null ? Files.createDirectories(workDirectory) : Files.createTempDirectory("airlock-bench-");
        Path exports = work.resolve("exports");
        System.out.printf(Locale.ROOT, "export-import: %,d units of %s, max heap %s, work dir %s%n", units, bytes(size),
                bytes(Runtime.getRuntime().maxMemory()), work);
        List<String> databases = new ArrayList<>();
        if (db != null) {
            String stem = "airlock_bench_" + ProcessHandle.current().pid() + "_" + System.currentTimeMillis() % 100_000;
            databases.add(stem + "_up");
            databases.add(stem + "_down");
            for (String database : databases) {
                adminUpdate("create database " + database);
            }
            System.out.printf(Locale.ROOT, "databases %s on %s%n", databases, db);
        }
        try (Airlock upstream = open(work.resolve("upstream"), databases.isEmpty() ? null : databases.get(0));
                Airlock downstream = open(work.resolve("downstream"), databases.isEmpty() ? null : databases.get(1))) {
            upstream.repositories().create("bench", "file", null);
            Phase generate = Phase.start("generate");
            generate(upstream, 0, units);
            generate.end(units, units * size);

            ExportRequest full = ExportRequest.full(List.of(VersionRef.latest("bench")), exports)
                    .withName("full").withExporter("bench");
            if (chunkSize > 0) {
                full = full.withChunkSize(chunkSize);
            }
            Phase export = Phase.start("export");
            PhaseClock exportClock = new PhaseClock();
            ExportResult exported = new ExportEngine(upstream).export(full, exportClock);
            export.end(exported.units(), exported.bytes());
            exportClock.print(export.start());

            if (dropUpstreamArtifacts) {
                // Frees disk for very large runs: the import reads only the export, and the
                // incremental export reads only the artifacts generated after this point.
                upstream.artifacts().forEach(java.time.Instant.now(), sha256 -> upstream.artifacts().delete(sha256));
            }
            Phase imports = Phase.start("import");
            PhaseClock importClock = new PhaseClock();
            ImportResult imported = new ImportEngine(downstream).importArchive(
                    ImportRequest.of(exported.toc().orElseThrow()).creatingRepositories(), importClock);
            imports.end(imported.units(), exported.bytes());
            importClock.print(imports.start());
            printDatabaseSize(downstream, work.resolve("downstream"), databases.isEmpty() ? null : databases.get(1),
                    imported.units());

            int extra = Math.max(1, units / 100);
            generate(upstream, units, extra);
            Phase incremental = Phase.start("incremental export (+1%)");
            ExportResult delta = new ExportEngine(upstream).export(ExportRequest.full(List.of(VersionRef.latest("bench")), exports)
                    .withName("incremental").withExporter("bench").incremental(), ProgressListener.NONE);
            incremental.end(delta.units(), delta.bytes());
            Phase incrementalImport = Phase.start("incremental import");
            ImportResult deltaImported = new ImportEngine(downstream).importArchive(
                    ImportRequest.of(delta.toc().orElseThrow()), ProgressListener.NONE);
            incrementalImport.end(deltaImported.units(), delta.bytes());
            System.out.printf(Locale.ROOT, "incremental export size: %s = %.2f%% of the full export (%s)%n",
                    bytes(delta.bytes()), 100.0 * delta.bytes() / exported.bytes(), bytes(exported.bytes()));

            if (compareTar) {
                compareWithTar(work, upstream, exported);
            }
        } finally {
            for (String database : databases) {
                adminUpdate("drop database if exists " + database);
            }
            if (workDirectory == null) {
                FileTrees.deleteTree(work);
            }
        }
    }

    /** Runs a statement on the server's database named by {@code --db} (create or drop one of the benchmark's). */
    private void adminUpdate(String sql) throws java.sql.SQLException {
        java.util.Properties properties = new java.util.Properties();
        if (dbUser != null) {
            properties.setProperty("user", dbUser);
            properties.setProperty("password", dbPassword);
        }
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(db, properties);
                java.sql.Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        }
    }

    /** {@code --db}'s URL with its database name replaced by {@code database} (query parameters kept). */
    private String urlOf(String database) {
        int query = db.indexOf('?');
        String base = query < 0 ? db : db.substring(0, query);
        int slash = base.lastIndexOf('/');
        return base.substring(0, slash + 1) + database + (query < 0 ? "" : db.substring(query));
    }

    /** Prints the database's size after the import, in all and per imported unit (H2: the file; PostgreSQL: pg_database_size). */
    private static void printDatabaseSize(Airlock airlock, Path home, String database, long units) throws IOException {
        long size;
        String what;
        if (database == null) {
            Path file = home.resolve("db").resolve("airlock.mv.db");
            size = Files.size(file);
            what = "H2 file " + file.getFileName();
        } else {
            size = airlock.inTransaction(session -> session.doReturningWork(connection -> {
                try (java.sql.Statement statement = connection.createStatement();
                        java.sql.ResultSet rows = statement.executeQuery("select pg_database_size(current_database())")) {
                    rows.next();
                    return rows.getLong(1);
                }
            }));
            what = "PostgreSQL database " + database;
        }
        System.out.printf(Locale.ROOT, "    downstream %s after import: %s, %,.0f bytes per unit%n", what, bytes(size),
                units == 0 ? 0.0 : (double) size / units);
    }

    /** Times tar cf over the artifact files the export carried, and tar xf of that tar, beside export/import. */
    private void compareWithTar(Path work, Airlock upstream, ExportResult exported) throws Exception {
        Path store = work.resolve("upstream/artifacts");
        Path list = work.resolve("tar-list.txt");
        try (var files = Files.walk(store)) {
            Files.write(list, files.filter(Files::isRegularFile).filter(p -> !p.startsWith(store.resolve("tmp")))
                    .map(p -> store.relativize(p).toString()).toList());
        }
        Path tar = work.resolve("plain.tar");
        Phase cf = Phase.start("tar cf (same files)");
        exec(work, "tar", "cf", tar.toString(), "-C", store.toString(), "-T", list.toString());
        exec(work, "sync", "-f", tar.toString());
        cf.end(0, Files.size(tar));
        Path extracted = Files.createDirectories(work.resolve("extracted"));
        Phase xf = Phase.start("tar xf + sync");
        exec(work, "tar", "xf", tar.toString(), "-C", extracted.toString());
        exec(work, "sync", "-f", extracted.toString());
        xf.end(0, Files.size(tar));
        FileTrees.deleteTree(extracted);
        Files.delete(tar);
    }

    private static void exec(Path directory, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed");
        }
    }

    private static Airlock open(Path home) {
        return Airlock.builder().home(home).build();
    }

    /** An installation at {@code home}: H2 in it, or, with {@code database}, that database of the {@code --db} server. */
    private Airlock open(Path home, String database) {
        if (database == null) {
            return open(home);
        }
        Airlock.Builder builder = Airlock.builder().jdbcUrl(urlOf(database));
        if (dbUser != null) {
            builder.credentials(dbUser, dbPassword);
        }
        return builder.home(home).build();
    }

    /** Adds {@code count} file units numbered from {@code first}, with distinct artifacts, as one new version. */
    private void generate(Airlock airlock, int first, int count) {
        Random random = new Random(first);
        airlock.inTransaction(session -> {
            VersionDraft draft = airlock.repositories().draft(session, "bench", VersionDraft.Mode.MODIFY, OptionalInt.empty());
            try (ArtifactBatch batch = airlock.artifacts().batch()) {
                List<NewUnit> pending = new ArrayList<>(ContentWriter.BATCH_SIZE);
                for (int i = first; i < first + count; i++) {
                    StoredArtifact artifact = batch.put(content(random, i), Optional.empty());
                    String path = "dir" + (i / 1000) + "/file-" + i + ".bin";
                    pending.add(new NewUnit(new FileContent(path, artifact.sha256()),
                            List.of(new UnitFile(path, Optional.of(artifact)))));
                    if (pending.size() == ContentWriter.BATCH_SIZE) {
                        draft.add(airlock.contentWriter().save(session, pending).ids());
                        pending.clear();
                    }
                }
                draft.add(airlock.contentWriter().save(session, pending).ids());
                batch.sync();
            }
            return draft.commit();
        });
    }

    /** An artifact's bytes: its number, then pseudo-random filler, streamed (large sizes never sit in memory). */
    private InputStream content(Random random, int index) {
        if (size <= 1 << 20) {
            byte[] bytes = new byte[(int) size];
            random.nextBytes(bytes);
            ByteBuffer.wrap(bytes).putInt(0, index);
            return new ByteArrayInputStream(bytes);
        }
        long seed = random.nextLong();
        return new InputStream() {
            private final Random filler = new Random(seed ^ index);
            private final byte[] block = new byte[1 << 16];
            private long left = size;
            private int position = block.length;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (left == 0) {
                    return -1;
                }
                if (position == block.length) {
                    filler.nextBytes(block);
                    position = 0;
                }
                int n = (int) Math.min(Math.min(length, block.length - position), left);
                System.arraycopy(block, position, buffer, offset, n);
                position += n;
                left -= n;
                return n;
            }
        };
    }

    /** Records when each progress phase was first and last reported, for a breakdown of a run. */
    private static final class PhaseClock implements ProgressListener {
        private final java.util.Map<String, long[]> phases = new java.util.LinkedHashMap<>();

        @Override
        public void progress(String phase, long done, long total) {
            long now = System.nanoTime();
            phases.computeIfAbsent(phase, p -> new long[] {now, now})[1] = now;
        }

        void print(long start) {
            StringBuilder line = new StringBuilder("    phases:");
            long previous = start;
            for (java.util.Map.Entry<String, long[]> phase : phases.entrySet()) {
                line.append(String.format(Locale.ROOT, " before %s %.1f s, %s %.1f s;", phase.getKey(),
                        (phase.getValue()[0] - previous) / 1e9, phase.getKey(), (phase.getValue()[1] - phase.getValue()[0]) / 1e9));
                previous = phase.getValue()[1];
            }
            line.append(String.format(Locale.ROOT, " after %.1f s", (System.nanoTime() - previous) / 1e9));
            System.out.println(line);
        }
    }

    /** Peak heap in use during a phase, sampled every 10 ms (the sum of per-pool peaks overstates it). */
    private static final class HeapSampler {
        private static volatile long peak;

        static {
            Thread sampler = new Thread(() -> {
                java.lang.management.MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
                while (true) {
                    peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        static void reset() {
            peak = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }

        static long peak() {
            return peak;
        }
    }

    private record Phase(String name, long start) {
        static Phase start(String name) {
            System.gc();
            HeapSampler.reset();
            return new Phase(name, System.nanoTime());
        }

        void end(long units, long bytes) {
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "%-26s %8.1f s %10s units/s %9.1f MB/s   peak heap %s%n", name, seconds,
                    units == 0 ? "-" : String.format(Locale.ROOT, "%,.0f", units / seconds), bytes / seconds / 1e6,
                    bytes(HeapSampler.peak()));
        }
    }

    static long parseSize(String text) {
        String value = text.toUpperCase(Locale.ROOT);
        long unit = switch (value.charAt(value.length() - 1)) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            default -> 1;
        };
        return Long.parseLong(unit == 1 ? value : value.substring(0, value.length() - 1)) * unit;
    }

    static String bytes(long bytes) {
        if (bytes < 1 << 20) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    static {
        UUID.randomUUID(); // warm SecureRandom outside the timed phases
    }
}
