package io.airlock.cli;

import io.airlock.testing.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs the command line in-process with captured output. */
final class Cli {

    /** What one run returned and printed. */
    record Result(int exitCode, String out, String err) {

        List<String> outLines() {
            return out.isEmpty() ? List.of() : Arrays.asList(out.split("\\R"));
        }

        List<String> errLines() {
            return err.isEmpty() ? List.of() : Arrays.asList(err.split("\\R"));
        }
    }

    private Cli() {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    /** Runs against the test's database (H2 or PostgreSQL) with the artifact store in its directory. */
    static Result run(TestDatabase db, String... args) {
        List<String> all = new ArrayList<>(List.of("--home", db.directory().toString(), "--db", db.url(),
                "--db-user=" + db.user(), "--db-password=" + db.password()));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    /** Runs and requires exit status 0, showing the output otherwise. */
    static Result ok(TestDatabase db, String... args) {
        Result result = run(db, args);
        if (result.exitCode() != 0) {
            throw new AssertionError("airlock " + String.join(" ", args) + " exited " + result.exitCode()
                    + "\nstdout: " + result.out() + "\nstderr: " + result.err());
        }
        return result;
    }
}
