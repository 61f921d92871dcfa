package io.airlock.benchmarks;

import io.airlock.core.Airlock;
import io.airlock.core.remote.DownloadPolicy;
import io.airlock.core.remote.RemoteOptions;
import io.airlock.core.remote.VersionDownload;
import io.airlock.core.repository.VersionRef;
import io.airlock.core.store.FileTrees;
import io.airlock.plugin.rpm.RpmRepositories;
import io.airlock.spi.ProgressListener;
import io.airlock.testing.TestHttpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Downloads beside curl: N small generated RPMs (the publish benchmark's, indexed by createrepo_c)
 * served by a JDK HTTP server on 127.0.0.1, fetched by {@code rpm sync URL} (immediate: metadata,
 * downloads, units written), by {@code download} after an on-demand sync (downloads and storing
 * only), and by {@code curl --parallel --parallel-max C} over the same package URLs into a folder,
 * the three alternating {@code --runs} times (3), each into a fresh installation or folder. Prints
 * every run and the medians.
 */
final class DownloadBenchmark {

    private DownloadBenchmark() {
    }

    static void run(String[] args) throws Exception {
        int packages = 2000;
        int runs = 3;
        int connections = 8;
        Path workDirectory = null;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--packages" -> packages = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--dir" -> workDirectory = Path.of(args[++i]);
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        Path work = workDirectory != null ? Files.createDirectories(workDirectory) : Files.createTempDirectory("airlock-bench-");
        Path repository = PublishBenchmark.generate(work, packages);
        if (!Files.exists(repository.resolve("repodata/repomd.xml"))) {
            PublishBenchmark.command(work, List.of("createrepo_c", "--quiet", "--no-database", repository.toString()));
        }
        List<String> hrefs;
        long bytes = 0;
        try (Stream<Path> files = Files.list(repository.resolve("Packages"))) {
            hrefs = files.map(f -> "Packages/" + f.getFileName()).sorted().toList();
        }
        for (String href : hrefs) {
            bytes += Files.size(repository.resolve(href));
        }
        System.out.printf(Locale.ROOT, "download: %d RPMs (%.1f MiB) from a JDK HttpServer on 127.0.0.1, %d connections, %d runs,"
                + " max heap %.0f MiB, work dir %s%n", hrefs.size(), bytes / 1048576.0, connections, runs,
                Runtime.getRuntime().maxMemory() / 1048576.0, work);
        RemoteOptions options = RemoteOptions.defaults().connections(connections);
        List<Double> syncs = new ArrayList<>();
        List<Double> downloads = new ArrayList<>();
        List<Double> curls = new ArrayList<>();
        try (TestHttpServer server = TestHttpServer.serve(repository)) {
            Path config = work.resolve("curl.cfg");
            StringBuilder lines = new StringBuilder();
            for (String href : hrefs) {
                lines.append("url = \"").append(server.url(href)).append("\"\noutput = \"")
                        .append(work.resolve("curl-out").resolve(href.substring("Packages/".length()))).append("\"\n");
            }
            Files.writeString(config, lines, StandardCharsets.UTF_8);
            for (int run = 1; run <= runs; run++) {
                Path home = work.resolve("home-sync");
                FileTrees.deleteTree(home);
                try (Airlock airlock = Airlock.builder().home(home).build()) {
                    airlock.repositories().create("bench", "rpm", null);
                    long start = System.nanoTime();
                    RpmRepositories.SyncResult result = new RpmRepositories(airlock).sync("bench", server.url(), options,
                            DownloadPolicy.IMMEDIATE, ProgressListener.NONE);
                    syncs.add(print("airlock rpm sync URL, immediate (run " + run + ")", start, result.artifacts()));
                }
                FileTrees.deleteTree(home);

                home = work.resolve("home-download");
                FileTrees.deleteTree(home);
                try (Airlock airlock = Airlock.builder().home(home).build()) {
                    airlock.repositories().create("bench", "rpm", null);
                    new RpmRepositories(airlock).sync("bench", server.url(), options, DownloadPolicy.ON_DEMAND, ProgressListener.NONE);
                    long start = System.nanoTime();
                    VersionDownload.Result result = airlock.download(VersionRef.latest("bench"), options, ProgressListener.NONE);
                    downloads.add(print("airlock download after an on-demand sync (run " + run + ")", start, result.downloaded()));
                }
                FileTrees.deleteTree(home);

                Path out = work.resolve("curl-out");
                FileTrees.deleteTree(out);
                Files.createDirectories(out);
                long start = System.nanoTime();
                // Its parallel progress meter shows even with --silent: sent away, the exit status is checked.
                Process curl = new ProcessBuilder("curl", "--silent", "--fail", "--parallel", "--parallel-max",
                        String.valueOf(connections), "--config", config.toString()).directory(work.toFile())
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                if (curl.waitFor() != 0) {
                    throw new IllegalStateException("curl exited " + curl.exitValue());
                }
                curls.add(print("curl --parallel --parallel-max " + connections + " (run " + run + ")", start, hrefs.size()));
                FileTrees.deleteTree(out);
            }
        }
        System.out.printf(Locale.ROOT, "= medians of %d: rpm sync URL %.2f s, download %.2f s, curl %.2f s (%d packages)%n", runs,
                median(syncs), median(downloads), median(curls), hrefs.size());
    }

    private static double print(String what, long start, long packages) {
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "%-56s %8.2f s %8.0f packages/s%n", what, seconds, packages / seconds);
        return seconds;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
