package io.airlock.cli;

import io.airlock.core.Airlock;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.core.repository.VersionRef;
import io.airlock.core.store.LocalDirectory;
import io.airlock.plugin.file.FileRepositories;
import io.airlock.spi.ProgressListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.BiFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code file add|sync|publish}. */
@Command(name = "file", description = "Ingest directories into file repositories and publish them.")
final class FileCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    @Command(name = "add", description = "New version: the latest plus the regular files under DIR.")
    int add(@Parameters(paramLabel = "NAME") String name, @Parameters(paramLabel = "DIR") Path directory,
            @Option(names = "--follow-symlinks", description = FOLLOW_SYMLINKS) boolean followSymlinks) {
        return ingest(name, (files, progress) -> files.add(name, directory, options(followSymlinks), progress));
    }

    @Command(name = "sync", description = "New version: exactly the regular files under DIR (adds and removes), or the files"
            + " of the file repository published at an http:// or https:// URL (its PULP_MANIFEST), downloaded and verified.")
    int sync(@Parameters(paramLabel = "NAME") String name, @Parameters(paramLabel = "DIR|URL") String source,
            @Option(names = "--follow-symlinks", description = FOLLOW_SYMLINKS) boolean followSymlinks,
            @Option(names = "--policy", paramLabel = "immediate|on-demand", description = "for a URL: download the files now"
                    + " (immediate, the default) or record their URLs for 'airlock download' (on-demand)") String policy,
            @Mixin RemoteCommandOptions remote) {
        Optional<java.net.URI> url = RemoteCommandOptions.url(spec, source);
        if (url.isEmpty() && (policy != null || remote.given())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--policy and the download options apply to URLs only");
        }
        if (url.isPresent() && followSymlinks) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--follow-symlinks applies to directories only");
        }
        if (url.isPresent()) {
            io.airlock.core.remote.DownloadPolicy downloadPolicy = policy == null ? io.airlock.core.remote.DownloadPolicy.IMMEDIATE
                    : RemoteCommandOptions.policy(spec, policy);
            io.airlock.core.remote.RemoteOptions options = remote.remoteOptions();
            return ingest(name, (files, progress) -> files.sync(name, url.get(), options, downloadPolicy, progress));
        }
        return ingest(name, (files, progress) -> files.sync(name, Path.of(source), options(followSymlinks), progress));
    }

    /** The help text of {@code --follow-symlinks}, shared with {@code rpm sync}. */
    static final String FOLLOW_SYMLINKS = "follow symbolic links whose target stays inside the directory"
            + " (default: refuse every symbolic link; links leaving it are always refused)";

    static LocalDirectory.Options options(boolean followSymlinks) {
        return followSymlinks ? LocalDirectory.Options.FOLLOW_SYMLINKS : LocalDirectory.Options.DEFAULT;
    }

    @Command(name = "publish", description = "Write a version as a directory tree with a PULP_MANIFEST.")
    int publish(@Parameters(paramLabel = "NAME[@N]") String reference, @Parameters(paramLabel = "OUTDIR") Path output) {
        VersionRef ref = VersionRef.parse(reference);
        try (Airlock airlock = Main.of(spec).open()) {
            // Pin the number first, so the report names the version that was written.
            VersionRef pinned = VersionRef.of(ref.repository(), airlock.repositories().version(ref).number());
            FileRepositories.Publication publication = new FileRepositories(airlock).publish(pinned, output);
            out().println("published " + pinned + " to " + publication.directory() + ": " + publication.files()
                    + " files, " + publication.bytes() + " bytes");
        }
        return 0;
    }

    private int ingest(String name, BiFunction<FileRepositories, ProgressListener, Optional<RepositoryVersion>> work) {
        try (Airlock airlock = Main.of(spec).open()) {
            Optional<RepositoryVersion> created;
            try (Progress progress = Progress.onTerminal(err())) {
                created = work.apply(new FileRepositories(airlock), progress);
            }
            if (created.isPresent()) {
                RepositoryVersion version = created.get();
                out().println("created version " + version.number() + " of " + name + ": " + version.contentCount()
                        + (version.contentCount() == 1 ? " unit" : " units")
                        + " (+" + version.addedCount() + " -" + version.removedCount() + ")");
            } else {
                out().println("no change: " + name + " is already at version "
                        + airlock.repositories().get(name).latestVersion());
            }
        }
        return 0;
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
