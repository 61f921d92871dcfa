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
}
