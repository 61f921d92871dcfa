package io.airlock.cli;

import io.airlock.core.Airlock;
import io.airlock.core.imports.ImportEngine;
import io.airlock.core.imports.ImportRequest;
import io.airlock.core.imports.ImportResult;
import io.airlock.core.trust.TrustedKeys;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code import PATH …}: an export into this installation, all or nothing. */
@Command(name = "import", description = "Import an export (a -toc.json or a .tar) as new versions of repositories.")
final class ImportCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "PATH", description = "the export's -toc.json, or a single .tar")
    private Path path;

    @Option(names = "--map", paramLabel = "SRC=DEST", description = "import exported repository SRC into DEST")
    private Map<String, String> mapping = new LinkedHashMap<>();

    @Option(names = "--create-repositories", description = "create destination repositories that do not exist")
    private boolean createRepositories;

    @Option(names = "--dry-run", description = "check everything and report what would change; change nothing")
    private boolean dryRun;

    @Option(names = "--trust", paramLabel = "PUBKEY|DIR", description = "require a signature by this public key, "
            + "or by one in DIR (*.pub, *.pem); adds to the keys in the home's trust/")
    private List<Path> trust = new ArrayList<>();

    @Override
    public Integer call() {
        TrustedKeys trusted = Main.of(spec).trustedKeys().and(VerifyCommand.load(trust));
        ImportResult result;
        double seconds;
        try (Airlock airlock = Main.of(spec).open(); Progress progress = Progress.onTerminal(err())) {
            long start = System.nanoTime();
            result = new ImportEngine(airlock).importArchive(new ImportRequest(path, mapping, createRepositories, dryRun, trusted),
                    progress);
            seconds = (System.nanoTime() - start) / 1e9;
        }
        PrintWriter out = out();
        result.signedBy().ifPresent(key -> out.println("signed by trusted key " + key));
        String would = dryRun ? "would " : "";
        for (ImportResult.ImportedRepository repository : result.repositories()) {
            out.println(repository.source() + " -> " + repository.destination()
                    + (repository.createdRepository() ? " (" + would + "create repository)" : "") + ": "
                    + repository.version().map(v -> (dryRun ? "would create version " : "version ") + v)
                            .orElse("unchanged, already equal")
                    + " (" + repository.contentCount() + " units)");
        }
        long created = result.created().values().stream().mapToLong(Long::longValue).sum();
        long reused = result.reused().values().stream().mapToLong(Long::longValue).sum();
        out.printf(java.util.Locale.ROOT, "%sunits: %d new, %d reused; artifacts: %d %s (%s), %d reused; %.1f s%n",
                dryRun ? "dry run, nothing changed; " : "", created, reused, result.artifactsWritten(),
                dryRun ? "to write" : "written", Sizes.human(result.bytesWritten()), result.artifactsReused(), seconds);
        return 0;
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
