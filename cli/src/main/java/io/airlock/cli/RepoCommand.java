package io.airlock.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airlock.core.Airlock;
import io.airlock.core.model.Repository;
import io.airlock.core.model.RepositoryVersion;
import io.airlock.core.repository.Repositories;
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

/** {@code repo create|list|update|delete|versions|content}. */
@Command(name = "repo", description = "Create, inspect, change and delete repositories.",
        subcommands = RepoCommand.VersionsCommand.class)
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

    @Command(name = "list", description = "List repositories: name, type, latest version, versions retained, description.")
    int list(@Option(names = "--json", description = "one JSON object per line") boolean json) {
        try (Airlock airlock = Main.of(spec).open()) {
            Table table = new Table();
            if (!json) {
                table.row("NAME", "TYPE", "LATEST", "RETAIN", "DESCRIPTION");
            }
            for (Repository repository : airlock.repositories().list()) {
                if (json) {
                    ObjectNode line = Json.object()
                            .put("name", repository.name())
                            .put("type", repository.family())
                            .put("latest_version", repository.latestVersion())
                            .put("description", repository.description());
                    if (repository.retainVersions().isPresent()) {
                        line.put("retain_versions", repository.retainVersions().getAsInt());
                    } else {
                        line.putNull("retain_versions");
                    }
                    Json.println(out(), line);
                } else {
                    table.row(repository.name(), repository.family(), repository.latestVersion(),
                            repository.retainVersions().isPresent() ? repository.retainVersions().getAsInt() : "all",
                            repository.description());
                }
            }
            if (!json) {
                table.print(out());
            }
        }
        return 0;
    }

    @Command(name = "update", description = "Change a repository's description or how many versions it keeps.")
    int update(@Parameters(paramLabel = "NAME") String name,
            @Option(names = "--retain-versions", paramLabel = "K|none",
                    description = "keep the newest K versions (K >= 1), deleting older ones now and whenever a version is made;"
                            + " 'none' keeps every version") String retain,
            @Option(names = "--description", paramLabel = "D", description = "new description ('' removes it)") String description) {
        if (retain == null && description == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "nothing to change: give --retain-versions or --description");
        }
        Repositories.Update update = new Repositories.Update();
        if (description != null) {
            update.description(description);
        }
        if ("none".equals(retain)) {
            update.retainAllVersions();
        } else if (retain != null) {
            if (!retain.matches("[0-9]{1,9}")) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--retain-versions takes a number of versions or 'none', not '" + retain + "'");
            }
            update.retainVersions(Integer.parseInt(retain));
        }
        try (Airlock airlock = Main.of(spec).open()) {
            int before = airlock.repositories().versions(name).size();
            Repository updated = airlock.repositories().update(name, update);
            int deleted = before - airlock.repositories().versions(name).size();
            out().println("updated repository " + updated.name() + ": retains "
                    + (updated.retainVersions().isPresent() ? updated.retainVersions().getAsInt() + " version(s)" : "every version")
                    + (updated.description() == null ? "" : ", description '" + updated.description() + "'")
                    + (deleted > 0 ? "; deleted " + deleted + " old version(s)" : ""));
        }
        return 0;
    }

    @Command(name = "delete", description = "Delete a repository with its versions and its exporters' records;"
            + " 'airlock cleanup' then frees the content and files no other repository holds.")
    int delete(@Parameters(paramLabel = "NAME") String name) {
        try (Airlock airlock = Main.of(spec).open()) {
            airlock.repositories().delete(name);
        }
        out().println("deleted repository " + name);
        out().println("its content and files stay until 'airlock cleanup' removes what no repository version holds");
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

    /** {@code repo versions NAME} lists; {@code repo versions delete NAME@N} deletes one. */
    @Command(name = "versions", description = "List a repository's versions with their content counts;"
            + " 'versions delete NAME@N' deletes one (a repository named 'delete' is listed as 'versions -- delete').")
    static final class VersionsCommand implements java.util.concurrent.Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Parameters(paramLabel = "NAME", arity = "0..1")
        private String name;

        @Option(names = "--json", description = "one JSON object per line")
        private boolean json;

        @Override
        public Integer call() {
            if (name == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "Missing required parameter: 'NAME'");
            }
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

        @Command(name = "delete", description = "Delete a version other than the latest; the next version keeps its content"
                + " (what the deleted version added moves to it) and no version is renumbered.")
        int delete(@Parameters(paramLabel = "NAME@N") String reference) {
            VersionRef ref = VersionRef.parse(reference);
            try (Airlock airlock = Main.of(spec).open()) {
                airlock.repositories().deleteVersion(ref);
            }
            out().println("deleted version " + ref.number().getAsInt() + " of repository " + ref.repository());
            return 0;
        }

        private PrintWriter out() {
            return spec.commandLine().getOut();
        }
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
