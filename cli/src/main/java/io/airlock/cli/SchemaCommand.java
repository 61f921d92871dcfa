package io.airlock.cli;

import io.airlock.core.Airlock;
import io.airlock.core.Schema;
import io.airlock.core.plugin.PluginRegistry;
import io.airlock.spi.AirlockException;
import io.airlock.spi.ContentPlugin;
import io.airlock.spi.DatabaseKind;
import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code schema sql} and {@code schema status}: the versioned migrations, for hosts that manage the schema. */
@Command(name = "schema", description = "The database schema as versioned migrations (core and installed plugins).")
final class SchemaCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    @Command(name = "sql", description = "Print every migration of the core and the installed plugins, in order, "
            + "with the inserts recording them in airlock_schema_history; needs no database.")
    int sql(@Option(names = "--db-kind", paramLabel = "KIND", converter = KindConverter.class,
            description = "h2 or postgresql (default: postgresql when --db is a PostgreSQL URL, else h2)") DatabaseKind kind) {
        Main main = Main.of(spec);
        PrintWriter out = spec.commandLine().getOut();
        out.print(Schema.sql(kind != null ? kind : main.databaseKind(), installed()));
        return 0;
    }

    @Command(name = "status", description = "Per module: the migration versions the database has applied, "
            + "those available and those pending; changes nothing.")
    int status() {
        List<ContentPlugin> plugins = installed();
        List<Schema.ModuleStatus> modules;
        try (Airlock airlock = Main.of(spec).open(builder -> builder.schema(Airlock.SchemaAction.NONE).cleanupAtStart(false))) {
            modules = airlock.inTransaction(session -> session.doReturningWork(connection -> Schema.status(connection, plugins)));
        }
        Table table = new Table().row("MODULE", "APPLIED", "AVAILABLE", "PENDING");
        for (Schema.ModuleStatus module : modules) {
            table.row(module.module(), versions(module.applied()), versions(module.available()), versions(module.pending()));
        }
        table.print(spec.commandLine().getOut());
        return 0;
    }

    private static List<ContentPlugin> installed() {
        return PluginRegistry.discover(Thread.currentThread().getContextClassLoader());
    }

    private static String versions(List<Integer> versions) {
        return versions.isEmpty() ? "-" : versions.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** {@code h2} or {@code postgresql}; anything else is a usage error. */
    static final class KindConverter implements ITypeConverter<DatabaseKind> {
        @Override
        public DatabaseKind convert(String value) {
            try {
                return DatabaseKind.ofId(value);
            } catch (AirlockException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
