package io.airlock.cli;

import io.airlock.core.Airlock;
import io.airlock.core.OrphanCleanup;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cleanup [--dry-run]}: leftovers of killed runs and orphans. */
@Command(name = "cleanup", description = "Remove what killed runs left (temporary files, staging and scratch folders,"
        + " unrecorded artifact files) and orphans: content in no repository version, artifacts no content uses.")
final class CleanupCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--dry-run", description = "print what would be removed and change nothing")
    private boolean dryRun;

    @Override
    public Integer call() {
        // A dry run must not let the start-up recovery remove anything either.
        try (Airlock airlock = Main.of(spec).open(builder -> builder.cleanupAtStart(!dryRun))) {
            OrphanCleanup.Result result = airlock.cleanup(dryRun);
            PrintWriter out = spec.commandLine().getOut();
            String verb = dryRun ? "would remove" : "removed";
            out.printf(Locale.ROOT, "%s leftovers of %d killed run(s): %d staging or scratch folder(s), %d temporary file(s)%n",
                    verb, result.deadRuns(), result.stagingFolders(), result.temporaryFiles());
            out.printf(Locale.ROOT, "%s orphans: %d content unit(s), %d artifact row(s), %d artifact file(s)%n",
                    verb, result.content(), result.artifactRows(), result.files());
            out.printf(Locale.ROOT, "%s %s (%d bytes)%n", dryRun ? "would free" : "freed", Sizes.human(result.bytes()),
                    result.bytes());
        }
        return 0;
    }
}
