package io.airlock.benchmarks;

import io.airlock.core.Airlock;
import io.airlock.core.copy.CopyEngine;
import io.airlock.core.copy.CopyRequest;
import io.airlock.core.copy.CopyResult;
import io.airlock.core.repository.VersionRef;
import io.airlock.plugin.rpm.RpmPackage;
import io.airlock.plugin.rpm.RpmRepositories;
import io.airlock.spi.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;

/**
 * {@code benchmarks/run copy}: CS9 BaseOS and AppStream synced into one home, then a copy of N
 * random AppStream packages (seeded) with dependency solving from both sources into two empty
 * destinations, as a dry run: one warm-up, then timed runs end to end (request validation, policy,
 * solving, plan). Writes the sample and the result for benchmarks/scripts/libsolv-compare.py.
 */
final class CopyBenchmark {

    private CopyBenchmark() {
    }

    static void run(String[] args) throws Exception {
        Path data = Path.of("..", "shared", "data").toAbsolutePath().normalize();
        Path work = null;
        Path out = null;
        int sample = 100;
        long seed = 1;
        int runs = 5;
        boolean whole = false;
        boolean dryRun = true;
        Path histograms = null;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> data = Path.of(args[++i]);
                case "--dir" -> work = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--sample" -> sample = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--whole" -> whole = true;
                case "--real" -> dryRun = false;
                case "--histograms" -> histograms = Path.of(args[++i]);
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        work = work != null ? Files.createDirectories(work) : Files.createTempDirectory("airlock-bench-");
        if (whole) {
            whole(data, work, runs, dryRun, out, histograms);
            return;
        }
        System.out.printf(Locale.ROOT, "copy: %d random AppStream packages (seed %d) with dependency solving from CS9 BaseOS +"
                + " AppStream, work dir %s%n", sample, seed, work);
        try (Airlock airlock = Airlock.builder().home(work.resolve("home")).build()) {
            long start = System.nanoTime();
            for (String repository : List.of("cs9-baseos", "cs9-appstream")) {
                if (airlock.repositories().find(repository).isEmpty()) {
                    airlock.repositories().create(repository, "rpm", null);
                    new RpmRepositories(airlock).sync(repository, data.resolve(repository), ProgressListener.NONE);
                }
                if (airlock.repositories().find(repository + "-dest").isEmpty()) {
                    airlock.repositories().create(repository + "-dest", "rpm", null);
                }
            }
            System.out.printf(Locale.ROOT, "set-up (sync or reuse) %.1f s%n", (System.nanoTime() - start) / 1e9);

            List<String> labels = new ArrayList<>();
            airlock.repositories().scanContent(airlock.repositories().version(VersionRef.latest("cs9-appstream")),
                    Optional.of(RpmPackage.TYPE), 1000, batch -> batch.forEach(unit -> {
                        RpmPackage p = (RpmPackage) unit;
                        if (!p.arch().equals("src")) {
                            labels.add(p.label());
                        }
                    }));
            Collections.sort(labels);
            Collections.shuffle(labels, new Random(seed));
            List<String> chosen = new ArrayList<>(new TreeSet<>(labels.subList(0, sample)));
            CopyRequest request = CopyRequest.of(List.of(
                    CopyRequest.Entry.whole("cs9-baseos", "cs9-baseos-dest").withContent(),
                    CopyRequest.Entry.whole("cs9-appstream", "cs9-appstream-dest")
                            .withContent(chosen.stream().map(l -> RpmPackage.TYPE + ":" + l).toArray(String[]::new))))
                    .asDryRun();

            CopyEngine engine = new CopyEngine(airlock);
            long warm = System.nanoTime();
            CopyResult result = engine.copy(request);
            System.out.printf(Locale.ROOT, "first run (cold: reads both sources) %.2f s%n", (System.nanoTime() - warm) / 1e9);
            List<Double> times = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                long t = System.nanoTime();
                result = engine.copy(request);
                times.add((System.nanoTime() - t) / 1e9);
            }
            Collections.sort(times);
            long added = result.destinations().stream().mapToLong(d -> d.added().size()).sum();
            System.out.printf(Locale.ROOT, "warm runs: %s s; median %.2f s; %d units added (%s), %d unresolved requirements%n",
                    times.stream().map(t -> String.format(Locale.ROOT, "%.2f", t)).toList(), times.get(times.size() / 2), added,
                    String.join(", ", result.destinations().stream().map(d -> d.repository() + " " + d.added().size()).toList()),
                    result.unresolved().size());
            if (out != null) {
                write(out, chosen, result);
            }
        }
    }

    /**
     * {@code --whole [--real]}: the whole latest version of CS9 AppStream, with dependency solving,
     * into a new empty repository per run (BaseOS is no source, so what AppStream needs of it is
     * listed as unresolved). A dry run unless {@code --real}. Memory is what this measures: run it
     * with {@code -Xmx256m -Xlog:gc} and read the heap after each collection, or with
     * {@code --histograms PREFIX} for the live objects (after a full collection) every 4 s.
     */
    private static void whole(Path data, Path work, int runs, boolean dryRun, Path out, Path histograms) throws IOException {
        System.out.printf(Locale.ROOT, "copy: whole CS9 AppStream into an empty repository with dependency solving (%s), work dir %s%n",
                dryRun ? "dry run" : "real", work);
        try (Airlock airlock = Airlock.builder().home(work.resolve("home")).build()) {
            long start = System.nanoTime();
            if (airlock.repositories().find("cs9-appstream").isEmpty()) {
                airlock.repositories().create("cs9-appstream", "rpm", null);
                new RpmRepositories(airlock).sync("cs9-appstream", data.resolve("cs9-appstream"), ProgressListener.NONE);
            }
            System.out.printf(Locale.ROOT, "set-up (sync or reuse) %.1f s%n", (System.nanoTime() - start) / 1e9);
            CopyResult result = null;
            if (histograms != null) {
                Histograms.every(4000, histograms);
            }
            for (int i = 0; i < runs; i++) {
                String destination = "cs9-appstream-whole-" + System.nanoTime();
                airlock.repositories().create(destination, "rpm", null);
                CopyRequest request = CopyRequest.of(List.of(CopyRequest.Entry.whole("cs9-appstream", destination)));
                request = dryRun ? request.asDryRun() : request;
                long t = System.nanoTime();
                result = new CopyEngine(airlock).copy(request);
                Runtime rt = Runtime.getRuntime();
                System.out.printf(Locale.ROOT, "run %d: %.2f s; %d units added, %d unresolved requirements; heap now %d MiB of %d MiB%n",
                        i + 1, (System.nanoTime() - t) / 1e9, result.destinations().get(0).added().size(), result.unresolved().size(),
                        (rt.totalMemory() - rt.freeMemory()) >> 20, rt.maxMemory() >> 20);
                result = dryRun || out != null ? result : null;
            }
            if (out != null && result != null) {
                write(out, List.of(), result);
            }
        }
    }

    private static void write(Path out, List<String> chosen, CopyResult result) throws IOException {
        Files.createDirectories(out);
        Files.write(out.resolve("sample.txt"), chosen);
        List<String> lines = new ArrayList<>();
        for (CopyResult.Destination destination : result.destinations()) {
            for (CopyResult.Added added : destination.added()) {
                lines.add(added.type() + ":" + added.label() + "\t" + added.reason());
            }
        }
        Collections.sort(lines);
        lines.add("# unresolved");
        result.unresolved().forEach(u -> lines.add(u.unit() + " requires " + u.requirement()));
        Files.write(out.resolve("airlock.txt"), lines);
        System.out.println("wrote " + out.resolve("sample.txt") + " and " + out.resolve("airlock.txt"));
    }
}
