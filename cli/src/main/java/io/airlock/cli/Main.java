package io.airlock.cli;

import io.airlock.core.Airlock;
import io.airlock.spi.AirlockException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The {@code airlock} command: global options (where the installation lives) and the subcommands.
 * {@link #run} returns the exit status instead of exiting, so tests run the CLI in-process.
 */
@Command(name = "airlock", mixinStandardHelpOptions = true, version = "airlock 0.1.0",
        description = "Pulp-style content repositories: ingest, publish, copy, export and import across an air gap.",
        subcommands = {PluginsCommand.class, RepoCommand.class, FileCommand.class, RpmCommand.class, ExportCommand.class,
                ImportCommand.class, VerifyCommand.class, CopyCommand.class, CleanupCommand.class, DemoCommand.class})
public final class Main implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--home", paramLabel = "DIR", defaultValue = ".airlock",
            description = "H2 database file and artifact store inside (default: ${DEFAULT-VALUE})")
    private Path home;

    @Option(names = "--db", paramLabel = "JDBC_URL", description = "use this database instead of the H2 file in --home")
    private String db;

    @Option(names = "--db-user", paramLabel = "U", description = "database user")
    private String dbUser;

    @Option(names = "--db-password", paramLabel = "P", description = "database password")
    private String dbPassword;

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line; returns 0 (done), 1 (refused or failed) or 2 (usage). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        // Hibernate logs through JBoss logging; send it to SLF4J (configured by simplelogger.properties).
        if (System.getProperty("org.jboss.logging.provider") == null) {
            System.setProperty("org.jboss.logging.provider", "slf4j");
        }
        CommandLine commandLine = new CommandLine(new Main())
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler(Main::failed);
        try {
            return commandLine.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    /** Opens the installation the global options name. The one place that does. */
    Airlock open() {
        return open(builder -> { });
    }

    /** {@link #open()} with extra builder options. */
    Airlock open(java.util.function.Consumer<Airlock.Builder> options) {
        Airlock.Builder builder = Airlock.builder();
        options.accept(builder);
        if (db != null) {
            builder.jdbcUrl(db).credentials(dbUser != null ? dbUser : "", dbPassword != null ? dbPassword : "");
        }
        return builder.home(home).build();
    }

    /** The {@link Main} at the root of a command's spec. */
    static Main of(CommandSpec spec) {
        return (Main) spec.root().userObject();
    }

    private static int failed(Exception failure, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        err.println("error: " + oneLine(message(failure)));
        if ("1".equals(System.getenv("AIRLOCK_DEBUG"))) {
            StringWriter trace = new StringWriter();
            failure.printStackTrace(new PrintWriter(trace));
            err.print(trace);
        }
        err.flush();
        return 1;
    }

    private static String message(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AirlockException) {
                return t.getMessage();
            }
        }
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static String oneLine(String message) {
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }
}
