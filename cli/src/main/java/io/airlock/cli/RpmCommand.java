package io.airlock.cli;

import io.airlock.core.Airlock;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.plugin.rpm.RpmRepositories;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rpm sync}. */
@Command(name = "rpm", description = "Ingest yum repositories into rpm repositories.")
final class RpmCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    @Command(name = "sync", description = "New version: exactly the yum repository at REPODIR (repodata/repomd.xml and the"
            + " package files present; absent ones become on-demand units).")
    int sync(@Parameters(paramLabel = "NAME") String name, @Parameters(paramLabel = "REPODIR") Path directory,
            @Option(names = "--follow-symlinks", description = FileCommand.FOLLOW_SYMLINKS) boolean followSymlinks) {
        try (Airlock airlock = Main.of(spec).open()) {
            long start = System.nanoTime();
            RpmRepositories.SyncResult result;
            try (Progress progress = Progress.onTerminal(err())) {
                result = new RpmRepositories(airlock).sync(name, directory, FileCommand.options(followSymlinks), progress);
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
            out().printf("read %s; %d package files stored, %d on demand; %.1f s%n", units.isEmpty() ? "no units" : units,
                    result.artifacts(), result.onDemand(), seconds);
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
