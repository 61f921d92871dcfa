package io.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ErrorsTest {

    @Test
    @Tag("persistence")
    void unknownRepositoryIsRefusedNamingIt() {
        try (TestDatabase db = TestDatabase.create()) {
            Cli.Result result = Cli.run(db, "repo", "versions", "nosuchrepo");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.out()).isEmpty();
            assertThat(result.errLines()).singleElement().asString().startsWith("error: ").contains("nosuchrepo");
        }
    }

    @Test
    @Tag("persistence")
    void unknownRepositoryTypeIsRefusedNamingIt() {
        try (TestDatabase db = TestDatabase.create()) {
            Cli.Result result = Cli.run(db, "repo", "create", "x", "--type", "nope");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.errLines()).singleElement().asString().startsWith("error: ").contains("'nope'");
        }
    }

    @Test
    @Tag("persistence")
    void missingDirectoryIsRefusedNamingIt() {
        try (TestDatabase db = TestDatabase.create()) {
            Cli.ok(db, "repo", "create", "isos", "--type", "file");

            Cli.Result result = Cli.run(db, "file", "add", "isos", "/missing/dir");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.errLines()).singleElement().asString().startsWith("error: ").contains("/missing/dir");
        }
    }

    @Test
    void unreachableDatabaseIsOneErrorLine(@TempDir Path home) {
        Cli.Result result = Cli.run("--home", home.toString(), "--db", "jdbc:postgresql://127.0.0.1:1/nope", "repo", "list");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines()).singleElement().asString().startsWith("error: cannot open database");
    }

    @Test
    void unknownOptionIsAUsageError() {
        Cli.Result result = Cli.run("repo", "list", "--no-such-option");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--no-such-option", "Usage:");
    }

    @Test
    @Tag("persistence")
    void aLongErrorMessageIsCutToOneShortLine() {
        try (TestDatabase db = TestDatabase.create()) {
            String name = "n".repeat(20_000);

            Cli.Result result = Cli.run(db, "repo", "versions", name);

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.errLines()).singleElement().asString()
                    .startsWith("error: ").contains("nnnn").matches(".*… and \\d+ more characters")
                    .hasSizeLessThanOrEqualTo("error: ".length() + Main.MAX_ERROR_CHARS + "… and 20000 more characters".length());
        }
    }

    @Test
    void anErrorLineOfAMessageWithinTheLimitIsWhole() {
        String message = "x".repeat(Main.MAX_ERROR_CHARS);

        assertThat(Main.errorLine(message + "\nsecond line")).isEqualTo("error: " + message);
        assertThat(Main.errorLine(message + "yz")).isEqualTo("error: " + message + "… and 2 more characters");
    }

    @Test
    void copyOfDevZeroIsOneErrorLine(@TempDir Path home) {
        // Read whole, /dev/zero ended in an OutOfMemoryError and its stack trace.
        Cli.Result result = Cli.run("--home", home.toString(), "copy", "/dev/zero");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines()).containsExactly("error: copy request /dev/zero is not a regular file");
    }

    @Test
    @Tag("persistence")
    void fileAddOfASymlinkIsOneErrorLineAndFollowedInsideWhenAsked() throws java.io.IOException {
        try (TestDatabase db = TestDatabase.create()) {
            Cli.ok(db, "repo", "create", "isos", "--type", "file");
            Path dir = java.nio.file.Files.createDirectories(db.path("dir"));
            java.nio.file.Files.writeString(dir.resolve("a.txt"), "a");
            java.nio.file.Files.createSymbolicLink(dir.resolve("link.txt"), Path.of("a.txt"));

            Cli.Result refused = Cli.run(db, "file", "add", "isos", dir.toString());
            Cli.Result followed = Cli.run(db, "file", "add", "isos", dir.toString(), "--follow-symlinks");

            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.errLines()).containsExactly("error: " + dir.resolve("link.txt")
                    + " is a symbolic link: refused (--follow-symlinks follows links that stay inside " + dir + ")");
            assertThat(followed.exitCode()).isZero();
            assertThat(followed.outLines()).containsExactly("created version 1 of isos: 2 units (+2 -0)");
        }
    }
}
