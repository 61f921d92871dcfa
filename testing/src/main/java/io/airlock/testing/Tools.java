package io.airlock.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The system's own tools that tests check Airlock against (dnf, createrepo_c, rpmbuild, gpg, the
 * Python bindings of createrepo_c and libsolv). A test that needs one that is missing is skipped
 * with a message naming it, except under CI ({@code CI=true}), where a missing tool is a failure:
 * {@code .ci/run} installs them.
 */
public final class Tools {

    /** The interpreter with the distribution's Python bindings (a pyenv {@code python3} on PATH lacks them). */
    public static final String PYTHON = "/usr/bin/python3";

    private Tools() {
    }

    /** What a command printed and returned. */
    public record Result(int exitCode, String out, String err) {

        public List<String> outLines() {
            return out.isEmpty() ? List.of() : out.lines().toList();
        }
    }

    /** Requires programs on the PATH (or absolute paths); skips or, under CI, fails naming the first missing one. */
    public static void require(String... programs) {
        for (String program : programs) {
            if (find(program) == null) {
                missing("the program " + program + " is not installed");
            }
        }
    }

    /** Requires a module importable by {@link #PYTHON}. */
    public static void requirePython(String module) {
        require(PYTHON);
        if (run(Path.of("."), Map.of(), List.of(PYTHON, "-c", "import " + module), Duration.ofSeconds(30)).exitCode() != 0) {
            missing("the Python module " + module + " is not installed for " + PYTHON);
        }
    }

    private static void missing(String why) {
        String message = why + " (.ci/run installs it; needed to check Airlock against the real clients)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(message);
        }
        Assumptions.abort(message);
    }

    private static Path find(String program) {
        if (program.contains("/")) {
            Path path = Path.of(program);
            return Files.isExecutable(path) ? path : null;
        }
        String pathVariable = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String directory : pathVariable.split(":")) {
            Path candidate = Path.of(directory.isEmpty() ? "." : directory, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Runs a command in {@code directory} with extra environment variables; its output is captured. */
    public static Result run(Path directory, Map<String, String> environment, List<String> command, Duration timeout) {
        try {
            Path out = Files.createTempFile("airlock-tool-", ".out");
            Path err = Files.createTempFile("airlock-tool-", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .redirectOutput(out.toFile()).redirectError(err.toFile());
                builder.environment().putAll(environment);
                Process process = builder.start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError(String.join(" ", command) + " did not finish in " + timeout);
                }
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** {@link #run} requiring exit status 0, showing the output otherwise. */
    public static Result ok(Path directory, Map<String, String> environment, List<String> command) {
        Result result = run(directory, environment, command, Duration.ofMinutes(2));
        if (result.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + result.exitCode() + "\nstdout: " + result.out()
                    + "\nstderr: " + result.err());
        }
        return result;
    }
}
