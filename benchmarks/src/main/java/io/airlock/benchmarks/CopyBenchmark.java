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
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> data = Path.of(args[++i]);
                case "--dir" -> work = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--sample" -> sample = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        work = work != null ? Files.createDirectories(work) : Files.createTempDirectory("airlock-bench-");
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
