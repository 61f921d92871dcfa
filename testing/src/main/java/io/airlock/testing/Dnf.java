package io.airlock.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * dnf against one repository directory, offline, in its own installroot: no system repositories
 * (an empty reposdir), no plugins, its own cache, an unavailable repository an error.
 */
public final class Dnf {

    private final Path root;
    private final Path reposDir;
    private final Path cache;
    private final String repoId;
    private final Path repository;
    private final List<String> extra;

    private Dnf(Path work, String repoId, Path repository, List<String> extra) {
        this.root = work.resolve("root");
        this.reposDir = work.resolve("repos.d");
        this.cache = work.resolve("cache");
        this.repoId = repoId;
        this.repository = repository.toAbsolutePath();
        this.extra = List.copyOf(extra);
        try {
            Files.createDirectories(root);
            Files.createDirectories(reposDir);
            Files.createDirectories(cache);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** dnf on {@code repository} with package and repository signatures not checked; {@code work} holds its installroot and cache. */
    public static Dnf of(Path work, String repoId, Path repository) {
        Tools.require("dnf", "rpm");
        return new Dnf(work, repoId, repository, List.of("--nogpgcheck"));
    }

    /** dnf requiring a valid signature of repomd.xml by {@code key} ({@code repo_gpgcheck=1}); package signatures not checked. */
    public static Dnf verifyingRepomd(Path work, String repoId, Path repository, Path key) {
        Tools.require("dnf", "rpm", "gpg");
        return new Dnf(work, repoId, repository, List.of("--setopt=" + repoId + ".gpgcheck=0",
                "--setopt=" + repoId + ".repo_gpgcheck=1", "--setopt=" + repoId + ".gpgkey=file://" + key.toAbsolutePath()));
    }

    public Path root() {
        return root;
    }

    public Tools.Result run(String... arguments) {
        List<String> command = new ArrayList<>(List.of("dnf", "-q", "-y", "--installroot", root.toString(),
                "--setopt=reposdir=" + reposDir, "--setopt=cachedir=" + cache, "--repofrompath",
                repoId + ",file://" + repository, "--repo", repoId, "--setopt=skip_if_unavailable=False",
                "--disableplugin=*", "--releasever=1", "--setopt=module_platform_id=platform:airlock"));
        command.addAll(extra);
        command.addAll(List.of(arguments));
        return Tools.run(root.getParent(), Map.of(), command, Duration.ofMinutes(2));
    }

    /** {@link #run} requiring success; its standard output lines. */
    public List<String> ok(String... arguments) {
        Tools.Result result = run(arguments);
        if (result.exitCode() != 0) {
            throw new AssertionError("dnf " + String.join(" ", arguments) + " exited " + result.exitCode() + "\nstdout: "
                    + result.out() + "\nstderr: " + result.err());
        }
        return result.outLines();
    }
}
