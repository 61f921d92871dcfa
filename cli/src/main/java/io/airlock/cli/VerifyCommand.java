package io.airlock.cli;

import io.airlock.core.archive.Manifest;
import io.airlock.core.imports.ArchiveVerifier;
import io.airlock.core.plugin.PluginRegistry;
import io.airlock.core.trust.SignatureFile;
import io.airlock.core.trust.TrustedKeys;
import io.airlock.core.Airlock;
import io.airlock.core.store.FileTrees;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code verify PATH}: every check of an export that needs no database; prints what it holds. */
@Command(name = "verify", description = "Check an export without importing it and print what it contains.")
final class VerifyCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "PATH", description = "the export's -toc.json, or a single .tar")
    private Path path;

    @Option(names = "--trust", paramLabel = "PUBKEY|DIR", description = "require a signature by this public key, "
            + "or by one in DIR (*.pub, *.pem); adds to the keys in the home's trust/")
    private List<Path> trust = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        TrustedKeys trusted = Main.of(spec).trustedKeys().and(load(trust));
        long start = System.nanoTime();
        ArchiveVerifier.Verified verified;
        // Rows are read with their types' resources, which need the persistence metamodel: a
        // throwaway in-memory installation provides it. The export is checked against no database.
        Path scratch = Files.createTempDirectory("airlock-verify-");
        try (Airlock metamodel = Airlock.builder().jdbcUrl("jdbc:h2:mem:verify-" + UUID.randomUUID()).credentials("sa", "")
                        .storage(scratch.resolve("artifacts")).build();
                Progress progress = Progress.onTerminal(spec.commandLine().getErr())) {
            verified = new ArchiveVerifier(metamodel.plugins(), trusted).verify(path, progress);
        } finally {
            FileTrees.deleteTree(scratch);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        PrintWriter out = spec.commandLine().getOut();
        Manifest manifest = verified.manifest();
        out.println("export " + verified.toc().exportName() + " made by " + manifest.producer()
                + (verified.toc().files().isEmpty() ? "" : ", " + verified.toc().files().size() + " file(s), "
                        + Sizes.human(verified.toc().totalSize())));
        for (Manifest.PluginVersion plugin : manifest.plugins()) {
            out.println("plugin " + plugin.name() + " " + plugin.version());
        }
        for (Manifest.ExportedRepository repository : manifest.repositories()) {
            out.println("repository " + repository.name() + "@" + repository.version() + " (" + repository.family() + ", "
                    + repository.baseVersion().map(b -> "incremental since " + b).orElse("full") + "): "
                    + repository.contentCount() + " units");
        }
        manifest.content().forEach((type, count) -> out.println("content " + type + ": " + count + " rows"));
        out.printf(java.util.Locale.ROOT, "artifacts: %d (%s); content-artifact links: %d%n", manifest.artifacts(),
                Sizes.human(manifest.artifactBytes()), manifest.contentArtifacts());
        verified.signedBy().ifPresent(key -> out.println("signed by trusted key " + key));
        if (trusted.isEmpty() && java.nio.file.Files.exists(SignatureFile.of(path), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            out.println("signature " + SignatureFile.of(path).getFileName() + " not checked: no trusted keys (--trust, or HOME/trust/)");
        }
        out.printf(java.util.Locale.ROOT, "ok: every check passed (%.1f s)%n", seconds);
        return 0;
    }

    /** The keys that {@code --trust} options name (public key files or directories of them). */
    static TrustedKeys load(List<Path> trust) {
        TrustedKeys keys = TrustedKeys.none();
        for (Path fileOrDirectory : trust) {
            keys = keys.and(TrustedKeys.load(fileOrDirectory));
        }
        return keys;
    }
}
