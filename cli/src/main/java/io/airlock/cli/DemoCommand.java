package io.airlock.cli;

import io.airlock.core.Airlock;
import io.airlock.core.export.ExportEngine;
import io.airlock.core.export.ExportRequest;
import io.airlock.core.export.ExportResult;
import io.airlock.core.imports.ArchiveVerifier;
import io.airlock.core.imports.ImportEngine;
import io.airlock.core.imports.ImportRequest;
import io.airlock.core.imports.ImportResult;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.core.repository.VersionRef;
import io.airlock.core.store.FileTrees;
import io.airlock.plugin.file.FileRepositories;
import io.airlock.spi.ProgressListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: the air-gap story on embedded H2 in a temporary directory — a connected and an
 * air-gapped installation, a full export and import, upstream changes, an incremental export and
 * import — printing each step and what it proved. Ignores the global database options.
 */
@Command(name = "demo", description = "Run the whole air-gap story on embedded H2 in a temporary directory.")
final class DemoCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--keep", description = "keep the temporary directory and print where it is")
    private boolean keep;

    private PrintWriter out;
    private int step;

    @Override
    public Integer call() throws IOException {
        out = spec.commandLine().getOut();
        Path root = Files.createTempDirectory("airlock-demo-");
        try (Airlock connected = open(root.resolve("connected")); Airlock airGapped = open(root.resolve("air-gapped"))) {
            Path files = root.resolve("upstream-files");
            write(files, "images/alpine.iso", 300_000);
            write(files, "images/debian.iso", 500_000);
            write(files, "checksums/SHA256SUMS", 2_000);
            write(files, "README", 700);
            Path transfer = root.resolve("usb-stick");

            say("connected: create file repository 'isos' and add " + files.getFileName() + "/ (4 files)");
            connected.repositories().create("isos", "file", "installer images");
            RepositoryVersion v1 = new FileRepositories(connected).add("isos", files, ProgressListener.NONE).orElseThrow();
            proved("version " + v1.number() + " holds " + v1.contentCount() + " units");

            say("connected: full export of isos@" + v1.number() + " in 256 KiB chunks, exporter 'usb'");
            ExportResult full = new ExportEngine(connected).export(ExportRequest.full(List.of(VersionRef.latest("isos")), transfer)
                    .withName("isos-full").withExporter("usb").withChunkSize(256 * 1024), ProgressListener.NONE);
            proved(full.files() + " chunk files + a table of contents, " + Sizes.human(full.bytes()) + ", "
                    + full.artifacts() + " artifacts");

            say("air gap: verify the export (no database needed)");
            new ArchiveVerifier(connected.plugins()).verify(full.toc().orElseThrow(), ProgressListener.NONE);
            proved("every chunk's sha256, every entry and every artifact's sha256 check out");

            say("air gap: import it, creating the repository");
            ImportResult first = new ImportEngine(airGapped).importArchive(
                    ImportRequest.of(full.toc().orElseThrow()).creatingRepositories(), ProgressListener.NONE);
            proved("air-gapped isos is at version " + first.repositories().get(0).version().orElseThrow()
                    + " with the same content: " + same(connected, airGapped));

            say("connected: debian.iso is replaced by a new release, README removed, ubuntu.iso added (file sync)");
            Files.delete(files.resolve("README"));
            write(files, "images/debian.iso", 520_000);
            write(files, "images/ubuntu.iso", 400_000);
            RepositoryVersion v2 = new FileRepositories(connected).sync("isos", files, ProgressListener.NONE).orElseThrow();
            proved("version " + v2.number() + ": +" + v2.addedCount() + " -" + v2.removedCount() + ", " + v2.contentCount() + " units");

            say("connected: incremental export for exporter 'usb' (only what is new since isos-full)");
            ExportResult delta = new ExportEngine(connected).export(ExportRequest.full(List.of(VersionRef.latest("isos")), transfer)
                    .withName("isos-incremental").withExporter("usb").incremental(), ProgressListener.NONE);
            ExportResult wholeVersion = new ExportEngine(connected).export(ExportRequest.full(List.of(VersionRef.latest("isos")),
                    transfer).asDryRun(), ProgressListener.NONE);
            proved(delta.units() + " new units and " + delta.artifacts() + " artifacts, " + Sizes.human(delta.bytes())
                    + "; a full export of version " + v2.number() + " would be about " + Sizes.human(wholeVersion.bytes()));

            say("air gap: import the incremental export");
            ImportResult second = new ImportEngine(airGapped).importArchive(
                    ImportRequest.of(delta.toc().orElseThrow()), ProgressListener.NONE);
            proved("air-gapped isos is at version " + second.repositories().get(0).version().orElseThrow()
                    + "; both sides' content is equal: " + same(connected, airGapped));

            say("air gap: import the incremental export again");
            ImportResult again = new ImportEngine(airGapped).importArchive(
                    ImportRequest.of(delta.toc().orElseThrow()), ProgressListener.NONE);
            proved(again.repositories().get(0).version().isEmpty()
                    ? "nothing changed: importing an export twice is a no-op" : "UNEXPECTED: a version was created");
            boolean ok = same(connected, airGapped) && again.repositories().get(0).version().isEmpty();
            out.println(ok ? "demo finished: the air-gapped side mirrors the connected side" : "demo FAILED");
            if (keep) {
                out.println("files kept in " + root);
            }
            return ok ? 0 : 1;
        } finally {
            if (!keep) {
                FileTrees.deleteTree(root);
            }
        }
    }

    private static Airlock open(Path home) {
        return Airlock.builder().home(home).build();
    }

    private static void write(Path root, String name, int size) throws IOException {
        Path file = root.resolve(name);
        Files.createDirectories(file.getParent());
        byte[] bytes = new byte[size];
        new java.util.Random(name.hashCode() ^ size).nextBytes(bytes);
        Files.write(file, bytes);
    }

    /** True when both installations' latest isos hold the same units (type, label, natural key). */
    private static boolean same(Airlock a, Airlock b) {
        return describe(a).equals(describe(b));
    }

    private static List<String> describe(Airlock airlock) {
        List<String> lines = new ArrayList<>();
        airlock.repositories().scanContent(airlock.repositories().version(VersionRef.latest("isos")), Optional.empty(), 500,
                batch -> batch.forEach(unit -> lines.add(unit.typeId() + ":" + unit.label() + " "
                        + airlock.plugins().resourceOf(unit).naturalKey(unit).canonicalText())));
        lines.sort(null);
        return lines;
    }

    private void say(String text) {
        out.println();
        out.println(++step + ". " + text);
    }

    private void proved(String text) {
        out.println("   -> " + text);
        out.flush();
    }
}
