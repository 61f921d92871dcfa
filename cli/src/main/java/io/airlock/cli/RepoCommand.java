package io.airlock.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airlock.core.Airlock;
import io.airlock.core.model.Repository;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.core.repository.VersionRef;
import io.airlock.spi.Content;
import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code repo create|list|versions|content}. */
@Command(name = "repo", description = "Create and inspect repositories.")
final class RepoCommand implements Runnable {

    private static final int BATCH = 1000;

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    @Command(name = "create", description = "Create a repository with its empty version 0.")
    int create(@Parameters(paramLabel = "NAME") String name,
            @Option(names = "--type", paramLabel = "TYPE", required = true, description = "plugin family: file, rpm") String type,
            @Option(names = "--description", paramLabel = "D") String description) {
        try (Airlock airlock = Main.of(spec).open()) {
            Repository created = airlock.repositories().create(name, type, description);
            out().println("created repository " + created.name() + " (" + created.family() + ")");
        }
        return 0;
    }

    @Command(name = "list", description = "List repositories: name, type, latest version, description.")
    int list(@Option(names = "--json", description = "one JSON object per line") boolean json) {
        try (Airlock airlock = Main.of(spec).open()) {
            Table table = new Table();
            if (!json) {
                table.row("NAME", "TYPE", "LATEST", "DESCRIPTION");
            }
            for (Repository repository : airlock.repositories().list()) {
                if (json) {
                    ObjectNode line = Json.object()
                            .put("name", repository.name())
                            .put("type", repository.family())
                            .put("latest_version", repository.latestVersion())
                            .put("description", repository.description());
                    Json.println(out(), line);
                } else {
                    table.row(repository.name(), repository.family(), repository.latestVersion(), repository.description());
                }
            }
            if (!json) {
                table.print(out());
            }
        }
        return 0;
    }

    @Command(name = "versions", description = "List a repository's versions with their content counts.")
    int versions(@Parameters(paramLabel = "NAME") String name,
            @Option(names = "--json", description = "one JSON object per line") boolean json) {
        try (Airlock airlock = Main.of(spec).open()) {
            Table table = new Table();
            if (!json) {
                table.row("VERSION", "CONTENT", "ADDED", "REMOVED", "CREATED", "BASE");
            }
            for (RepositoryVersion version : airlock.repositories().versions(name)) {
                String created = version.created().truncatedTo(ChronoUnit.SECONDS).toString();
                if (json) {
                    ObjectNode line = Json.object()
                            .put("number", version.number())
                            .put("content_count", version.contentCount())
                            .put("added", version.addedCount())
                            .put("removed", version.removedCount())
                            .put("created", version.created().toString());
                    if (version.baseNumber().isPresent()) {
                        line.put("base", version.baseNumber().getAsInt());
                    } else {
                        line.putNull("base");
                    }
                    Json.println(out(), line);
                } else {
                    table.row(version.number(), version.contentCount(), "+" + version.addedCount(),
                            "-" + version.removedCount(), created,
                            version.baseNumber().isPresent() ? version.baseNumber().getAsInt() : "-");
                }
            }
            if (!json) {
                table.print(out());
            }
        }
        return 0;
    }

    @Command(name = "content", description = "List the units of a version, one per line (TYPE:LABEL).")
    int content(@Parameters(paramLabel = "NAME[@N]") String reference,
            @Option(names = "--type", paramLabel = "T", description = "only units of this content type") String type,
            @Option(names = "--json", description = "one JSON object per line: type, label, key") boolean json) {
        VersionRef ref = VersionRef.parse(reference);
        PrintWriter out = out();
        try (Airlock airlock = Main.of(spec).open()) {
            RepositoryVersion version = airlock.repositories().version(ref);
            airlock.repositories().scanContent(version, Optional.ofNullable(type), BATCH, batch -> {
                for (Content unit : batch) {
                    if (json) {
                        ObjectNode line = Json.object().put("type", unit.typeId()).put("label", unit.label());
                        line.set("key", Json.MAPPER.valueToTree(airlock.plugins().resourceOf(unit).naturalKey(unit).fields()));
                        Json.println(out, line);
                    } else {
                        out.println(unit.typeId() + ":" + unit.label());
                    }
                }
                out.flush();
            });
        }
        return 0;
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
