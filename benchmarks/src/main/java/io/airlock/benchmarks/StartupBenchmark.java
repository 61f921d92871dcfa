package io.airlock.benchmarks;

import io.airlock.core.store.FileTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How long the command line takes to answer, as whole processes: {@code repo list},
 * {@code repo versions REPO} and {@code repo content REPO --json | head} on an existing home (a file
 * repository of {@code --units} units, made first through the CLI), each run {@code --runs} times
 * per way of starting it, the ways alternating, and the median, minimum and maximum wall time
 * printed with the load average and the median CPU time. The ways: {@code java -jar} with no flags (the launcher before
 * its start-up flags), the {@code airlock} launcher without its class-data sharing archive
 * ({@code AIRLOCK_CDS=off}), and the launcher as it is. {@code --db JDBC_URL} puts the database
 * there instead of the home's H2 file.
 */
final class StartupBenchmark {

    private static final Map<String, String> WAYS = new LinkedHashMap<>();

    static {
        WAYS.put("java -jar", "java -jar cli/target/airlock-cli.jar");
        WAYS.put("airlock, AIRLOCK_CDS=off", "AIRLOCK_CDS=off ./airlock");
        WAYS.put("airlock", "./airlock");
    }

    private StartupBenchmark() {
    }

    static void run(String[] args) throws Exception {
        int units = 1000;
        int runs = 5;
        Path workDirectory = null;
        String db = null;
        String dbUser = "postgres";
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--units" -> units = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--dir" -> workDirectory = Path.of(args[++i]);
                case "--db" -> db = args[++i];
                case "--db-user" -> dbUser = args[++i];
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        Path work = workDirectory != null ? Files.createDirectories(workDirectory) : Files.createTempDirectory("airlock-bench-");
        try {
            String global = "--home " + quote(work.resolve("home").toString())
                    + (db == null ? "" : " --db " + quote(db) + " --db-user " + quote(dbUser));
            String repository = "startup-" + System.currentTimeMillis();
            System.out.printf(Locale.ROOT, "startup: %s, a file repository of %,d units, %d runs per way, work dir %s%n",
                    db == null ? "H2 in the home" : db, units, runs, work);
            Path files = Files.createDirectories(work.resolve("files"));
            for (int i = 0; i < units; i++) {
                Files.writeString(files.resolve("f" + i + ".txt"), "unit " + i + "\n");
            }
            shell("./airlock " + global + " repo create --type file " + repository);
            shell("./airlock " + global + " file add " + repository + " " + quote(files.toString()));
            awaitArchive();

            Map<String, String> commands = new LinkedHashMap<>();
            commands.put("repo list", "repo list >/dev/null");
            commands.put("repo versions REPO", "repo versions " + repository + " >/dev/null");
            commands.put("repo content REPO --json | head", "repo content " + repository + " --json | head >/dev/null");
            System.out.printf(Locale.ROOT, "load average before: %s%n", loadAverage());
            System.out.printf(Locale.ROOT, "%-34s %-26s %9s %9s %9s %9s%n", "command", "started by", "median s", "min s", "max s",
                    "cpu s");
            for (Map.Entry<String, String> command : commands.entrySet()) {
                Map<String, List<Double>> times = new LinkedHashMap<>();
                Map<String, List<Double>> cpu = new LinkedHashMap<>();
                for (int run = 0; run < runs; run++) {
                    for (Map.Entry<String, String> way : WAYS.entrySet()) {
                        long started = System.nanoTime();
                        double cpuSeconds = timed(way.getValue() + " " + global + " " + command.getValue(), work);
                        times.computeIfAbsent(way.getKey(), w -> new ArrayList<>()).add((System.nanoTime() - started) / 1e9);
                        cpu.computeIfAbsent(way.getKey(), w -> new ArrayList<>()).add(cpuSeconds);
                    }
                }
                for (Map.Entry<String, List<Double>> way : times.entrySet()) {
                    List<Double> sorted = way.getValue().stream().sorted().toList();
                    System.out.printf(Locale.ROOT, "%-34s %-26s %9.2f %9.2f %9.2f %9.2f%n", command.getKey(), way.getKey(),
                            sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1),
                            median(cpu.get(way.getKey())));
                }
            }
            System.out.printf(Locale.ROOT, "load average after: %s%n", loadAverage());
        } finally {
            if (workDirectory == null) {
                FileTrees.deleteTree(work);
            }
        }
    }

    /**
     * Waits (up to 5 minutes) for the launcher's class-data sharing archive of the current jar (one
     * newer than it), which the launcher's first start after a build makes in the background.
     */
    private static void awaitArchive() throws IOException, InterruptedException {
        Path cds = Path.of("cli", "target", "cds");
        var jarTime = Files.getLastModifiedTime(Path.of("cli", "target", "airlock-cli.jar"));
        for (int i = 0; i < 300; i++) {
            if (Files.isDirectory(cds)) {
                try (var archives = Files.list(cds)) {
                    if (archives.anyMatch(p -> p.getFileName().toString().endsWith(".jsa") && newer(p, jarTime))) {
                        return;
                    }
                }
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException("the launcher made no class-data sharing archive in " + cds.toAbsolutePath());
    }

    private static boolean newer(Path file, java.nio.file.attribute.FileTime than) {
        try {
            return Files.getLastModifiedTime(file).compareTo(than) >= 0;
        } catch (IOException e) {
            return false; // renamed or removed meanwhile
        }
    }

    /**
     * Runs one shell command line under {@code /usr/bin/time}; returns the CPU seconds (user and
     * system) of it and the processes it waited for, which the machine's load changes less than
     * the wall time; NaN without {@code /usr/bin/time}.
     */
    private static double timed(String commandLine, Path work) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of("/usr/bin/time"))) {
            shell(commandLine);
            return Double.NaN;
        }
        Path report = work.resolve("time.txt");
        shell("/usr/bin/time -q -f '%U %S' -o " + quote(report.toString()) + " bash -o pipefail -c " + quote(commandLine));
        String[] fields = Files.readString(report, StandardCharsets.US_ASCII).strip().split("\\s+");
        return Double.parseDouble(fields[fields.length - 2]) + Double.parseDouble(fields[fields.length - 1]);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** Runs one shell command line in the project's root; fails on a non-zero exit. */
    static void shell(String commandLine) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", "-o", "pipefail", "-c", commandLine)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        int status = process.waitFor();
        // head closing the pipe early ends the listing with SIGPIPE (141): that is its normal end.
        if (status != 0 && status != 141) {
            throw new IllegalStateException("exit status " + status + ": " + commandLine);
        }
    }

    static String loadAverage() throws IOException {
        Path loadavg = Path.of("/proc/loadavg");
        if (!Files.exists(loadavg)) {
            return String.format(Locale.ROOT, "%.2f", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    .getSystemLoadAverage());
        }
        String[] fields = Files.readString(loadavg, StandardCharsets.US_ASCII).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
