package io.airlock.cli;

import io.airlock.core.Airlock;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.core.remote.DownloadPolicy;
import io.airlock.core.remote.RemoteOptions;
import io.airlock.core.repository.VersionRef;
import io.airlock.plugin.rpm.RpmRepositories;
import io.airlock.plugin.rpm.publish.Publication;
import io.airlock.plugin.rpm.publish.PublishOptions;
import io.airlock.plugin.rpm.publish.RepodataFile;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rpm sync|publish}. */
@Command(name = "rpm", description = "Ingest yum repositories into rpm repositories and publish them.")
final class RpmCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    @Command(name = "sync", description = "New version: exactly the yum repository at SOURCE, a directory (repodata/repomd.xml"
            + " and the package files present; absent ones become on-demand units) or an http:// or https:// URL (metadata"
            + " and, with --policy immediate, every package file downloaded and verified).")
    int sync(@Parameters(paramLabel = "NAME") String name, @Parameters(paramLabel = "REPODIR|URL") String source,
            @Option(names = "--follow-symlinks", description = FileCommand.FOLLOW_SYMLINKS) boolean followSymlinks,
            @Option(names = "--policy", paramLabel = "immediate|on-demand", description = "for a URL: download the package files"
                    + " now (immediate, the default) or record their URLs for 'airlock download' (on-demand)") String policy,
            @Mixin RemoteCommandOptions remote) {
        Optional<URI> url = RemoteCommandOptions.url(spec, source);
        if (url.isEmpty() && (policy != null || remote.given())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--policy and the download options apply to URLs only");
        }
        if (url.isPresent() && followSymlinks) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--follow-symlinks applies to directories only");
        }
        DownloadPolicy downloadPolicy = policy == null ? DownloadPolicy.IMMEDIATE : RemoteCommandOptions.policy(spec, policy);
        RemoteOptions options = url.isPresent() ? remote.remoteOptions() : null;
        try (Airlock airlock = Main.of(spec).open()) {
            long start = System.nanoTime();
            RpmRepositories.SyncResult result;
            try (Progress progress = Progress.onTerminal(err())) {
                RpmRepositories rpm = new RpmRepositories(airlock);
                result = url.isPresent() ? rpm.sync(name, url.get(), options, downloadPolicy, progress)
                        : rpm.sync(name, Path.of(source), FileCommand.options(followSymlinks), progress);
            }
            result.warnings().forEach(w -> err().println("warning: " + w));
            String units = result.units().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
            double seconds = (System.nanoTime() - start) / 1e9;
            if (result.version().isPresent()) {
                RepositoryVersion version = result.version().get();
                out().printf("created version %d of %s: %d units (+%d -%d)%n", version.number(), name, version.contentCount(),
                        version.addedCount(), version.removedCount());
            } else {
                out().println("no change: " + name + " is already at version " + airlock.repositories().get(name).latestVersion());
            }
            out().printf("read %s; %d package files stored, %d on demand%s; %.1f s%n", units.isEmpty() ? "no units" : units,
                    result.artifacts(), result.onDemand(), url.isEmpty() ? "" : "; downloaded " + result.downloads() + " files ("
                    + Sizes.human(result.downloadedBytes()) + ")", seconds);
        }
        return 0;
    }

    /** {@code --repo-file NAME.repo --base-url URL}: given together or not at all. */
    static final class RepoFileOptions {
        @Option(names = "--repo-file", required = true, paramLabel = "NAME.repo",
                description = "write a .repo file for dnf at the top of OUTDIR (needs --base-url)")
        String fileName;

        @Option(names = "--base-url", required = true, paramLabel = "URL", description = "where OUTDIR is served, for the .repo file")
        String baseUrl;
    }

    /** {@code --sign-command CMD --public-key FILE}: given together or not at all. */
    static final class SigningOptions {
        @Option(names = "--sign-command", required = true, paramLabel = "CMD",
                description = "run by /bin/sh with repomd.xml on stdin; its stdout becomes repodata/repomd.xml.asc"
                        + " (e.g. 'gpg --detach-sign --armor'); failing fails the publish")
        String command;

        @Option(names = "--public-key", required = true, paramLabel = "FILE",
                description = "the signing key's public part, copied to repodata/repomd.xml.key")
        Path publicKey;
    }

    @Command(name = "publish", description = "Write a version as a yum repository: Packages/ and repodata/ (primary, filelists,"
            + " other, comps, updateinfo, modules.yaml, repomd.xml). OUTDIR must not exist or be empty.")
    int publish(@Parameters(paramLabel = "NAME[@N]") String reference, @Parameters(paramLabel = "OUTDIR") Path output,
            @Option(names = "--checksum", paramLabel = "TYPE", defaultValue = "sha256",
                    description = "checksum of the metadata files: sha256, sha384 or sha512 (default ${DEFAULT-VALUE})") String checksum,
            @Option(names = "--compression", paramLabel = "gz|zstd|none", defaultValue = "gz",
                    description = "compression of the metadata files (default ${DEFAULT-VALUE})") String compression,
            @Option(names = "--layout", paramLabel = "letter|flat", defaultValue = "letter",
                    description = "packages under Packages/<first letter>/ (letter, the default) or Packages/ (flat)") String layout,
            @Option(names = "--allow-on-demand", description = "publish packages whose files are not in the store as metadata only"
                    + " (refused otherwise)") boolean allowOnDemand,
            @CommandLine.ArgGroup(exclusive = false) RepoFileOptions repoFile,
            @CommandLine.ArgGroup(exclusive = false) SigningOptions signing) {
        PublishOptions options = PublishOptions.defaults()
                .checksum(choice(PublishOptions.Checksum.class, "--checksum", checksum, Map.of(
                        "sha256", PublishOptions.Checksum.SHA256, "sha384", PublishOptions.Checksum.SHA384,
                        "sha512", PublishOptions.Checksum.SHA512)))
                .compression(choice(PublishOptions.Compression.class, "--compression", compression, Map.of(
                        "gz", PublishOptions.Compression.GZ, "zstd", PublishOptions.Compression.ZSTD,
                        "none", PublishOptions.Compression.NONE)))
                .layout(choice(PublishOptions.Layout.class, "--layout", layout, Map.of(
                        "letter", PublishOptions.Layout.LETTER, "flat", PublishOptions.Layout.FLAT)));
        if (allowOnDemand) {
            options = options.allowingOnDemand();
        }
        if (repoFile != null) {
            options = options.repoFile(new PublishOptions.RepoFile(repoFile.fileName, repoFile.baseUrl));
        }
        if (signing != null) {
            options = options.signing(new PublishOptions.Signing(List.of("/bin/sh", "-c", signing.command), signing.publicKey));
        }
        VersionRef ref = VersionRef.parse(reference);
        try (Airlock airlock = Main.of(spec).open()) {
            long start = System.nanoTime();
            Publication publication;
            try (Progress progress = Progress.onTerminal(err())) {
                publication = new RpmRepositories(airlock).publish(ref, output, options, progress);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            out().printf("published %s to %s: %d packages (%d files, %s; %d on demand)%n", publication.version(),
                    publication.directory(), publication.packages(), publication.packageFiles(),
                    Sizes.human(publication.packageBytes()), publication.onDemand());
            out().printf("repodata: %s%s; %.1f s%n", publication.metadata().stream().map(RepodataFile::type)
                    .collect(Collectors.joining(" ")), publication.signed() ? ", repomd.xml signed" : "", seconds);
        }
        return 0;
    }

    /** The enum value a lower-case option value names; a usage error listing the choices otherwise. */
    private <E extends Enum<E>> E choice(Class<E> type, String option, String value, Map<String, E> choices) {
        E chosen = choices.get(value);
        if (chosen == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': '" + value
                    + "' (expected one of " + String.join(", ", new java.util.TreeSet<>(choices.keySet())) + ")");
        }
        return chosen;
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
