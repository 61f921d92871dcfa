package io.airlock.cli;

import io.airlock.core.plugin.PluginRegistry;
import io.airlock.spi.ContentPlugin;
import io.airlock.spi.ContentType;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Lists the plugins found on the class path; needs no database. */
@Command(name = "plugins", description = "List the installed plugins and their content types.")
final class PluginsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PluginRegistry registry = PluginRegistry.of(PluginRegistry.discover(Thread.currentThread().getContextClassLoader()));
        Table table = new Table();
        for (ContentPlugin plugin : registry.plugins()) {
            String types = plugin.contentTypes().stream().map(ContentType::id).collect(Collectors.joining(" "));
            table.row(plugin.name(), plugin.version(), types);
        }
        PrintWriter out = spec.commandLine().getOut();
        table.print(out);
        return 0;
    }
}
