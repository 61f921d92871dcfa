package io.airlock.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airlock.core.Airlock;
import io.airlock.core.InstallationStatus;
import io.airlock.core.Schema;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code status [--json]}: what the installation holds; changes nothing. */
@Command(name = "status", description = "Show the installation: home, database, schema, plugins, counts of repositories,"
        + " versions, units and artifacts, the store's size on disk and the orphans 'cleanup' would remove; changes nothing.")
final class StatusCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "one JSON object")
    private boolean json;

    @Override
    public Integer call() {
        Main main = Main.of(spec);
        InstallationStatus status;
        try (Airlock airlock = main.open(builder -> builder.schema(Airlock.SchemaAction.NONE).cleanupAtStart(false))) {
            status = airlock.status();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode root = Json.object()
                    .put("home", main.home().toString())
                    .put("database", status.database())
                    .put("storage", status.storage().toString());
            ArrayNode schema = root.putArray("schema");
            for (Schema.ModuleStatus module : status.schema()) {
                ObjectNode line = schema.addObject().put("module", module.module());
                module.applied().forEach(line.putArray("applied")::add);
                module.pending().forEach(line.putArray("pending")::add);
            }
            ObjectNode plugins = root.putObject("plugins");
            status.plugins().forEach(plugins::put);
            root.put("repositories", status.repositories()).put("versions", status.versions());
            ObjectNode units = root.putObject("units");
            status.units().forEach(units::put);
            root.put("artifacts", status.artifacts()).put("artifact_bytes", status.artifactBytes())
                    .put("store_files", status.storeFiles()).put("store_bytes", status.storeBytes());
            root.putObject("orphans").put("content", status.orphanContent()).put("artifacts", status.orphanArtifacts());
            Json.println(out, root);
            return 0;
        }
        Table table = new Table();
        table.row("home", main.home());
        table.row("database", status.database());
        table.row("artifact store", status.storage());
        table.row("schema", status.schema().stream().map(m -> m.module() + " " + versions(m.applied())
                + (m.pending().isEmpty() ? "" : " (pending " + versions(m.pending()) + ")")).collect(Collectors.joining(", ")));
        table.row("plugins", status.plugins().isEmpty() ? "-" : status.plugins().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
        table.row("repositories", status.repositories());
        table.row("versions", status.versions());
        table.row("units", status.unitCount() + units(status.units()));
        table.row("artifacts", status.artifacts() + " (" + Sizes.human(status.artifactBytes()) + ")");
        table.row("store on disk", status.storeFiles() + " files (" + Sizes.human(status.storeBytes()) + ")");
        table.row("orphans", status.orphanContent() + " unit(s), " + status.orphanArtifacts()
                + " artifact(s) ('airlock cleanup' removes them)");
        table.print(out);
        return 0;
    }

    private static String units(Map<String, Long> units) {
        return units.isEmpty() ? "" : units.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ", " (", ")"));
    }

    private static String versions(List<Integer> versions) {
        return versions.isEmpty() ? "-" : versions.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
