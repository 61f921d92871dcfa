package io.airlock.benchmarks;

import io.airlock.core.Airlock;
import io.airlock.core.repository.VersionRef;
import io.airlock.core.store.FileTrees;
import io.airlock.plugin.rpm.RpmRepositories;
import io.airlock.plugin.rpm.publish.PublishOptions;
import io.airlock.spi.ProgressListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code rpm publish} beside createrepo_c: N small RPMs are generated (one rpmbuild run, one
 * subpackage each, a third of them requiring another) and synced into an installation, createrepo_c
 * indexes them and Airlock publishes the version, each {@code --runs} times (3), alternating,
 * printing every run and the medians with wall and CPU seconds. Airlock runs in one JVM (its first
 * run apart, as the JIT warms up), each warm run right after a createrepo_c run. With
 * {@code --process}, Airlock is also timed as a process of its own (JVM start, opening the
 * installation, publishing) alternating with createrepo_c, which is a process too. With
 * {@code --appstream}, also the publication of CS9 AppStream's metadata (on demand) from
 * {@code --data}. A {@code --dir} kept from an earlier run keeps its generated RPMs and synced
 * repositories, so that only publication is timed again.
 */
final class PublishBenchmark {

    private PublishBenchmark() {
    }

    static void run(String[] args) throws Exception {
        int packages = 2000;
        int runs = 3;
        Path workDirectory = null;
        Path data = Path.of("..", "shared", "data").toAbsolutePath().normalize();
        boolean appstream = false;
        boolean process = false;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--packages" -> packages = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--dir" -> workDirectory = Path.of(args[++i]);
                case "--data" -> data = Path.of(args[++i]);
                case "--appstream" -> appstream = true;
                case "--process" -> process = true;
                case "--one" -> {
                    // A child process: one publication, timed from its own start (JVM start included).
                    one(Path.of(args[i + 1]), args[i + 2], Path.of(args[i + 3]), Boolean.parseBoolean(args[i + 4]));
                    return;
                }
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        Path work = workDirectory != null ? Files.createDirectories(workDirectory) : Files.createTempDirectory("airlock-bench-");
        System.out.printf(Locale.ROOT, "publish: %d generated RPMs, max heap %.0f MiB, work dir %s, %d runs each%n", packages,
                Runtime.getRuntime().maxMemory() / 1048576.0, work, runs);
        try {
            Path repository = generate(work, packages);
            if (!Files.exists(repository.resolve("repodata/repomd.xml"))) {
                // A fresh work dir: the sync below reads the repository createrepo_c indexes.
                command(work, List.of("createrepo_c", "--quiet", "--no-database", repository.toString()));
            }
            Path home = work.resolve("home");
            try (Airlock airlock = Airlock.builder().home(home).build()) {
                // A work dir from an earlier run keeps its synced repositories: only publication is timed again.
                syncUnlessThere(airlock, "generated", repository, packages);
                if (appstream) {
                    syncUnlessThere(airlock, "cs9-appstream", data.resolve("cs9-appstream"), 0);
                }
            }
            // Like with like, alternating: createrepo_c is a process, so Airlock is timed as one too (JVM
            // start, opening the installation, publishing) with --process; then in one warm JVM (what a
            // host server gets), each warm run right after a createrepo_c run. CPU seconds beside wall
            // seconds: on a shared machine they say what the work costs.
            Times createrepo = new Times("createrepo_c --no-database", packages);
            int createrepoRuns = 0;
            if (process) {
                Times processes = new Times("airlock rpm publish, own JVM", packages);
                for (int run = 1; run <= runs; run++) {
                    createrepo(work, repository, createrepo, ++createrepoRuns);
                    Path out = work.resolve("published-process");
                    FileTrees.deleteTree(out);
                    long start = System.nanoTime();
                    processes.add(run, start, child(work, home, "generated", out, false));
                }
                processes.median();
            }
            try (Airlock airlock = Airlock.builder().home(home).build()) {
                Times first = new Times("airlock rpm publish, one JVM, first", packages);
                Times warm = new Times("airlock rpm publish, one JVM, warm", packages);
                for (int run = 0; run <= runs; run++) {
                    if (run > 0) {
                        createrepo(work, repository, createrepo, ++createrepoRuns);
                    }
                    Path out = work.resolve("published-" + run);
                    FileTrees.deleteTree(out);
                    long start = System.nanoTime();
                    long cpu = cpuNanos();
                    new RpmRepositories(airlock).publish(VersionRef.latest("generated"), out, PublishOptions.defaults(),
                            ProgressListener.NONE);
                    (run == 0 ? first : warm).add(run, start, (cpuNanos() - cpu) / 1e9);
                }
                createrepo.median();
                warm.median();
                if (appstream) {
                    Times times = new Times("airlock rpm publish CS9 AppStream, one JVM", 0);
                    for (int run = 1; run <= runs; run++) {
                        Path out = work.resolve("appstream-" + run);
                        FileTrees.deleteTree(out);
                        long start = System.nanoTime();
                        long cpu = cpuNanos();
                        new RpmRepositories(airlock).publish(VersionRef.latest("cs9-appstream"), out,
                                PublishOptions.defaults().allowingOnDemand(), ProgressListener.NONE);
                        times.add(run, start, (cpuNanos() - cpu) / 1e9);
                    }
                    times.median();
                }
            }
            if (appstream && process) {
                Times times = new Times("airlock rpm publish CS9 AppStream, own JVM", 0);
                for (int run = 1; run <= runs; run++) {
                    Path out = work.resolve("appstream-process");
                    FileTrees.deleteTree(out);
                    long start = System.nanoTime();
                    times.add(run, start, child(work, home, "cs9-appstream", out, true));
                }
                times.median();
            }
        } finally {
            if (workDirectory == null) {
                FileTrees.deleteTree(work);
            }
        }
    }

    /** One createrepo_c run over the generated packages, its repodata removed first. */
    private static void createrepo(Path work, Path repository, Times times, int run) throws IOException, InterruptedException {
        FileTrees.deleteTree(repository.resolve("repodata"));
        long start = System.nanoTime();
        times.add(run, start, timed(work, List.of("createrepo_c", "--quiet", "--no-database", repository.toString())));
    }

    private static void syncUnlessThere(Airlock airlock, String name, Path source, int packages) {
        if (airlock.repositories().find(name).isPresent()) {
            System.out.println("reusing the synced repository " + name);
            return;
        }
        airlock.repositories().create(name, "rpm", null);
        long start = System.nanoTime();
        new RpmRepositories(airlock).sync(name, source, ProgressListener.NONE);
        print("airlock rpm sync " + name, start, packages);
    }

    /** Runs {@link #one} in a new JVM with this one's class path and heap limit. */
    private static double child(Path work, Path home, String repository, Path out, boolean onDemand)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return timed(work, List.of(java, "-Xmx" + Runtime.getRuntime().maxMemory() / 1048576 + "m",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classPath(),
                Benchmarks.class.getName(), "publish", "--one", home.toString(), repository, out.toString(),
                Boolean.toString(onDemand)));
    }

    /** This JVM's class path with absolute entries: the child runs in the work directory. */
    private static String classPath() {
        return Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    private static void one(Path home, String repository, Path out, boolean onDemand) {
        try (Airlock airlock = Airlock.builder().home(home).build()) {
            PublishOptions options = onDemand ? PublishOptions.defaults().allowingOnDemand() : PublishOptions.defaults();
            new RpmRepositories(airlock).publish(VersionRef.latest(repository), out, options, ProgressListener.NONE);
        }
    }

    /** Wall and CPU seconds of the runs of one thing; prints each run and the medians. */
    private static final class Times {
        private final String what;
        private final long packages;
        private final List<Double> wall = new ArrayList<>();
        private final List<Double> cpu = new ArrayList<>();

        Times(String what, long packages) {
            this.what = what;
            this.packages = packages;
        }

        void add(int run, long start, double cpuSeconds) {
            wall.add(print(what + " (run " + run + ")", start, packages, cpuSeconds));
            cpu.add(cpuSeconds);
        }

        void median() {
            double seconds = median(wall);
            System.out.printf(Locale.ROOT, "%-56s %8.2f s%s  cpu %6.2f s  (medians of %d)%n", "= " + what, seconds,
                    packages == 0 ? "" : String.format(Locale.ROOT, " %8.0f packages/s", packages / seconds), median(cpu),
                    wall.size());
        }

        private static double median(List<Double> values) {
            List<Double> sorted = values.stream().sorted().toList();
            int middle = sorted.size() / 2;
            return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
        }
    }

    /** CPU time of this JVM, all threads (JIT and GC included). */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Runs {@code command} under {@code /usr/bin/time}; returns its user + system CPU seconds. */
    private static double timed(Path directory, List<String> command) throws IOException, InterruptedException {
        Path report = Files.createTempFile(directory, "time-", ".txt");
        try {
            List<String> wrapped = new ArrayList<>(List.of("/usr/bin/time", "-f", "%U %S", "-o", report.toString()));
            wrapped.addAll(command);
            command(directory, wrapped);
            String[] fields = Files.readString(report).trim().split("\\s+");
            return Double.parseDouble(fields[fields.length - 2]) + Double.parseDouble(fields[fields.length - 1]);
        } finally {
            Files.deleteIfExists(report);
        }
    }

    /** Builds the packages into {@code work/R/Packages} with one rpmbuild run, unless they are there from an earlier run. */
    static Path generate(Path work, int packages) throws IOException, InterruptedException {
        Path repository = work.resolve("R");
        Path rpms = repository.resolve("Packages");
        if (Files.isDirectory(rpms)) {
            try (Stream<Path> files = Files.list(rpms)) {
                if (files.count() == packages) {
                    return repository;
                }
            }
            FileTrees.deleteTree(repository);
        }
        StringBuilder spec = new StringBuilder("""
                Name: bench
                Version: 1.0
                Release: 1
                Summary: generated
                License: MIT
                BuildArch: noarch
                AutoReqProv: no
                %description
                Generated for the publish benchmark.
                """);
        for (int i = 0; i < packages; i++) {
            spec.append(String.format(Locale.ROOT, "%%package -n bench-%05d%nSummary: generated package %d%n", i, i));
            if (i % 3 == 0) {
                spec.append(String.format(Locale.ROOT, "Requires: bench-%05d >= 1.0%n", (i + 1) % packages));
            }
            spec.append(String.format(Locale.ROOT, "%%description -n bench-%05d%nPackage %d.%n", i, i));
        }
        spec.append(String.format(Locale.ROOT, "%%install%nmkdir -p %%{buildroot}/usr/share/bench%n"
                + "for i in $(seq 0 %d); do echo $i > %%{buildroot}/usr/share/bench/f$i; done%n", packages - 1));
        for (int i = 0; i < packages; i++) {
            spec.append(String.format(Locale.ROOT, "%%files -n bench-%05d%n/usr/share/bench/f%d%n", i, i));
        }
        Path specFile = work.resolve("bench.spec");
        Files.writeString(specFile, spec, StandardCharsets.UTF_8);
        long start = System.nanoTime();
        command(work, List.of("rpmbuild", "--quiet", "--define", "_topdir " + work.resolve("rpmbuild"), "--define",
                "_rpmdir " + rpms, "--define", "_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm", "-bb",
                specFile.toString()));
        print("rpmbuild (generating)", start, packages);
        return repository;
    }

    static void command(Path directory, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue());
        }
    }

    private static double print(String what, long start, long packages) {
        return print(what, start, packages, -1);
    }

    private static double print(String what, long start, long packages, double cpuSeconds) {
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "%-56s %8.2f s%s%s%n", what, seconds,
                packages == 0 ? "" : String.format(Locale.ROOT, " %8.0f packages/s", packages / seconds),
                cpuSeconds < 0 ? "" : String.format(Locale.ROOT, "  cpu %6.2f s", cpuSeconds));
        return seconds;
    }
}
