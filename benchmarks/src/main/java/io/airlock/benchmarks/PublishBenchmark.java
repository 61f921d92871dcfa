package io.airlock.benchmarks;

import io.airlock.core.Airlock;
import io.airlock.core.repository.VersionRef;
import io.airlock.core.store.FileTrees;
import io.airlock.plugin.rpm.RpmRepositories;
import io.airlock.plugin.rpm.publish.Publication;
import io.airlock.plugin.rpm.publish.PublishOptions;
import io.airlock.spi.ProgressListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code rpm publish} beside createrepo_c: N small RPMs are generated (one rpmbuild run, one
 * subpackage each, a third of them requiring another), createrepo_c indexes them, Airlock syncs them
 * and publishes the version; both times are printed, createrepo_c's and Airlock's twice each (the
 * first Airlock run in a JVM pays for compiling its queries). With {@code --appstream}, also the
 * publication of CS9 AppStream's metadata (on demand) from {@code --data}.
 */
final class PublishBenchmark {

    private PublishBenchmark() {
    }

    static void run(String[] args) throws Exception {
        int packages = 2000;
        Path workDirectory = null;
        Path data = Path.of("..", "shared", "data").toAbsolutePath().normalize();
        boolean appstream = false;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--packages" -> packages = Integer.parseInt(args[++i]);
                case "--dir" -> workDirectory = Path.of(args[++i]);
                case "--data" -> data = Path.of(args[++i]);
                case "--appstream" -> appstream = true;
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        Path work = workDirectory != null ? Files.createDirectories(workDirectory) : Files.createTempDirectory("airlock-bench-");
        System.out.printf(Locale.ROOT, "publish: %d generated RPMs, max heap %.0f MiB, work dir %s%n", packages,
                Runtime.getRuntime().maxMemory() / 1048576.0, work);
        try {
            Path repository = generate(work, packages);
            for (int run = 1; run <= 2; run++) {
                FileTrees.deleteTree(repository.resolve("repodata"));
                long start = System.nanoTime();
                command(work, List.of("createrepo_c", "--quiet", "--no-database", repository.toString()));
                print("createrepo_c --no-database (run " + run + ")", start, packages);
            }
            try (Airlock airlock = Airlock.builder().home(work.resolve("home")).build()) {
                airlock.repositories().create("generated", "rpm", null);
                long start = System.nanoTime();
                new RpmRepositories(airlock).sync("generated", repository, ProgressListener.NONE);
                print("airlock rpm sync", start, packages);
                for (int run = 1; run <= 2; run++) {
                    Path out = work.resolve("published-" + run);
                    FileTrees.deleteTree(out);
                    start = System.nanoTime();
                    Publication publication = new RpmRepositories(airlock).publish(VersionRef.latest("generated"), out,
                            PublishOptions.defaults(), ProgressListener.NONE);
                    print("airlock rpm publish (run " + run + ")", start, publication.packages());
                }
                if (appstream) {
                    airlock.repositories().create("cs9-appstream", "rpm", null);
                    start = System.nanoTime();
                    new RpmRepositories(airlock).sync("cs9-appstream", data.resolve("cs9-appstream"), ProgressListener.NONE);
                    print("airlock rpm sync CS9 AppStream", start, 0);
                    for (int run = 1; run <= 2; run++) {
                        Path out = work.resolve("appstream-" + run);
                        FileTrees.deleteTree(out);
                        start = System.nanoTime();
                        Publication publication = new RpmRepositories(airlock).publish(VersionRef.latest("cs9-appstream"), out,
                                PublishOptions.defaults().allowingOnDemand(), ProgressListener.NONE);
                        print("airlock rpm publish CS9 AppStream (run " + run + ")", start, publication.packages());
                    }
                }
            }
        } finally {
            if (workDirectory == null) {
                FileTrees.deleteTree(work);
            }
        }
    }

    /** Builds the packages into {@code work/R/Packages} with one rpmbuild run, unless they are there from an earlier run. */
    private static Path generate(Path work, int packages) throws IOException, InterruptedException {
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

    private static void command(Path directory, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue());
        }
    }

    private static void print(String what, long start, long packages) {
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "%-44s %8.2f s%s%n", what, seconds,
                packages == 0 ? "" : String.format(Locale.ROOT, " %10.0f packages/s", packages / seconds));
    }
}
