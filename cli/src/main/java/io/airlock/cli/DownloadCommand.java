package io.airlock.cli;

import io.airlock.core.Airlock;
import io.airlock.core.remote.VersionDownload;
import io.airlock.core.repository.VersionRef;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code download NAME[@N]}: the files of a version's on-demand units, from where their sync found them. */
@Command(name = "download", description = "Download the files of the version's on-demand units from the URLs a sync with"
        + " --policy on-demand recorded, each verified against its checksum and size; resumable (what is stored stays).")
final class DownloadCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "NAME[@N]", description = "the repository version (the latest when no @N)")
    private String reference;

    @Mixin
    private RemoteCommandOptions remote;

    @Override
    public Integer call() {
        VersionRef ref = VersionRef.parse(reference);
        try (Airlock airlock = Main.of(spec).open()) {
            long start = System.nanoTime();
            VersionDownload.Result result;
            try (Progress progress = Progress.onTerminal(spec.commandLine().getErr())) {
                result = airlock.download(ref, remote.remoteOptions(), progress);
            }
            spec.commandLine().getOut().printf(Locale.ROOT, "%s: downloaded %d files (%s), %d already stored; %.1f s%n",
                    result.version(), result.downloaded(), Sizes.human(result.bytes()), result.alreadyStored(),
                    (System.nanoTime() - start) / 1e9);
        }
        return 0;
    }
}
