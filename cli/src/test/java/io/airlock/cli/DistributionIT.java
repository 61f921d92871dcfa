package io.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution archive, run as the air-gapped side runs it: unpacked into an empty folder, with
 * an empty HOME, a PATH holding nothing (no Maven, no shell tools), only {@code JAVA_HOME}, and — where
 * the machine allows ({@code unshare -n}, always under CI) — no network at all.
 */
final class DistributionIT {

    private static Path archive;
    private static String version;

    @TempDir
    static Path unpacked;

    @BeforeAll
    static void unpack() throws IOException, InterruptedException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            archive = files.filter(p -> p.getFileName().toString().matches("airlock-.+\\.tar\\.gz")).findFirst()
                    .orElseThrow(() -> new AssertionError("no target/airlock-*.tar.gz: run ./mvnw -pl cli -am package"));
        }
        String name = archive.getFileName().toString();
        version = name.substring("airlock-".length(), name.length() - ".tar.gz".length());
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toAbsolutePath().toString(), "-C", unpacked.toString())
                .redirectErrorStream(true).start();
        String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tar.waitFor()).as("tar -xzf: " + output).isZero();
    }

    private static Path home() {
        return unpacked.resolve("airlock-" + version);
    }

    @Test
    void theChecksumFileIsWhatSha256sumReads() throws IOException, NoSuchAlgorithmException {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(archive)) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sha256.update(buffer, 0, n);
            }
        }
        Path checksum = archive.resolveSibling(archive.getFileName() + ".sha256");

        assertThat(Files.readString(checksum, StandardCharsets.US_ASCII).strip())
                .isEqualTo(HexFormat.of().formatHex(sha256.digest()) + "  " + archive.getFileName());
    }

    @Test
    void holdsTheLauncherTheLibrariesTheirLicensesAndTheDocs() throws IOException {
        Path launcher = home().resolve("bin/airlock");

        assertThat(Files.isExecutable(launcher)).as("bin/airlock is executable").isTrue();
        assertThat(jarNames()).contains("airlock-cli.jar", "airlock-core-" + version + ".jar",
                        "airlock-plugin-file-" + version + ".jar", "airlock-plugin-rpm-" + version + ".jar")
                .anyMatch(n -> n.startsWith("h2-")).anyMatch(n -> n.startsWith("postgresql-"))
                .anyMatch(n -> n.startsWith("hibernate-core-"))
                .noneMatch(n -> n.startsWith("junit") || n.startsWith("assertj") || n.startsWith("airlock-testing"));
        assertThat(Files.readString(home().resolve("licenses/THIRD-PARTY.txt")))
                .contains("Hibernate").contains("H2 Database Engine").contains("PostgreSQL JDBC Driver");
        assertThat(home().resolve("docs/cli.md")).isRegularFile();
        assertThat(home().resolve("README.md")).isRegularFile();
    }

    @Test
    void runsTheDemoWithOnlyAJavaRuntime(@TempDir Path work) throws IOException, InterruptedException {
        Run demo = airlock(work, "demo");

        assertThat(demo.exit()).as(demo.output()).isZero();
        assertThat(demo.output()).contains("demo finished: the air-gapped side mirrors the connected side");
    }

    @Test
    void exportsAndImportsWithOnlyAJavaRuntime(@TempDir Path work) throws IOException, InterruptedException {
        Path input = Trees.write(work.resolve("input"), Trees.sample());
        Path usb = work.resolve("usb");
        String up = work.resolve("up").toString();
        String down = work.resolve("down").toString();

        ok(work, "--home", up, "repo", "create", "isos", "--type", "file");
        ok(work, "--home", up, "file", "add", "isos", input.toString());
        ok(work, "--home", up, "export", "isos", "--to", usb.toString(), "--name", "full");
        ok(work, "--home", down, "verify", usb.resolve("full-toc.json").toString());
        Run imported = ok(work, "--home", down, "import", usb.resolve("full-toc.json").toString(), "--create-repositories");

        assertThat(imported.output()).contains("isos -> isos (create repository): version 1 (" + Trees.sample().size() + " units)");
        assertThat(ok(work, "--home", down, "repo", "content", "isos", "--json").output().lines().sorted().toList())
                .isEqualTo(ok(work, "--home", up, "repo", "content", "isos", "--json").output().lines().sorted().toList());
    }

    @Test
    void theLauncherMakesAClassDataArchiveOnceThatLaterStartsMap(@TempDir Path work) throws IOException, InterruptedException {
        Path userHome = Files.createDirectories(work.resolve("user"));
        Map<String, String> environment = Map.of("HOME", userHome.toString(), "PATH", "/usr/bin:/bin");
        Run first = airlock(work, environment, "--home", work.resolve("a").toString(), "repo", "list");
        assertThat(first.exit()).as(first.output()).isZero();

        Path cache = userHome.resolve(".cache/airlock");
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(3);
        List<Path> archives = List.of();
        List<Path> leftovers = List.of();
        while ((archives.isEmpty() || !leftovers.isEmpty()) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            try (var files = Files.walk(cache)) {
                List<Path> all = files.toList();
                archives = all.stream().filter(f -> f.toString().endsWith(".jsa")).toList();
                leftovers = all.stream().filter(f -> f.toString().contains(".jsa.")).toList(); // scratch folder, marker
            }
        }
        assertThat(archives).as("archives made under " + cache).hasSize(1);
        assertThat(leftovers).as("the maker's scratch folder and marker, once it is done").isEmpty();

        // -Xshare:on makes the JVM refuse to start unless it maps the archive the launcher names.
        Map<String, String> strict = new java.util.HashMap<>(environment);
        strict.put("JAVA_OPTS", "-Xmx256m -Xshare:on");
        Run mapped = airlock(work, strict, "--home", work.resolve("a").toString(), "repo", "list");
        assertThat(mapped.exit()).as(mapped.output()).isZero();
        assertThat(mapped.output()).startsWith("NAME");
    }

    private record Run(int exit, String output) {
    }

    private Run ok(Path work, String... arguments) throws IOException, InterruptedException {
        Run run = airlock(work, arguments);
        assertThat(run.exit()).as(String.join(" ", arguments) + ": " + run.output()).isZero();
        return run;
    }

    /** bin/airlock with an empty HOME and PATH, the JVM found through JAVA_HOME, offline where possible. */
    private Run airlock(Path work, String... arguments) throws IOException, InterruptedException {
        Path emptyHome = Files.createDirectories(work.resolve("empty-home"));
        Path emptyPath = Files.createDirectories(work.resolve("empty-path"));
        return airlock(work, Map.of("HOME", emptyHome.toString(), "PATH", emptyPath.toString()), arguments);
    }

    /** bin/airlock with only JAVA_HOME, JAVA_OPTS -Xmx256m and {@code variables} set, offline where possible. */
    private Run airlock(Path work, Map<String, String> variables, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (offline()) {
            command.addAll(List.of("unshare", "-n"));
        }
        command.add(home().resolve("bin/airlock").toString());
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.clear();
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        environment.put("JAVA_OPTS", "-Xmx256m");
        environment.putAll(variables);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(process.waitFor(), output);
    }

    private static Boolean offline;

    /** Whether this machine can run a process without a network ({@code unshare -n}: root, as CI is). */
    private static synchronized boolean offline() throws IOException, InterruptedException {
        if (offline == null) {
            Process probe;
            try {
                probe = new ProcessBuilder("unshare", "-n", "true").redirectErrorStream(true).start();
                probe.getInputStream().readAllBytes();
                offline = probe.waitFor() == 0;
            } catch (IOException e) {
                offline = false;
            }
            if (!offline) {
                assertThat(System.getenv("CI")).as("under CI the distribution is run without a network (unshare -n)").isNull();
                System.out.println("DistributionIT: unshare -n is not available here (not root?): running with the network");
            }
        }
        return offline;
    }

    private static List<String> jarNames() throws IOException {
        try (Stream<Path> jars = Files.list(home().resolve("lib"))) {
            return jars.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
