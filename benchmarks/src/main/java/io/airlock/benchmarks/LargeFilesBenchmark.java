package io.airlock.benchmarks;

import static io.airlock.benchmarks.StartupBenchmark.loadAverage;
import static io.airlock.benchmarks.StartupBenchmark.quote;
import static io.airlock.benchmarks.StartupBenchmark.shell;

import io.airlock.core.store.FileTrees;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Large artifacts as a user moves them: {@code airlock export} and {@code airlock import} as whole
 * processes through the launcher (JVM start included), beside {@code tar cf} + {@code sync -f} of
 * the same artifact files and {@code tar xf} + {@code sync -f} of that tar, in the same run, the
 * four alternating {@code --runs} times. Prints each run, the medians of wall and CPU time and the
 * ratios tar / Airlock (above 1: Airlock is faster). The same two commands on a repository of one
 * small file, in the same alternation, give the fixed cost of a command (JVM, ORM, database, the
 * export's staging and the import's checks), the floor under any size. {@code JAVA_OPTS} of this process's
 * environment is passed to the launcher (e.g. {@code -Xmx256m}).
 */
final class LargeFilesBenchmark {

    private LargeFilesBenchmark() {
    }

    static void run(String[] args) throws Exception {
        int files = 16;
        long size = 64L << 20;
        int runs = 3;
        Path workDirectory = null;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--files" -> files = Integer.parseInt(args[++i]);
                case "--size" -> size = Benchmarks.parseSize(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--dir" -> workDirectory = Path.of(args[++i]);
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        Path work = workDirectory != null ? Files.createDirectories(workDirectory) : Files.createTempDirectory("airlock-bench-");
        try {
            Path upstream = work.resolve("upstream");
            System.out.printf(Locale.ROOT, "large: %d files of %s as whole processes, %d runs, JAVA_OPTS=%s, work dir %s%n",
                    files, Benchmarks.bytes(size), runs, System.getenv().getOrDefault("JAVA_OPTS", ""), work);
            Path source = Files.createDirectories(work.resolve("files"));
            write(source, files, size);
            shell("./airlock --home " + quote(upstream.toString()) + " repo create --type file big");
            shell("./airlock --home " + quote(upstream.toString()) + " file add big " + quote(source.toString()));
            FileTrees.deleteTree(source);
            // The fixed cost of a command (JVM, ORM, database, staging): the same commands on one small file.
            Path tiny = Files.createDirectories(work.resolve("tiny"));
            Files.writeString(tiny.resolve("small.txt"), "small\n");
            shell("./airlock --home " + quote(upstream.toString()) + " repo create --type file tiny");
            shell("./airlock --home " + quote(upstream.toString()) + " file add tiny " + quote(tiny.toString()));
            Path store = upstream.resolve("artifacts");
            Path list = work.resolve("tar-list.txt");
            try (Stream<Path> walk = Files.walk(store)) {
                Files.write(list, walk.filter(Files::isRegularFile).filter(p -> !p.startsWith(store.resolve("tmp")))
                        .map(p -> store.relativize(p).toString()).sorted().toList());
            }
            long bytes = (long) files * size;
            Map<String, List<double[]>> times = new LinkedHashMap<>();
            System.out.printf(Locale.ROOT, "load average before: %s%n", loadAverage());
            System.out.printf(Locale.ROOT, "%-4s %-22s %9s %9s %10s%n", "run", "what", "wall s", "cpu s", "MB/s");
            for (int run = 1; run <= runs; run++) {
                Path exported = work.resolve("export");
                Path tar = work.resolve("plain.tar");
                Path downstream = work.resolve("downstream");
                Path extracted = Files.createDirectories(work.resolve("extracted"));
                // An existing installation on both sides, as on a real air-gapped side: its schema is made before.
                shell("./airlock --home " + quote(downstream.toString()) + " repo list");
                record(times, run, "airlock export, 1 file", 6, timed("./airlock --home " + quote(upstream.toString())
                        + " export tiny --to " + quote(exported.toString()) + " --name tiny", work));
                record(times, run, "airlock import, 1 file", 6, timed("./airlock --home " + quote(downstream.toString())
                        + " import " + quote(exported.resolve("tiny-toc.json").toString()) + " --create-repositories", work));
                record(times, run, "airlock export", bytes, timed("./airlock --home " + quote(upstream.toString())
                        + " export big --to " + quote(exported.toString()) + " --name big", work));
                record(times, run, "tar cf + sync", bytes, timed("tar cf " + quote(tar.toString()) + " -C " + quote(store.toString())
                        + " -T " + quote(list.toString()) + " && sync -f " + quote(tar.toString()), work));
                record(times, run, "airlock import", bytes, timed("./airlock --home " + quote(downstream.toString())
                        + " import " + quote(exported.resolve("big-toc.json").toString()) + " --create-repositories", work));
                record(times, run, "tar xf + sync", bytes, timed("tar xf " + quote(tar.toString()) + " -C "
                        + quote(extracted.toString()) + " && sync -f " + quote(extracted.toString()), work));
                FileTrees.deleteTree(exported);
                FileTrees.deleteTree(downstream);
                FileTrees.deleteTree(extracted);
                Files.delete(tar);
            }
            System.out.printf(Locale.ROOT, "load average after: %s%n", loadAverage());
            System.out.printf(Locale.ROOT, "%-22s %14s %13s%n", "median of " + runs, "wall s", "cpu s");
            for (Map.Entry<String, List<double[]>> what : times.entrySet()) {
                System.out.printf(Locale.ROOT, "%-22s %14.2f %13.2f%n", what.getKey(), median(what.getValue(), 0),
                        median(what.getValue(), 1));
            }
            System.out.printf(Locale.ROOT, "export: tar / airlock = %.2f×   import: tar / airlock = %.2f× (wall, medians)%n",
                    median(times.get("tar cf + sync"), 0) / median(times.get("airlock export"), 0),
                    median(times.get("tar xf + sync"), 0) / median(times.get("airlock import"), 0));
        } finally {
            if (workDirectory == null) {
                FileTrees.deleteTree(work);
            }
        }
    }

    /** Files of random bytes (incompressible, all different), written once before the runs. */
    private static void write(Path directory, int files, long size) throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        byte[] block = new byte[1 << 20];
        for (int i = 0; i < files; i++) {
            try (OutputStream out = Files.newOutputStream(directory.resolve("file-" + i + ".bin"))) {
                for (long written = 0; written < size; written += block.length) {
                    for (int j = 0; j < block.length; j += 8) {
                        long value = random.nextLong();
                        for (int k = 0; k < 8; k++) {
                            block[j + k] = (byte) (value >>> (8 * k));
                        }
                    }
                    out.write(block, 0, (int) Math.min(block.length, size - written));
                }
            }
        }
    }

    private static void record(Map<String, List<double[]>> times, int run, String what, long bytes, double[] wallAndCpu) {
        times.computeIfAbsent(what, w -> new ArrayList<>()).add(wallAndCpu);
        System.out.printf(Locale.ROOT, "%-4d %-22s %9.2f %9.2f %10.1f%n", run, what, wallAndCpu[0], wallAndCpu[1],
                bytes / 1e6 / wallAndCpu[0]);
    }

    private static double median(List<double[]> values, int field) {
        List<Double> sorted = values.stream().map(v -> v[field]).sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** Runs a shell command line under {@code /usr/bin/time}: wall seconds and CPU seconds (user + system). */
    private static double[] timed(String commandLine, Path work) throws IOException, InterruptedException {
        Path report = work.resolve("time.txt");
        long started = System.nanoTime();
        shell("/usr/bin/time -q -f '%U %S' -o " + quote(report.toString()) + " bash -o pipefail -c " + quote(commandLine));
        double wall = (System.nanoTime() - started) / 1e9;
        String[] fields = Files.readString(report, StandardCharsets.US_ASCII).strip().split("\\s+");
        return new double[] {wall, Double.parseDouble(fields[fields.length - 2]) + Double.parseDouble(fields[fields.length - 1])};
    }
}
