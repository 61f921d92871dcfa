package io.airlock.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airlock.core.Airlock;
import io.airlock.core.export.ExportEngine;
import io.airlock.core.export.ExportHistory;
import io.airlock.core.export.ExportRecord;
import io.airlock.core.export.ExportRequest;
import io.airlock.core.export.ExportResult;
import io.airlock.core.repository.VersionRef;
import io.airlock.core.trust.SignatureFile;
import io.airlock.core.trust.SigningKey;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code export NAME[@N]… --to DIR …}: repository versions to an archive for the air gap; {@code export
 * list} and {@code export forget E}: the exporters' history. A repository named {@code list} or
 * {@code forget} is exported as {@code list@N}.
 */
@Command(name = "export", description = "Export repository versions to DIR: full, or incremental against an earlier export."
        + " 'export list' shows what named exporters exported; 'export forget E' drops an exporter's records"
        + " (export a repository named 'list' or 'forget' as NAME@N).",
        subcommands = {ExportCommand.ListCommand.class, ExportCommand.ForgetCommand.class})
final class ExportCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    // Checked in call(), not by picocli, which would ask for them before 'list' and 'forget' too.
    @Parameters(paramLabel = "NAME[@N]", arity = "0..*", description = "repository versions (the latest when no @N)")
    private List<String> versions;

    @Option(names = "--to", paramLabel = "DIR", description = "directory for the export's files (required)")
    private Path directory;

    @Option(names = "--name", paramLabel = "NAME", description = "base name of the export's files (default: export-TIME)")
    private String name;

    @Option(names = "--exporter", paramLabel = "E", description = "a named exporter that remembers what it exported")
    private String exporter;

    @ArgGroup(exclusive = true)
    private Base base;

    static final class Base {
        @Option(names = "--incremental", description = "only what is new since the exporter's last export")
        boolean incremental;

        @Option(names = "--since", paramLabel = "NAME@N", arity = "1..*", description = "only what is new since these versions")
        List<String> since;
    }

    @Option(names = "--full-membership", description = "with --incremental or --since: carry each version's complete"
            + " membership list instead of its changes to the base, for a destination that may not hold the base")
    private boolean fullMembership;

    @Option(names = "--chunk-size", paramLabel = "SIZE", converter = Sizes.class,
            description = "cut the export into files of SIZE (e.g. 64M, 1G); one .tar otherwise")
    private Long chunkSize;

    @Option(names = "--allow-on-demand", description = "export units whose files are not in the store as metadata only")
    private boolean allowOnDemand;

    @Option(names = "--dry-run", description = "report what would be exported; write nothing")
    private boolean dryRun;

    @Option(names = "--download", description = "first download the files of the versions' on-demand units (as 'airlock"
            + " download' does), so the export carries them")
    private boolean download;

    @Mixin
    private RemoteCommandOptions remote;

    @Option(names = "--meta", paramLabel = "KEY=VALUE", description = "metadata for the table of contents")
    private Map<String, String> meta = new LinkedHashMap<>();

    @Option(names = "--sign", paramLabel = "KEY", description = "sign the table of contents with this private key "
            + "(writes NAME-toc.json.sig)")
    private Path signingKey;

    @Override
    public Integer call() {
        if (versions == null || versions.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required parameter: 'NAME[@N]'");
        }
        if (directory == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--to=DIR'");
        }
        if (!download && remote.given()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "the download options need --download");
        }
        if (download && dryRun) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--download downloads: it cannot go with --dry-run");
        }
        if (fullMembership && base == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--full-membership needs --incremental or --since (a full export always carries complete memberships)");
        }
        List<VersionRef> refs = versions.stream().map(VersionRef::parse).toList();
        List<VersionRef> bases = new ArrayList<>();
        ExportRequest.Base kind = ExportRequest.Base.FULL;
        if (base != null && base.incremental) {
            kind = ExportRequest.Base.LAST_EXPORT;
        } else if (base != null && base.since != null) {
            kind = ExportRequest.Base.SINCE;
            base.since.forEach(s -> bases.add(VersionRef.parse(s)));
        }
        // The key is loaded (and checked) before anything is exported.
        Optional<SigningKey> key = Optional.ofNullable(signingKey).map(SigningKey::load);
        io.airlock.core.remote.RemoteOptions remoteOptions = download ? remote.remoteOptions() : null;
        ExportRequest request = new ExportRequest(refs, directory, Optional.ofNullable(name), Optional.ofNullable(exporter),
                kind, bases, chunkSize == null ? OptionalLong.empty() : OptionalLong.of(chunkSize), allowOnDemand, dryRun, meta, key,
                fullMembership);
        ExportResult result;
        double seconds;
        try (Airlock airlock = Main.of(spec).open(); Progress progress = Progress.onTerminal(err())) {
            long start = System.nanoTime();
            if (download) {
                // Pinned: the export takes exactly the versions whose files were downloaded.
                List<VersionRef> pinned = new ArrayList<>();
                for (VersionRef ref : refs) {
                    io.airlock.core.remote.VersionDownload.Result fetched = airlock.download(ref, remoteOptions, progress);
                    pinned.add(fetched.version());
                    out().printf(java.util.Locale.ROOT, "%s: downloaded %d files (%s), %d already stored%n", fetched.version(),
                            fetched.downloaded(), Sizes.human(fetched.bytes()), fetched.alreadyStored());
                }
                request = new ExportRequest(pinned, request.directory(), request.name(), request.exporter(), request.base(),
                        request.since(), request.chunkSize(), request.allowOnDemand(), request.dryRun(), request.meta(),
                        request.signingKey());
            }
            result = new ExportEngine(airlock).export(request, progress);
            seconds = (System.nanoTime() - start) / 1e9;
        }
        PrintWriter out = out();
        for (ExportResult.ExportedRepository repository : result.repositories()) {
            out.println((dryRun ? "would export " : "exported ") + repository.name() + "@" + repository.version()
                    + repository.baseVersion().map(b -> " (incremental since " + b + ")").orElse(" (full)")
                    + ": " + repository.contentCount() + " units in the version");
        }
        out.printf(java.util.Locale.ROOT, "%s %d units %s, %d artifacts (%s), %s in %d file%s%s, %.1f s%n",
                dryRun ? "would write" : "wrote", result.units(), result.content(), result.artifacts(),
                Sizes.human(result.artifactBytes()), (dryRun ? "about " : "") + Sizes.human(result.bytes()), result.files(),
                result.files() == 1 ? "" : "s", result.toc().map(p -> ": " + p).orElse(""), seconds);
        if (key.isPresent()) {
            out.println((dryRun ? "would sign with key " : "signed with key ") + key.get().fingerprint()
                    + result.toc().map(p -> ": " + SignatureFile.of(p)).orElse(""));
        }
        return 0;
    }

    /** {@code export list [--exporter E] [--json]}. */
    @Command(name = "list", description = "List the exports named exporters made, oldest first: when, exporter,"
            + " repository version, full or incremental since which version, files, size.")
    static final class ListCommand implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Option(names = "--exporter", paramLabel = "E", description = "only this exporter's exports")
        private String exporter;

        @Option(names = "--json", description = "one JSON object per line")
        private boolean json;

        @Override
        public Integer call() {
            List<ExportHistory.Entry> entries;
            try (Airlock airlock = Main.of(spec).open()) {
                entries = airlock.exportHistory().list(Optional.ofNullable(exporter));
            }
            PrintWriter out = spec.commandLine().getOut();
            Table table = new Table();
            if (!json) {
                table.row("WHEN", "EXPORTER", "VERSION", "KIND", "EXPORT", "FILES", "SIZE");
            }
            for (ExportHistory.Entry entry : entries) {
                ExportRecord record = entry.record();
                String kind = record.incremental().map(incremental -> incremental
                        ? "incremental since " + record.baseVersion().getAsInt() : "full").orElse("-");
                if (json) {
                    ObjectNode line = Json.object()
                            .put("created", record.created().toString())
                            .put("exporter", record.exporter())
                            .put("repository", entry.repository())
                            .put("version", record.versionNumber())
                            .put("export_name", record.exportName());
                    if (record.incremental().isPresent()) {
                        line.put("incremental", record.incremental().get());
                    } else {
                        line.putNull("incremental");
                    }
                    if (record.baseVersion().isPresent()) {
                        line.put("base_version", record.baseVersion().getAsInt());
                    } else {
                        line.putNull("base_version");
                    }
                    ArrayNode files = line.putArray("files");
                    record.files().forEach(files::add);
                    if (record.totalBytes().isPresent()) {
                        line.put("bytes", record.totalBytes().getAsLong());
                    } else {
                        line.putNull("bytes");
                    }
                    Json.println(out, line);
                } else {
                    table.row(record.created().truncatedTo(ChronoUnit.SECONDS), record.exporter(),
                            entry.repository() + "@" + record.versionNumber(), kind, record.exportName(),
                            record.files().isEmpty() ? "-" : String.join(" ", record.files()),
                            record.totalBytes().isPresent() ? Sizes.human(record.totalBytes().getAsLong()) : "-");
                }
            }
            if (!json) {
                table.print(out);
            }
            return 0;
        }
    }

    /** {@code export forget E}. */
    @Command(name = "forget", description = "Remove an exporter's records: its next export must be a full one.")
    static final class ForgetCommand implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Parameters(paramLabel = "E", description = "the exporter")
        private String exporter;

        @Override
        public Integer call() {
            int removed;
            try (Airlock airlock = Main.of(spec).open()) {
                removed = airlock.exportHistory().forget(exporter);
            }
            spec.commandLine().getOut().println("forgot " + removed + " record(s) of exporter " + exporter
                    + "; its next export must be a full one");
            return 0;
        }
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
