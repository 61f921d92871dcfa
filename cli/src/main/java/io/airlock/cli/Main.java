package io.airlock.cli;

import io.airlock.core.Airlock;
import io.airlock.core.trust.TrustedKeys;
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
                ImportCommand.class, VerifyCommand.class, DownloadCommand.class, CopyCommand.class, KeyCommand.class, CleanupCommand.class, SchemaCommand.class, StatusCommand.class, DemoCommand.class})
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
        CommandLine commandLine = new CommandLine(new Main())
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler(Main::failed);
        try {
            return commandLine.execute(args);
        } catch (VirtualMachineError e) {
            // Out of memory or stack: one line too, not a stack trace (picocli passes Errors through).
            err.println(errorLine(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())));
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    /**
     * The keys this installation trusts to sign exports: the public keys in {@code HOME/trust/}
     * when that folder exists (then every import and verify with this home requires a signature
     * by one of them), none otherwise. Read by import and verify only, so that a damaged trust
     * folder does not stop the other commands.
     */
    TrustedKeys trustedKeys() {
        Path trust = home.resolve("trust");
        return java.nio.file.Files.exists(trust) ? TrustedKeys.load(trust) : TrustedKeys.none();
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

    /** The installation's directory (--home). */
    Path home() {
        return home.toAbsolutePath().normalize();
    }

    /** The kind of database the global options name: PostgreSQL for a {@code jdbc:postgresql:} URL, else H2. */
    io.airlock.spi.DatabaseKind databaseKind() {
        return db != null && db.startsWith("jdbc:postgresql:") ? io.airlock.spi.DatabaseKind.POSTGRESQL : io.airlock.spi.DatabaseKind.H2;
    }

    /** The {@link Main} at the root of a command's spec. */
    static Main of(CommandSpec spec) {
        return (Main) spec.root().userObject();
    }

    private static int failed(Exception failure, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        err.println(errorLine(message(failure)));
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

    /** Longest message an {@code error:} line shows; the rest is counted, not printed. */
    static final int MAX_ERROR_CHARS = 500;

    /** {@code error: MESSAGE}: its first line, cut at {@value #MAX_ERROR_CHARS} characters ("… and N more characters"). */
    static String errorLine(String message) {
        int newline = message.indexOf('\n');
        String line = (newline < 0 ? message : message.substring(0, newline)).strip();
        if (line.length() > MAX_ERROR_CHARS) {
            int cut = Character.isHighSurrogate(line.charAt(MAX_ERROR_CHARS - 1)) ? MAX_ERROR_CHARS - 1 : MAX_ERROR_CHARS;
            line = line.substring(0, cut) + "… and " + (line.length() - cut) + " more characters";
        }
        return "error: " + line;
    }
}
