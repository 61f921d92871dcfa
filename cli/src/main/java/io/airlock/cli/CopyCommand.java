package io.airlock.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airlock.core.Airlock;
import io.airlock.core.copy.CopyEngine;
import io.airlock.core.copy.CopyRequest;
import io.airlock.core.copy.CopyResult;
import io.airlock.spi.copy.CopyPlan;
import io.airlock.spi.copy.CopyPlan.Reason.Kind;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code copy CONFIG …}: content between repository versions, as a JSON or YAML request describes it. */
@Command(name = "copy", description = "Copy content between repositories as the request file CONFIG (JSON or YAML) says.")
final class CopyCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "CONFIG", description = "the request: a .json, .yaml or .yml file (format: docs/copy.md)")
    private Path config;

    @Option(names = "--no-dependency-solving", description = "copy the selected units and their children only")
    private boolean noDependencySolving;

    @Option(names = "--dry-run", description = "check and plan everything and report it; change nothing")
    private boolean dryRun;

    @Option(names = "--json", description = "print the result as one JSON object")
    private boolean json;

    @Override
    public Integer call() {
        CopyRequest request = CopyRequest.parse(config);
        if (noDependencySolving) {
            request = request.withDependencySolving(false);
        }
        if (dryRun) {
            request = request.asDryRun();
        }
        CopyResult result;
        try (Airlock airlock = Main.of(spec).open(); Progress progress = Progress.onTerminal(spec.commandLine().getErr())) {
            result = new CopyEngine(airlock).copy(request, progress);
        }
        if (json) {
            Json.println(out(), json(result));
        } else {
            summary(result);
        }
        return 0;
    }

    private static ObjectNode json(CopyResult result) {
        ObjectNode root = Json.object();
        ArrayNode destinations = root.putArray("destinations");
        for (CopyResult.Destination destination : result.destinations()) {
            ObjectNode node = destinations.addObject().put("repo", destination.repository());
            if (destination.version().isPresent()) {
                node.put("version", destination.version().get());
            } else {
                node.putNull("version");
            }
            ArrayNode added = node.putArray("added");
            for (CopyResult.Added unit : destination.added()) {
                added.addObject().put("type", unit.type()).put("label", unit.label()).put("reason", unit.reason().toString());
            }
        }
        ArrayNode unresolved = root.putArray("unresolved");
        for (CopyPlan.Unresolved missing : result.unresolved()) {
            unresolved.addObject().put("unit", missing.unit()).put("requirement", missing.requirement());
        }
        return root;
    }

    private void summary(CopyResult result) {
        PrintWriter out = out();
        for (CopyResult.Destination destination : result.destinations()) {
            String version = destination.version()
                    .map(v -> (result.dryRun() ? "would create version " : "created version ") + v + " from " + destination.base())
                    .orElse("unchanged");
            out.println(destination.repository() + ": " + version + ", " + counts(destination));
        }
        if (!result.unresolved().isEmpty()) {
            out.println("unresolved: " + result.unresolved().size());
            for (CopyPlan.Unresolved missing : result.unresolved()) {
                out.println("  " + missing.unit() + " requires " + missing.requirement());
            }
        }
        if (result.dryRun()) {
            out.println("dry run, nothing changed");
        }
    }

    /** {@code 3 units added (1 requested, 1 child, 1 dependency)} or {@code nothing added}. */
    private static String counts(CopyResult.Destination destination) {
        int total = destination.added().size();
        if (total == 0) {
            return "nothing added";
        }
        List<String> parts = new ArrayList<>();
        long requested = destination.count(Kind.REQUESTED);
        long children = destination.count(Kind.CHILD);
        long referenced = destination.count(Kind.REFERENCED);
        long dependencies = destination.count(Kind.DEPENDENCY);
        if (requested > 0) {
            parts.add(requested + " requested");
        }
        if (children > 0) {
            parts.add(children + (children == 1 ? " child" : " children"));
        }
        if (referenced > 0) {
            parts.add(referenced + " referenced");
        }
        if (dependencies > 0) {
            parts.add(dependencies + (dependencies == 1 ? " dependency" : " dependencies"));
        }
        return total + (total == 1 ? " unit" : " units") + " added (" + String.join(", ", parts) + ")";
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
