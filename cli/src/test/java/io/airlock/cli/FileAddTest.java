package io.airlock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlock.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("persistence")
final class FileAddTest {

    @Test
    void addingTheSameDirectoryTwiceChangesNothing() {
        try (TestDatabase db = TestDatabase.create()) {
            Path input = Trees.write(db.path("input"), Trees.sample());
            Cli.ok(db, "repo", "create", "isos", "--type", "file");
            Cli.ok(db, "file", "add", "isos", input.toString());

            Cli.Result second = Cli.ok(db, "file", "add", "isos", input.toString());

            assertThat(second.out().strip()).isEqualTo("no change: isos is already at version 1");
        }
    }
}
